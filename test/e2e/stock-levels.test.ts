/**
 * Stock, ERP → shop: available to sell per shop location = on hand − reserved − safety buffer (per SKU,
 * else the global one), never negative; ERP warehouses mapped to shop locations (an unmapped warehouse is
 * not sold from); only changed levels are written. Then `tandem stock report`: units sold over 7 and 30
 * days and days of cover, from orders imported through the order flow and older recorded sales.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncAll } from '../../src/engine/initial-sync.js';
import { runFlow } from '../../src/engine/run-flow.js';
import type { RunningEngine } from '../../src/engine/create-engine.js';
import { run } from '../../src/cli/main.js';
import { tempDir } from '../helpers/db.js';
import { addWarehouse, startSims, type Sims } from './support/sims.js';
import { e2eConfig, secretEnv, writeConfigFile, type E2eConfigOptions, type FlowInput } from './support/config.js';
import { openEngine, serve } from './support/engine.js';
import { productSku, seedCatalog, variantSku, type SeededCatalog } from './support/seed-catalog.js';
import { odooStock } from './support/inspect.js';
import { captureIO } from './support/cli.js';

const FLOWS: FlowInput[] = [
  { entity: 'product', direction: 'shop->erp' },
  { entity: 'stock', direction: 'erp->shop' },
  { entity: 'order', direction: 'both' },
];
const BUFFER = { default: 1, perSku: { [productSku(4)]: 3 } };

describe('stock per shop location, safety buffers, demand report', () => {
  let sims: Sims;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let engine: RunningEngine;
  let catalog: SeededCatalog;
  let opts: E2eConfigOptions;
  const buffer = (sku: string) => BUFFER.perSku[sku] ?? BUFFER.default;
  const shopQty = (sku: string, location: string) => sims.shop.state.stock(sku, location)?.quantity;
  const stockReport = (r: Awaited<ReturnType<typeof runFlow>>) => r[0]!;

  beforeAll(async () => {
    sims = await startSims();
    tmp = await tempDir('tandem-stock-');
    catalog = seedCatalog(sims, { products: 12, simpleEvery: 2, customers: 0, overlapProducts: 12, odooOnlyProducts: 0, overlapCustomers: 0, odooOnlyCustomers: 0 });
    // a third warehouse nobody sells from in the shop
    const wh3 = addWarehouse(sims.odoo, 'WH3', 'Returns depot');
    const [p2] = sims.odoo.env.search('product.product', [['default_code', '=', productSku(2)]]);
    sims.odoo.env.setStock(p2!, 500, wh3.stockLocation);
    // a product only the ERP has (not sold in the shop): never written there, not even tried again every run
    const erpOnly = sims.odoo.env.create('product.product', { name: 'Warehouse only', default_code: 'ERP-ONLY-1', detailed_type: 'product', list_price: 1 });
    sims.odoo.env.setStock(erpOnly, 7);
    sims.odoo.env.create('account.tax', { name: 'VAT 20% incl.', amount: 20, amount_type: 'percent', type_tax_use: 'sale', price_include: true });
    opts = {
      storeUrl: `sqlite:${tmp.dir}/tandem.db`,
      flows: FLOWS,
      extra: {
        stock: { safetyBuffer: BUFFER, locations: [{ erp: 'WH/Stock', shop: 'berlin' }, { erp: 'WH2/Stock', shop: 'kyiv' }], lowStock: { threshold: 0, hysteresis: 0, perSku: {} } },
        orders: { taxes: [{ rate: '20', erpTax: 'VAT 20% incl.' }], carriers: { standard: 'Standard delivery' } },
      },
    };
    engine = await openEngine(e2eConfig(sims, opts));
    await syncAll(engine, { kind: 'initial' });
  });

  afterAll(async () => {
    await engine?.close();
    await sims?.close();
    await tmp?.cleanup();
  });

  it('available = on hand − reserved − buffer per mapped location; unmapped warehouses are not sold from', () => {
    for (const sku of catalog.shopSkus) {
      expect(shopQty(sku, 'berlin'), `${sku}@berlin`).toBe(Math.max(0, odooStock(sims, sku, 'WH/Stock') - buffer(sku)));
      expect(shopQty(sku, 'kyiv'), `${sku}@kyiv`).toBe(Math.max(0, odooStock(sims, sku, 'WH2/Stock') - buffer(sku)));
    }
    // P0002 has 500 in WH3: not in the shop
    expect(shopQty(productSku(2), 'berlin')).toBe(odooStock(sims, productSku(2), 'WH/Stock') - 1);
    // the per-SKU buffer wins over the global one
    expect(shopQty(productSku(4), 'berlin')).toBe(odooStock(sims, productSku(4), 'WH/Stock') - 3);
    // a level below the buffer is 0, never negative (seeded: WH2 holds 0 of the first SKU)
    expect(odooStock(sims, catalog.shopSkus[0]!, 'WH2/Stock')).toBe(0);
    expect(shopQty(catalog.shopSkus[0]!, 'kyiv')).toBe(0);
  });

  it('a reservation in Odoo lowers the shop\'s figure of that location only; only changed levels are written', async () => {
    const sku = productSku(6);
    const before = { berlin: shopQty(sku, 'berlin')!, kyiv: shopQty(sku, 'kyiv')! };
    const [product] = sims.odoo.env.search('product.product', [['default_code', '=', sku]]);
    const partner = sims.odoo.env.create('res.partner', { name: 'Walk-in', email: 'walk.in@example.com' });
    const so = sims.odoo.env.create('sale.order', { partner_id: partner, order_line: [[0, 0, { product_id: product, product_uom_qty: 2 }]] });
    sims.odoo.env.call('sale.order', 'action_confirm', [so]);
    const writes = sims.shopWrites();
    const r = stockReport(await runFlow(engine, 'stock'));
    expect(shopQty(sku, 'berlin')).toBe(before.berlin - 2);
    expect(shopQty(sku, 'kyiv')).toBe(before.kyiv);
    expect(r.counts).toMatchObject({ updated: 1, unchanged: catalog.shopSkus.length * 2 - 1, skipped: 2 });
    // the summary adds up: WH3's levels (not sold from) are not records of the run; two ERP levels per shop level
    expect(r.counts.read).toBe(r.decided);
    expect(r.problems.map((p) => [p.id, p.reason])).toEqual([['ERP-ONLY-1@berlin', 'SKU ERP-ONLY-1 is not in shop'], ['ERP-ONLY-1@kyiv', 'SKU ERP-ONLY-1 is not in shop']]);
    expect(sims.shopWrites()).toBe(writes + 1);
    // nothing changed since: nothing written
    const again = stockReport(await runFlow(engine, 'stock'));
    expect(again.counts.updated).toBe(0);
    expect(sims.shopWrites()).toBe(writes + 1);
  });

  it('a shop order imported into Odoo lowers the shop\'s figure once, through Odoo\'s reservation (no double count)', async () => {
    const sku = variantSku(3, 'M', 'Blue');
    const before = { berlin: shopQty(sku, 'berlin')!, kyiv: shopQty(sku, 'kyiv')! };
    const srv = await serve(engine, sims);
    try {
      await sims.shop.placeOrder({ email: 'buyer@example.com', lines: [{ sku, quantity: 2 }], paid: true, shipping: { method: 'standard', amount: '4.90' } });
      await srv.settle();
    } finally {
      await srv.stop();
    }
    expect((await engine.queue.counts()).dead).toBe(0);
    expect(odooStock(sims, sku, 'WH/Stock')).toBe(before.berlin + buffer(sku) - 2); // reserved for the order
    await runFlow(engine, 'stock');
    expect(shopQty(sku, 'berlin')).toBe(before.berlin - 2);
    expect(shopQty(sku, 'kyiv')).toBe(before.kyiv);
  });

  it('`tandem stock report`: units sold over 7 and 30 days (imported orders + older sales) and days of cover', async () => {
    // two shop orders imported through the order flow (webhook → order job → Odoo), 3 units of P0008 today
    const srv = await serve(engine, sims);
    try {
      for (const qty of [1, 2]) await sims.shop.placeOrder({ email: `buyer${qty}@example.com`, lines: [{ sku: productSku(8), quantity: qty }], paid: true, shipping: { method: 'standard', amount: '4.90' } });
      await srv.settle();
    } finally {
      await srv.stop();
    }
    expect((await engine.queue.counts()).dead).toBe(0);
    expect(sims.odoo.env.search('sale.order', [['client_order_ref', '!=', false]]).length).toBeGreaterThanOrEqual(2);
    // and older sales (20 days ago): count for 30 days, not for 7
    const day = 86_400_000;
    await engine.store.orders.recordSales('old-1', [{ sku: productSku(8), quantity: 27 }, { sku: productSku(10), quantity: 6 }], Date.now() - 20 * day);
    await runFlow(engine, 'stock'); // the figures of availability the report uses
    await engine.close();

    writeConfigFile(tmp.dir, sims, opts);
    const io = captureIO({ cwd: tmp.dir, env: secretEnv(sims) });
    expect(await run(['node', 'tandem', 'stock', 'report', '--json'], io)).toBe(0);
    const rows = JSON.parse(io.stdoutText()) as Array<{ sku: string; available: number; sold7: number; sold30: number; velocity: number; daysOfCover: number | null }>;
    const row = (sku: string) => rows.find((r) => r.sku === sku)!;
    const available8 = shopQty(productSku(8), 'berlin')! + shopQty(productSku(8), 'kyiv')!;
    expect(row(productSku(8))).toEqual({ sku: productSku(8), available: available8, readAt: expect.any(String), sold7: 3, sold30: 30, velocity: 1, daysOfCover: available8 });
    expect(row(variantSku(3, 'M', 'Blue'))).toMatchObject({ sold7: 2, sold30: 2 });
    const available10 = shopQty(productSku(10), 'berlin')! + shopQty(productSku(10), 'kyiv')!;
    expect(row(productSku(10))).toEqual({ sku: productSku(10), available: available10, readAt: expect.any(String), sold7: 0, sold30: 6, velocity: 0.2, daysOfCover: available10 / 0.2 });
    expect(row(productSku(12))).toMatchObject({ sold7: 0, sold30: 0, daysOfCover: null });
    // fastest-selling first (least cover)
    expect(rows.findIndex((r) => r.sku === productSku(8))).toBeLessThan(rows.findIndex((r) => r.sku === productSku(12)));

    const table = captureIO({ cwd: tmp.dir, env: secretEnv(sims) });
    expect(await run(['node', 'tandem', 'stock', 'report', '--sku', productSku(8)], table)).toBe(0);
    expect(table.stdoutText()).toMatch(/sku\s+available\s+read at\s+sold 7d\s+sold 30d\s+per day\s+days of cover/);
    expect(table.stdoutText()).toMatch(new RegExp(`${productSku(8)}\\s+${available8}\\s+\\S+ \\S+\\s+3\\s+30\\s+1\\s+${available8}`));
    engine = await openEngine(e2eConfig(sims, opts));
  });
});
