/**
 * Issue 16: write groups of variable products that share attribute values (every shirt has Size M) are
 * written side by side, not one after another — and the attribute values they need are still created
 * once. The pipeline no longer keys groups on attribute values (batch-pipeline.ts `conflictKeys`); the
 * Odoo connector runs its find-or-create of attributes one call at a time (`OdooLookups.ensureAttributes`).
 *
 * The catalog: variable products whose Size and Color values come from small pools, none of them in Odoo
 * yet, so every group needs values that other groups in flight need too. Odoo's template creates are
 * watched on the wire: with attribute values as keys, at most one is in flight at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createEngine, type RunningEngine } from '../../src/engine/create-engine.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import { startSims, type Sims } from './support/sims.js';
import { e2eConfig } from './support/config.js';
import { duplicates, odooCensus } from './support/inspect.js';

const PRODUCTS = 90;
const SIZES = ['XS', 'S', 'M', 'L', 'XL'];
const COLORS = ['Red', 'Blue', 'Green'];

function item(i: number) {
  const sizes = [SIZES[i % SIZES.length] as string, SIZES[(i + 2) % SIZES.length] as string];
  const color = COLORS[i % COLORS.length] as string;
  return {
    name: `Attr Shirt ${i}`,
    attributes: [{ name: 'Size', values: sizes }, { name: 'Color', values: [color] }],
    variants: sizes.map((s) => ({ sku: `ATTR-${i}-${s}`, price: '19.90', attributes: { Size: s, Color: color } })),
  };
}

describe('groups of variable products sharing attribute values', () => {
  let sims: Sims;
  let engine: RunningEngine;
  let inFlight = 0;
  let maxInFlight = 0;

  beforeAll(async () => {
    sims = await startSims();
    sims.shop.seed.products(Array.from({ length: PRODUCTS }, (_, k) => item(k + 1)));
    sims.odoo.faults.latencyMs = 15;
    const watched: typeof fetch = async (input, init) => {
      const body = typeof init?.body === 'string' ? init.body : '';
      const create = /"product\.template",\s*"create"/.test(body);
      if (create) maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        return await fetch(input, init);
      } finally {
        if (create) inFlight -= 1;
      }
    };
    const config = e2eConfig(sims, { storeUrl: 'sqlite::memory:', flows: [{ entity: 'product', direction: 'shop->erp', batchSize: 10 }], erp: { writeBatchSize: 10, writeConcurrency: 3 } });
    engine = await createEngine({ config, storeUrl: config.store.url, log: pino({ level: 'silent' }), fetch: watched });
  });

  afterAll(async () => {
    await engine?.close();
    await sims?.close();
  });

  it('are written side by side; each attribute and each value exists once in Odoo; 0 differences', async () => {
    const result = await syncAll(engine, { kind: 'initial', reconcile: true });
    expect(result.reconcile!.differences).toEqual([]);
    expect(result.reconcile!.entities).toEqual([expect.objectContaining({ entity: 'product', linked: PRODUCTS })]);
    // 9 groups of 10, 3 in flight: groups that share values overlap (keyed on values, this stays 1)
    expect(maxInFlight).toBeGreaterThanOrEqual(2);

    const attrs = sims.odoo.env.searchRead('product.attribute', [], ['name']).map((r) => String(r.name));
    expect(attrs.filter((n) => n === 'Size')).toHaveLength(1);
    expect(attrs.filter((n) => n === 'Color')).toHaveLength(1);
    const values = sims.odoo.env.searchRead('product.attribute.value', [], ['name', 'attribute_id']);
    const names = values.map((v) => `${JSON.stringify(v.attribute_id)}:${String(v.name)}`);
    expect(names.length).toBe(new Set(names).size); // no value created twice
    expect(values.length).toBe(SIZES.length + COLORS.length);
    expect(duplicates(odooCensus(sims).skus)).toEqual([]);
  });
});
