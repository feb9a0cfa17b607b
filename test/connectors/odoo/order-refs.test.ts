/**
 * Shop order numbers are namespaced in Odoo's client_order_ref ("shop-1001"): a second shop, a reinstalled
 * shop or a second `tandem demo` run with the same numbers never links its order to another's. Orders with
 * the bare number (written before the namespace) are found only when they could be this order's import.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startOdooSimulator, type OdooSimulator } from '../../../src/simulators/index.js';
import { createOdooConnector } from '../../../src/connectors/odoo/index.js';
import { createSystems } from '../../../src/connectors/registry.js';
import { OdooSettings } from '../../../src/connectors/odoo/settings.js';
import type { ErpConnector } from '../../../src/connectors/contract.js';

const log = pino({ level: 'silent' });
let now = Date.parse('2026-12-03T08:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

describe('shop order references in Odoo (client_order_ref)', () => {
  let sim: OdooSimulator;
  let partnerId: string;
  let productId: string;
  const connector = (extra: Record<string, unknown> = {}, shopName?: string): ErpConnector =>
    createOdooConnector('erp', OdooSettings.parse({ type: 'odoo', url: sim.url, db: sim.db, user: sim.admin.login, apiKey: sim.admin.apiKey, ...extra }), { log, ...(shopName && { shopName }) });
  const input = (number: string) => ({ number, origin: `test:${number}`, partnerId, currency: 'USD', lines: [{ productId, quantity: 1, priceUnit: '10.00', taxIds: [] }] });

  beforeAll(async () => {
    sim = await startOdooSimulator({ version: 17, now: () => new Date(now) });
    partnerId = String(sim.env.create('res.partner', { name: 'Ref Test', email: 'ref@example.com' }));
    productId = String(sim.env.create('product.product', { name: 'Ref Tee', default_code: 'REF-TEE', detailed_type: 'consu' }));
  });
  afterAll(() => sim.close());

  it('writes prefix + number (default: the shop system name + "-") and reads the bare number back', async () => {
    const c = createSystems({ web: { type: 'rest-shop', url: 'http://127.0.0.1:9/shop', auth: { type: 'bearer', token: 't' }, currency: 'USD' }, erp: { type: 'odoo', url: sim.url, db: sim.db, user: sim.admin.login, apiKey: sim.admin.apiKey } } as never, { log }).erp;
    const { order } = await c.orders.createOrder(input('1001'));
    expect(sim.env.read('sale.order', [Number(order.id)], ['client_order_ref'])[0]!.client_order_ref).toBe('web-1001');
    expect(order.number).toBe('1001');
    expect((await c.orders.findOrderByNumber('1001', { placedAt: iso(now) }))?.id).toBe(order.id);
    await c.close();
  });

  it('an older order with the bare number (another shop, an earlier demo run) is never taken for this one', async () => {
    const old = sim.env.create('sale.order', { partner_id: Number(partnerId), client_order_ref: '2002' });
    now += 60 * 60_000; // an hour later the shop places its own order 2002
    const c = connector({ orderReferencePrefix: 'shop-' });
    expect(await c.orders.findOrderByNumber('2002', { placedAt: iso(now) })).toBeNull();
    const { order } = await c.orders.createOrder(input('2002'));
    expect(order.id).not.toBe(String(old));
    expect((await c.orders.findOrderByNumber('2002', { placedAt: iso(now) }))?.id).toBe(order.id);
    await c.close();
  });

  it('a bare-number order created after the shop order was placed (imported by a Tandem before the prefix) is still found', async () => {
    const placed = now;
    now += 30_000;
    const legacy = sim.env.create('sale.order', { partner_id: Number(partnerId), client_order_ref: '3003' });
    const c = connector({ orderReferencePrefix: 'shop-' });
    expect((await c.orders.findOrderByNumber('3003', { placedAt: iso(placed) }))?.id).toBe(String(legacy));
    expect(await c.orders.findOrderByNumber('3003')).toBeNull(); // without the placing time no bare number is trusted
    await c.close();
  });

  it('two shops with the same order number get two ERP orders', async () => {
    const a = connector({ orderReferencePrefix: 'eu-' });
    const b = connector({ orderReferencePrefix: 'us-' });
    const oa = (await a.orders.createOrder(input('4004'))).order;
    expect(await b.orders.findOrderByNumber('4004', { placedAt: iso(now) })).toBeNull();
    const ob = (await b.orders.createOrder(input('4004'))).order;
    expect(ob.id).not.toBe(oa.id);
    expect((await a.orders.findOrderByNumber('4004', { placedAt: iso(now) }))?.id).toBe(oa.id);
    await Promise.all([a.close(), b.close()]);
  });

  it('orderReferencePrefix "" keeps bare numbers', async () => {
    const c = connector({ orderReferencePrefix: '' });
    const { order } = await c.orders.createOrder(input('5005'));
    expect(sim.env.read('sale.order', [Number(order.id)], ['client_order_ref'])[0]!.client_order_ref).toBe('5005');
    await c.close();
  });
});
