/**
 * Stock from a configured ERP location outside every warehouse's stock location (real Odoo 17: 7 in
 * WH/Stock + 4 in a second configured location gave the shop 7, and reconcile said 0 differences).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncAll } from '../../src/engine/initial-sync.js';
import { reconcile } from '../../src/engine/reconcile.js';
import type { RunningEngine } from '../../src/engine/create-engine.js';
import { tempDir } from '../helpers/db.js';
import { startSims, type Sims } from './support/sims.js';
import { e2eConfig } from './support/config.js';
import { openEngine } from './support/engine.js';
import { productSku, seedCatalog } from './support/seed-catalog.js';

describe('stock of a configured location outside the warehouse stock location', () => {
  let sims: Sims;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let engine: RunningEngine;
  const sku = productSku(1);

  beforeAll(async () => {
    sims = await startSims();
    tmp = await tempDir('tandem-stockloc-');
    seedCatalog(sims, { products: 2, simpleEvery: 1, customers: 0, overlapProducts: 2, odooOnlyProducts: 0, overlapCustomers: 0, odooOnlyCustomers: 0 });
    const env = sims.odoo.env;
    const [wh] = env.searchRead('stock.warehouse', [['code', '=', 'WH']], ['view_location_id', 'lot_stock_id']);
    const view = (wh!.view_location_id as [number, string])[0];
    // a sibling of WH/Stock (not inside it): Odoo's quantity context of WH/Stock never includes it
    const overflow = env.create('stock.location', { name: 'Overflow', usage: 'internal', location_id: view });
    const [product] = env.search('product.product', [['default_code', '=', sku]]);
    env.setStock(product!, 7);
    env.setStock(product!, 4, overflow);
    engine = await openEngine(e2eConfig(sims, {
      storeUrl: `sqlite:${tmp.dir}/tandem.db`,
      flows: [{ entity: 'product', direction: 'shop->erp' }, { entity: 'stock', direction: 'erp->shop' }],
      extra: { stock: { locations: [{ erp: 'WH/Stock', shop: 'berlin' }, { erp: 'WH/Overflow', shop: 'berlin' }], safetyBuffer: { default: 0, perSku: {} }, lowStock: { threshold: 0, hysteresis: 0, perSku: {} } } },
    }));
    await syncAll(engine, { kind: 'initial' });
  });

  afterAll(async () => {
    await engine?.close();
    await sims?.close();
    await tmp?.cleanup();
  });

  it('is read (child_of the configured location) and added to the shop location it maps to', async () => {
    expect(sims.shop.state.stock(sku, 'berlin')?.quantity).toBe(11);
    expect((await reconcile(engine, { entities: ['stock'] })).differences).toEqual([]);
  });
});
