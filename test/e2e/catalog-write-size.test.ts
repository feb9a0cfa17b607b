/**
 * The default Odoo write size is adaptive (engine/records/write-sizing.ts): an initial sync of a big
 * catalog starts at writes of 500 products and, while Odoo keeps up, reaches writes of thousands — the
 * ~6 calls a write costs whatever its size are then paid a few times instead of once per 500 products.
 * Through the engine with its DEFAULT settings (no writeBatchSize in the config), against the Odoo
 * simulator (no cost model: each write is fast, so the size grows to its maximum of 5,000).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFlow } from '../../src/engine/run-flow.js';
import type { RunningEngine } from '../../src/engine/create-engine.js';
import type { Connector } from '../../src/connectors/contract.js';
import { tempDir } from '../helpers/db.js';
import { startSims, type Sims } from './support/sims.js';
import { e2eConfig } from './support/config.js';
import { openEngine } from './support/engine.js';

const PRODUCTS = 14_000;

function item(i: number) {
  if (i % 4 !== 0) return { name: `Size Tee ${i}`, variants: [{ sku: `WS-${i}`, price: '9.90' }] };
  const sizes = ['S', 'M'];
  return { name: `Size Hoodie ${i}`, attributes: [{ name: 'Size', values: sizes }], variants: sizes.map((s) => ({ sku: `WS-${i}-${s}`, price: '39.00', attributes: { Size: s } })) };
}

describe('initial product sync shop → Odoo at default settings: the write size grows', () => {
  let sims: Sims;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let engine: RunningEngine;
  /** Products per Odoo product write, in the order the writes started. */
  const writes: number[] = [];

  beforeAll(async () => {
    sims = await startSims();
    tmp = await tempDir('tandem-e2e-');
    sims.shop.seed.products(Array.from({ length: PRODUCTS }, (_, k) => item(k + 1)));
    engine = await openEngine(e2eConfig(sims, { storeUrl: `sqlite:${tmp.dir}/tandem.db`, flows: [{ entity: 'product', direction: 'shop->erp', schedule: '15m', batchSize: 500 }] }));
    const erp = engine.erp as Connector;
    const write = erp.write.bind(erp);
    erp.write = (entity, ops, ctx) => {
      if (entity === 'product') writes.push(ops.length);
      return write(entity, ops, ctx);
    };
  }, 60_000);

  afterAll(async () => {
    await engine?.close();
    await sims?.close();
    await tmp?.cleanup();
  });

  it('starts at 500 per write and reaches thousands; far fewer Odoo calls than writes of 500', async () => {
    sims.odoo.resetStats();
    const [report] = await runFlow(engine, 'product', 'initial');
    expect(report?.counts.created).toBe(PRODUCTS);
    expect(writes.reduce((a, b) => a + b, 0)).toBe(PRODUCTS);
    const seen = `writes: ${JSON.stringify(writes)}`;
    expect(writes[0], seen).toBe(500);
    expect(Math.max(...writes), seen).toBeGreaterThanOrEqual(4_000);
    // fixed writes of 500 would take 28 writes; growing 500, (500,) 1,000, (1,000,) 2,000, 4,000, 5,000: 7
    // (more when a write on this loaded machine looked slower per record and the size stepped back once)
    expect(writes.length, seen).toBeLessThanOrEqual(10);
    const byMethod = sims.odoo.stats.byMethod;
    // one variants read per write (creates go in lists of at most 1,000 per call)
    expect(byMethod['product.product.web_search_read']).toBe(writes.length);
    // writes of 500: ≥ 6 calls × 28 writes; here 56 on the day it was written
    expect(sims.odoo.stats.calls, seen).toBeLessThan(80);
  }, 180_000);
});
