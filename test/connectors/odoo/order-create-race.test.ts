/**
 * Two runs of one shop order overlapping (a node reaped while its run still goes on, s17-dup): both look
 * the number up, find nothing, and both create. createOrder's read-back by reference makes every run keep
 * the lowest active sale order and remove its own later draft: one sale order is left, both runs link it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startOdooSimulator, type OdooSimulator } from '../../../src/simulators/index.js';
import { createOdooConnector } from '../../../src/connectors/odoo/index.js';
import { OdooSettings } from '../../../src/connectors/odoo/settings.js';
import type { ErpConnector } from '../../../src/connectors/contract.js';

const log = pino({ level: 'silent' });

describe.each([17, 19] as const)('two runs creating the same sale order at once (Odoo %i)', (version) => {
  let sim: OdooSimulator;
  let partnerId: string;
  let productId: string;
  const connector = (): ErpConnector =>
    createOdooConnector('erp', OdooSettings.parse({ type: 'odoo', url: sim.url, db: sim.db, user: sim.admin.login, apiKey: sim.admin.apiKey, orderReferencePrefix: 'shop-' }), { log });
  const input = (number: string) => ({ number, origin: `shop:${number}`, partnerId, currency: 'USD', lines: [{ productId, quantity: 1, priceUnit: '10.00', taxIds: [] }] });
  const saleOrders = (ref: string) => sim.env.search('sale.order', [['client_order_ref', '=', ref]]);

  beforeAll(async () => {
    sim = await startOdooSimulator({ version });
    partnerId = String(sim.env.create('res.partner', { name: 'Race Test', email: 'race@example.com' }));
    productId = String(sim.env.create('product.product', { name: 'Race Tee', default_code: 'RACE-TEE', ...(version === 17 ? { detailed_type: 'consu' } : { type: 'consu' }) }));
  });
  afterAll(() => sim.close());

  it('both looked the number up before either created: one sale order left, both runs return it', async () => {
    const [a, b] = [connector(), connector()];
    expect(await a.orders.findOrderByNumber('1001')).toBeNull();
    expect(await b.orders.findOrderByNumber('1001')).toBeNull();
    const [ra, rb] = await Promise.all([a.orders.createOrder(input('1001')), b.orders.createOrder(input('1001'))]);
    expect(saleOrders('shop-1001')).toHaveLength(1);
    expect(ra.order.id).toBe(rb.order.id);
    expect(ra.order.id).toBe(String(saleOrders('shop-1001')[0]));
    expect([ra.created, rb.created].sort()).toEqual([false, true]);
    expect(ra.order.number).toBe('1001');
    expect(ra.order.state).toBe('draft');
    expect(rb.order.total.toString()).toBe(ra.order.total.toString());
    await Promise.all([a.close(), b.close()]);
  });

  it('the other run created and read back first: the later one removes its own draft and links the first', async () => {
    const [a, b] = [connector(), connector()];
    expect(await a.orders.findOrderByNumber('1002')).toBeNull();
    expect(await b.orders.findOrderByNumber('1002')).toBeNull();
    const ra = await a.orders.createOrder(input('1002'));
    const rb = await b.orders.createOrder(input('1002'));
    expect(ra.created).toBe(true);
    expect(rb).toMatchObject({ created: false, order: { id: ra.order.id } });
    expect(saleOrders('shop-1002')).toEqual([Number(ra.order.id)]);
    await Promise.all([a.close(), b.close()]);
  });

  it('a cancelled order with the same reference does not make a new import discard itself', async () => {
    const c = connector();
    const old = sim.env.create('sale.order', { partner_id: Number(partnerId), client_order_ref: 'shop-1003', state: 'cancel' });
    const r = await c.orders.createOrder(input('1003'));
    expect(r.created).toBe(true);
    expect(r.order.id).not.toBe(String(old));
    expect(saleOrders('shop-1003')).toHaveLength(2);
    await c.close();
  });
});
