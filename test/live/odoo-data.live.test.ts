/**
 * Live (issue 11.10, Odoo side) against a REAL Odoo when TANDEM_TEST_ODOO_URL/_DB/_USER/_KEY are set: German
 * states stored as "DE-BY" matched from the shop's "BY"; a partner found by email gets customer_rank; a
 * configured stock location outside WH/Stock is read. Unique data per run; created records archived.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createOdooConnector } from '../../src/connectors/odoo/index.js';
import { OdooSettings } from '../../src/connectors/odoo/settings.js';
import { OdooTransport } from '../../src/connectors/odoo/transport.js';
import type { ErpConnector } from '../../src/connectors/contract.js';
import type { Customer, Product } from '../../src/model/index.js';

const env = { url: process.env.TANDEM_TEST_ODOO_URL, db: process.env.TANDEM_TEST_ODOO_DB, user: process.env.TANDEM_TEST_ODOO_USER, key: process.env.TANDEM_TEST_ODOO_KEY };
const configured = Boolean(env.url && env.db && env.user && env.key);
const log = pino({ level: process.env.TANDEM_LOG_LEVEL ?? 'warn' });
const noLookup = () => undefined;
const run = `TDD${Date.now().toString(36).toUpperCase()}`;

describe.skipIf(!configured)('odoo live: states, customer_rank, stock locations', () => {
  let t: OdooTransport;
  let c: ErpConnector;
  let location = '';
  const partners: number[] = [];

  beforeAll(async () => {
    t = new OdooTransport({ url: env.url!, db: env.db, user: env.user!, apiKey: env.key!, protocol: 'auto', version: 'auto', lang: 'en_US', tz: 'UTC', timeoutMs: 60_000 });
    const [wh] = await t.call<Array<{ view_location_id: [number, string]; code: string }>>('stock.warehouse', 'search_read', { kwargs: { domain: [], fields: ['view_location_id', 'code'], limit: 1, order: 'id asc' } });
    const locId = await t.call<number>('stock.location', 'create', { kwargs: { vals_list: [{ name: `${run}-Overflow`, usage: 'internal', location_id: wh!.view_location_id[0] }] } }).then((r) => (Array.isArray(r) ? (r[0] as number) : r));
    const [loc] = await t.call<Array<{ complete_name: string }>>('stock.location', 'read', { ids: [locId], kwargs: { fields: ['complete_name'] } });
    location = loc!.complete_name;
    c = createOdooConnector('erp', OdooSettings.parse({ type: 'odoo', url: env.url, db: env.db, user: env.user, apiKey: env.key, timeout: '60s' }), { log, stockLocations: [location] });
  });

  afterAll(async () => {
    if (partners.length) await t.call('res.partner', 'write', { ids: partners, kwargs: { vals: { active: false } } }).catch(() => undefined);
    const tmpl = await t.call<number[]>('product.template', 'search', { kwargs: { domain: [['name', '=like', `${run}%`]] } }).catch(() => []);
    if (tmpl.length) await t.call('product.template', 'write', { ids: tmpl, kwargs: { vals: { active: false } } }).catch(() => undefined);
    await c?.close();
  });

  it('a German address sent as "BY" gets Odoo\'s DE-BY state and reads back as "BY"', async () => {
    const rec: Customer = { email: `${run.toLowerCase()}.by@example.com`, firstName: 'Bea', lastName: 'Bayer', company: null, phone: null, addresses: [{ type: 'contact', name: 'Bea', company: null, street: 'Marienplatz 1', street2: null, city: 'München', zip: '80331', state: 'BY', country: 'DE', phone: null, email: null }] };
    const [w] = await c.write('customer', [{ kind: 'create', key: 'by', record: rec }], { lookup: noLookup });
    expect(w).toMatchObject({ ok: true });
    const id = Number(w!.ok ? w!.id : 0);
    partners.push(id);
    const [p] = await t.call<Array<{ state_id: [number, string] | false }>>('res.partner', 'read', { ids: [id], kwargs: { fields: ['state_id'] } });
    expect(p!.state_id).not.toBe(false);
    const [st] = await t.call<Array<{ code: string }>>('res.country.state', 'read', { ids: [(p!.state_id as [number, string])[0]], kwargs: { fields: ['code'] } });
    console.log(`[live] Odoo stores Bavaria as ${st!.code}`);
    const [got] = await c.fetch('customer', [String(id)]);
    expect(got!.data!.addresses[0]!.state).toBe('BY');
  });

  it('a partner found by email gets customer_rank 1, and an email-only customer reads back as written', async () => {
    const email = `${run.toLowerCase()}.walkin@example.com`;
    const [pid] = await t.call<number[]>('res.partner', 'create', { kwargs: { vals_list: [{ name: 'Walk In', email }] } }).then((r) => (Array.isArray(r) ? r : [r as number]));
    partners.push(pid!);
    const rec: Customer = { email, firstName: '', lastName: '', company: null, phone: null, addresses: [] };
    const [w] = await c.write('customer', [{ kind: 'create', key: 'w', record: rec }], { lookup: noLookup });
    expect(w).toMatchObject({ ok: true, id: String(pid), created: false });
    const [p] = await t.call<Array<{ customer_rank: number }>>('res.partner', 'read', { ids: [pid!], kwargs: { fields: ['customer_rank'] } });
    expect(p!.customer_rank).toBeGreaterThan(0);
    const [got] = await c.fetch('customer', [String(pid)]);
    expect(got!.data).toEqual(rec);
  });

  it('stock of a configured location outside WH/Stock is read: 7 + 4', async () => {
    const sku = `${run}-STK`;
    const product: Product = { name: `${run} stock`, description: '', categoryIds: [], attributes: [], active: true, tracksStock: true, variants: [{ sku, barcode: null, attributes: {}, price: { amount: '5.00', currency: process.env.TANDEM_TEST_ODOO_CURRENCY ?? 'USD' }, salePrice: null, weight: null, active: true }] };
    const [w] = await c.write('product', [{ kind: 'create', key: 'p', record: product }], { lookup: noLookup });
    expect(w).toMatchObject({ ok: true });
    const whStock = (await c.stock.listLocations())[0]!.name;
    await c.stock.setOnHand([{ sku, location: whStock, onHand: 7 }, { sku, location, onHand: 4 }]);
    const levels = await c.stock.readStock({ skus: [sku] });
    expect(Object.fromEntries(levels.map((l) => [l.location, l.onHand]))).toMatchObject({ [whStock]: 7, [location]: 4 });
  });
});
