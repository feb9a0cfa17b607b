/**
 * The catalog flows with a WooCommerce shop (simulator, OAuth 1.0a over http, webhooks Tandem registers
 * itself): initial sync both ways ends with 0 differences — also for what Odoo → shop created and the shop
 * filled with its own defaults (WooCommerce's "Uncategorized") — a rename in WooCommerce reaches Odoo by
 * webhook, an Odoo price reaches WooCommerce by polling, and WooCommerce's webhook about Tandem's own write
 * writes nothing back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Config } from '../../src/config/schema.js';
import { createEngine, type RunningEngine } from '../../src/engine/create-engine.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import { reconcile } from '../../src/engine/reconcile.js';
import { startRuntime, type Runtime } from '../../src/engine/runtime.js';
import { startHttpServer, type HttpServer } from '../../src/server/http-server.js';
import { startOdooSimulator, startWooSimulator, type OdooSimulator, type WooSimulator } from '../../src/simulators/index.js';
import { quietLog } from './support/engine.js';
import { wooAdmin } from './support/woo-admin.js';

describe('catalog flows with WooCommerce', () => {
  let odoo: OdooSimulator;
  let woo: WooSimulator;
  let engine: RunningEngine;
  let runtime: Runtime;
  let http: HttpServer;
  const admin = () => wooAdmin(woo);
  const odooWrites = () => Object.entries(odoo.stats.byMethod).filter(([k]) => /\.(create|write|unlink)$/.test(k)).reduce((n, [, c]) => n + c, 0);
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await woo.flushWebhooks();
      await runtime.worker.drain();
    }
  };
  const wooProduct = async (sku: string) => ((await admin().get(`products?sku=${sku}`)) as unknown as Array<{ id: number; name: string; regular_price: string; parent_id: number }>)[0]!;

  beforeAll(async () => {
    [odoo, woo] = await Promise.all([startOdooSimulator({ version: 17, currency: 'EUR' }), startWooSimulator({ currency: 'EUR' })]);
    const a = admin();
    const shoes = await a.category('Shoes');
    for (let i = 1; i <= 8; i++) await a.simple({ name: `Simple ${i}`, sku: `S-${i}`, price: `${10 + i}.50`, categories: [shoes.id] });
    for (let i = 1; i <= 3; i++) await a.variable({ name: `Variable ${i}`, sizes: ['S', 'M', 'L'], skuPrefix: `V-${i}`, price: '30.00' });
    for (let i = 1; i <= 4; i++) await a.customer({ email: `Woo.Cust${i}@Example.com`, first: `Woo${i}`, last: 'Cust', city: 'Berlin' });
    // already in Odoo: one of the shop's SKUs and one customer (email in another case); only in Odoo: one each
    odoo.env.create('product.template', { name: 'Simple 1', default_code: 'S-1', list_price: 11.5, detailed_type: 'product', sale_ok: true });
    odoo.env.create('res.partner', { name: 'Woo1 Cust', email: 'woo.cust1@example.com', customer_rank: 1 });
    odoo.env.create('product.template', { name: 'Odoo only', default_code: 'O-1', list_price: 5, detailed_type: 'product', sale_ok: true });
    odoo.env.create('res.partner', { name: 'Odoo Person', email: 'odoo.person@example.com', customer_rank: 1 });
    const config = Config.parse({
      store: { url: 'sqlite::memory:' },
      systems: {
        shop: { type: 'woocommerce', url: woo.url, consumerKey: woo.consumerKey, consumerSecret: woo.consumerSecret, webhookSecret: 'woo-webhook-secret', currency: 'EUR' },
        erp: { type: 'odoo', url: odoo.url, db: odoo.db, user: 'admin', apiKey: odoo.admin.apiKey },
      },
      flows: [
        { entity: 'category', direction: 'shop->erp' },
        { entity: 'product', direction: 'both', owner: { fields: { 'variants.price': 'erp' } } },
        { entity: 'customer', direction: 'both' },
        { entity: 'stock', direction: 'erp->shop' },
      ],
    });
    engine = await createEngine({ config, storeUrl: config.store.url, log: quietLog() });
  });

  afterAll(async () => {
    await runtime?.stop();
    await http?.close();
    await engine?.close();
    await Promise.allSettled([woo?.close(), odoo?.close()]);
  });

  it('initial sync both ways: matched, created, and 0 differences right away (also after WooCommerce filled in its defaults)', async () => {
    const summary = await syncAll(engine, { kind: 'initial', reconcile: true });
    const counts = (entity: string, direction: string) => summary.reports.find((r) => r.entity === entity && r.direction === direction)!.counts;
    expect(counts('product', 'shop->erp')).toMatchObject({ created: 10, failed: 0 });
    expect(counts('product', 'erp->shop')).toMatchObject({ created: 1, failed: 0 });
    expect(counts('customer', 'shop->erp')).toMatchObject({ created: 3, failed: 0 });
    expect(counts('customer', 'erp->shop')).toMatchObject({ created: 1, failed: 0 });
    expect(summary.reconcile!.differences).toEqual([]);
    expect(odoo.env.search('product.product', [['default_code', '=', 'S-1']])).toHaveLength(1);
    expect(odoo.env.search('res.partner', [['email', '=ilike', 'woo.cust1@example.com'], ['parent_id', '=', false]])).toHaveLength(1);
    expect((await wooProduct('O-1')).name).toBe('Odoo only');
    expect((await engine.queue.counts()).dead).toBe(0);
  });

  it('a rename in WooCommerce reaches Odoo by the webhook Tandem registered', async () => {
    runtime = startRuntime(engine, { schedules: false, pollIntervalMs: 20 });
    http = await startHttpServer(engine, { host: '127.0.0.1', port: 0 });
    await engine.shop.webhooks!.ensure(`${http.url}/webhooks/shop`);
    await admin().update(`products/${(await wooProduct('S-2')).id}`, { name: 'Renamed in WooCommerce' });
    await settle();
    expect(odoo.env.searchRead('product.template', [['default_code', '=', 'S-2']], ['name'])[0]!.name).toBe('Renamed in WooCommerce');
    expect(woo.deliveries.length).toBeGreaterThan(0);
  });

  it('an Odoo price reaches WooCommerce by polling; WooCommerce\'s webhook about that write writes nothing to Odoo', async () => {
    const [t] = odoo.env.search('product.template', [['default_code', '=', 'S-3']]);
    odoo.env.write('product.template', [t!], { list_price: 99 });
    const writes = odooWrites();
    const deliveries = woo.deliveries.length;
    await syncAll(engine, { kind: 'poll', entities: ['product'] });
    await settle();
    expect((await wooProduct('S-3')).regular_price).toBe('99.00');
    expect(woo.deliveries.length).toBeGreaterThan(deliveries); // WooCommerce announced Tandem's write
    expect(odooWrites()).toBe(writes);
    expect((await reconcile(engine)).differences).toEqual([]);
  });
});
