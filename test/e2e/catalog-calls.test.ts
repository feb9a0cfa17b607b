/**
 * Odoo calls of an initial shop → Odoo product sync, through the engine (natural-key lookup, decision,
 * write) — whatever the batching: every Odoo write of new products makes ONE lookup by SKU/barcode, one
 * create per model, one search for half-created templates, ONE read of the generated variants with their
 * attribute values and the new simple products' template ids (web_search_read, Odoo 17) and ONE variant
 * write. So each of those methods is called once per write (k): a call per template or per record, or a
 * find-before-create that searches again instead of using the engine's lookup, breaks it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFlow } from '../../src/engine/run-flow.js';
import type { RunningEngine } from '../../src/engine/create-engine.js';
import { tempDir } from '../helpers/db.js';
import { startSims, type Sims } from './support/sims.js';
import { e2eConfig } from './support/config.js';
import { openEngine } from './support/engine.js';

const PRODUCTS = 120;

function item(i: number) {
  if (i % 3 !== 0) return { name: `Calls Tee ${i}`, variants: [{ sku: `CALLS-${i}`, price: '9.90', ...(i % 2 === 0 && { barcode: `40${String(i).padStart(11, '0')}` }) }] };
  const sizes = ['S', 'M', 'L'];
  return { name: `Calls Hoodie ${i}`, attributes: [{ name: 'Size', values: sizes }], variants: sizes.map((s) => ({ sku: `CALLS-${i}-${s}`, price: '39.00', attributes: { Size: s } })) };
}

describe('initial product sync shop → Odoo: calls per Odoo write', () => {
  let sims: Sims;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let engine: RunningEngine;

  beforeAll(async () => {
    sims = await startSims();
    tmp = await tempDir('tandem-e2e-');
    sims.shop.seed.products(Array.from({ length: PRODUCTS }, (_, k) => item(k + 1)));
    engine = await openEngine(e2eConfig(sims, { storeUrl: `sqlite:${tmp.dir}/tandem.db`, flows: [{ entity: 'product', direction: 'shop->erp', schedule: '15m', batchSize: 25 }] }));
  });

  afterAll(async () => {
    await engine?.close();
    await sims?.close();
    await tmp?.cleanup();
  });

  it('each write: one lookup, one create per model, one orphan search, one variants read, one variant write', async () => {
    sims.odoo.resetStats();
    const [report] = await runFlow(engine, 'product', 'initial');
    expect(report?.counts.created).toBe(PRODUCTS);
    const calls = sims.odoo.stats.byMethod;
    const k = calls["product.template.create"] ?? 0;
    expect(k).toBeGreaterThan(0); // 5 writes of 25 when the engine writes a page at a time; fewer if it gathers pages
    const perWrite = {
      'product.product.search_read': k,
      'product.product.web_search_read': k,
      'product.product.web_save': k, // the simple products' create, their template ids in its answer
      'product.template.create': k,
      'product.template.search_read': k,
      'product.template.write': k,
    };
    // the rest: company, version traits, attribute and value ids, asked once per run
    const once = ['res.company.search_read', 'sale.order.fields_get', 'product.attribute.search_read', 'product.attribute.create', 'product.attribute.value.search_read', 'product.attribute.value.create'];
    expect(Object.fromEntries(Object.entries(calls).filter(([m]) => !once.includes(m)))).toEqual(perWrite);
    for (const m of once) expect(calls[m] ?? 0).toBeLessThanOrEqual(1);
  });
});
