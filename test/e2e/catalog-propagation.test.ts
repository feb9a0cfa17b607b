/**
 * Regular sync after the initial one, with the HTTP server and worker running: a change in the shop
 * reaches Odoo by webhook (signed delivery → inbox → keyed job); a change in Odoo reaches the shop by
 * polling; with the shop's webhooks gone, polling alone carries shop changes. Echo suppression: what
 * Tandem wrote comes back (by webhook or by the next poll) and produces no write. Per-field ownership
 * (`variants.price: erp`): prices flow ERP → shop, names shop → ERP, neither overwrites the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncAll } from '../../src/engine/initial-sync.js';
import { reconcile } from '../../src/engine/reconcile.js';
import type { RunningEngine } from '../../src/engine/create-engine.js';
import { createTestStoreUrl, testStoreKinds, type TestStoreUrl } from '../helpers/db.js';
import { startSims, type Sims } from './support/sims.js';
import { e2eConfig, type FlowInput } from './support/config.js';
import { enqueuePoll, openEngine, serve, type Serving } from './support/engine.js';
import { customerEmail, productSku, seedCatalog, variantSku } from './support/seed-catalog.js';
import { shopAdmin } from './support/shop-admin.js';

const FLOWS: FlowInput[] = [
  { entity: 'category', direction: 'shop->erp' },
  { entity: 'product', direction: 'both', owner: { fields: { 'variants.price': 'erp' } } },
  { entity: 'customer', direction: 'both' },
  { entity: 'stock', direction: 'erp->shop' },
];

describe.each(testStoreKinds())('regular sync: webhooks, polling, echoes and field ownership (%s)', (kind) => {
  let sims: Sims;
  let store: TestStoreUrl;
  let engine: RunningEngine;
  let srv: Serving;
  const admin = () => shopAdmin(sims);

  const odooTemplate = (sku: string) => {
    const [v] = sims.odoo.env.searchRead('product.product', [['default_code', '=', sku]], ['product_tmpl_id', 'lst_price']);
    const id = (v!.product_tmpl_id as [number, string])[0];
    const [t] = sims.odoo.env.read('product.template', [id], ['name', 'list_price']);
    return { id, name: String(t!.name), listPrice: Number(t!.list_price), lstPrice: Number(v!.lst_price) };
  };
  const shopProduct = (sku: string) => sims.shop.state.productBySku(sku)!;
  const deliveriesFor = (event: string, id: number) => sims.shop.state.deliveries.filter((d) => d.event === event && d.id === String(id));

  beforeAll(async () => {
    sims = await startSims();
    store = await createTestStoreUrl(kind);
    seedCatalog(sims, { products: 24, simpleEvery: 3, customers: 12, overlapProducts: 4, odooOnlyProducts: 3, overlapCustomers: 3, odooOnlyCustomers: 2 });
    engine = await openEngine(e2eConfig(sims, { storeUrl: store.url, flows: FLOWS }));
    const first = await syncAll(engine, { kind: 'initial', reconcile: true });
    expect(first.reconcile!.differences).toEqual([]);
    srv = await serve(engine, sims);
  });

  afterAll(async () => {
    await srv?.stop();
    await engine?.close();
    await sims?.close();
    await store?.cleanup();
  });

  it('a shop rename arrives in Odoo by webhook, and the webhook of nothing-new changes nothing', async () => {
    const sku = productSku(3);
    const p = shopProduct(sku);
    const before = sims.writes();
    await admin().updateProduct(p.id, { name: 'Renamed by webhook' });
    await srv.settle();
    expect(odooTemplate(sku).name).toBe('Renamed by webhook');
    expect(deliveriesFor('product.updated', p.id).at(-1)!.attempts).toEqual([200]);
    const inbox = await engine.store.inbox.list({ entity: 'product', recordId: String(p.id) });
    expect(inbox.at(-1)!.jobId).not.toBeNull();
    const after = sims.writes();
    expect(after.shop).toBe(before.shop); // nothing written back to the shop
    expect(after.odoo).toBeGreaterThan(before.odoo);

    // the same delivery again (a shop retry): the inbox drops it; a save without changes: no write
    const odooWrites = sims.odooWrites();
    await admin().updateProduct(p.id, { name: 'Renamed by webhook' });
    await srv.settle();
    expect(sims.odooWrites()).toBe(odooWrites);
  });

  it('a price change in Odoo reaches the shop by polling; the shop\'s webhook for that write writes nothing back (echo)', async () => {
    const sku = productSku(6);
    const t = odooTemplate(sku);
    sims.odoo.env.write('product.template', [t.id], { list_price: 77.5 });
    const shopWrites = sims.shopWrites();
    const odooWrites = sims.odooWrites();
    const deliveries = deliveriesFor('product.updated', shopProduct(sku).id).length;
    await enqueuePoll(engine, 'product');
    await srv.settle();
    expect(shopProduct(sku).variants[0]!.price).toBe('77.50');
    expect(sims.shopWrites()).toBe(shopWrites + 1);
    // the shop announced Tandem's own write by webhook; it was received, and produced no write to Odoo
    const echo = deliveriesFor('product.updated', shopProduct(sku).id);
    expect(echo.length).toBe(deliveries + 1);
    expect(echo.at(-1)!.attempts).toEqual([200]);
    expect(sims.odooWrites()).toBe(odooWrites);
    // and the next poll (which re-reads Odoo's recent changes) writes nothing either
    await enqueuePoll(engine, 'product');
    await srv.settle();
    expect(sims.writes()).toEqual({ odoo: odooWrites, shop: shopWrites + 1 });
  });

  it('Tandem\'s own write to Odoo, seen again by the next Odoo poll, writes nothing to the shop (echo)', async () => {
    const sku = variantSku(8, 'M', 'Red');
    await admin().updateProduct(shopProduct(sku).id, { description: 'New text from the shop' });
    await srv.settle();
    const writes = sims.writes();
    await enqueuePoll(engine, 'product');
    await srv.settle();
    expect(sims.writes()).toEqual(writes);
  });

  it('per-field ownership: name from the shop and price from Odoo, changed at the same time, neither overwrites the other', async () => {
    const sku = productSku(9);
    const p = shopProduct(sku);
    const t = odooTemplate(sku);
    sims.odoo.env.write('product.template', [t.id], { list_price: 12.25, name: 'Odoo rename (not the owner)' });
    await admin().updateProduct(p.id, { name: 'Shop rename (owner)', variants: [{ sku, price: '99.00' }] });
    await srv.settle();
    await enqueuePoll(engine, 'product');
    await srv.settle();
    expect(odooTemplate(sku)).toMatchObject({ name: 'Shop rename (owner)', listPrice: 12.25 });
    expect(shopProduct(sku).name).toBe('Shop rename (owner)');
    expect(shopProduct(sku).variants[0]!.price).toBe('12.25');
    // a second round changes nothing
    const writes = sims.writes();
    await enqueuePoll(engine, 'product');
    await srv.settle();
    expect(sims.writes()).toEqual(writes);
    const r = await reconcile(engine, { entities: ['product'] });
    expect(r.differences).toEqual([]);
  });

  it('variant products: a new size price in Odoo and a new variant barcode in the shop', async () => {
    const sku = variantSku(11, 'M', 'Blue');
    const p = shopProduct(sku);
    await admin().updateProduct(p.id, { variants: [{ sku, barcode: '4000000000111' }] });
    await srv.settle();
    const [v] = sims.odoo.env.searchRead('product.product', [['default_code', '=', sku]], ['barcode']);
    expect(v!.barcode).toBe('4000000000111');
    const r = await reconcile(engine, { entities: ['product'] });
    expect(r.differences).toEqual([]);
  });

  it('customers: a shop change arrives in Odoo by webhook', async () => {
    const c = sims.shop.state.customerByEmail(customerEmail(5))!;
    await admin().updateCustomer(c.id, { phone: '+49 40 555', first_name: 'Changed' });
    await srv.settle();
    const [partner] = sims.odoo.env.searchRead('res.partner', [['email', '=ilike', customerEmail(5)], ['parent_id', '=', false]], ['name', 'phone']);
    expect(partner).toMatchObject({ name: `Changed ${c.lastName}`, phone: '+49 40 555' });
  });

  it('with the shop\'s webhooks off, shop changes arrive by polling', async () => {
    sims.shop.setWebhook(null);
    const sku = productSku(12);
    const p = shopProduct(sku);
    const c = sims.shop.state.customerByEmail(customerEmail(7))!;
    await admin().updateProduct(p.id, { name: 'Renamed while webhooks were off' });
    await admin().updateCustomer(c.id, { last_name: 'Polled' });
    const created = await admin().createProduct({ name: 'Added while webhooks were off', variants: [{ sku: 'NEW-OFF-1', price: '3.00' }] });
    await srv.settle();
    expect(odooTemplate(sku).name).not.toBe('Renamed while webhooks were off');
    for (const e of ['product', 'customer'] as const) await enqueuePoll(engine, e);
    await srv.settle();
    expect(odooTemplate(sku).name).toBe('Renamed while webhooks were off');
    expect(odooTemplate('NEW-OFF-1').name).toBe('Added while webhooks were off');
    expect(sims.odoo.env.searchRead('res.partner', [['email', '=ilike', customerEmail(7)], ['parent_id', '=', false]], ['name'])[0]!.name).toBe(`${c.firstName} Polled`);
    expect(created[0]!.status).toBe(201);
    const r = await reconcile(engine);
    expect(r.differences).toEqual([]);
  });
});
