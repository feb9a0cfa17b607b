/**
 * The ERP poll does not re-queue an order whose only ERP change is Tandem's own write (import, confirm,
 * invoice, payment), and still re-queues every real change: one by another ERP user in the same second,
 * and one in the same second as Tandem's run ended even by Tandem's own user (a tie is never skipped).
 * SQLite and PostgreSQL (the stamp of Tandem's last ERP write is a store table, migration 014).
 *
 * The Odoo simulator's clock is driven: Odoo stamps a write with its transaction start (whole seconds);
 * "the run ended in a later second than its writes" is played by stamping them 2.5 s behind.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { seedDemo, DEMO_TAX } from '../../src/demo/seed.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import { isOwnErpWrite, pollOrders, type OrderPollReport } from '../../src/engine/orders/poll-orders.js';
import { startOdooSimulator, type OdooSimulator } from '../../src/simulators/index.js';
import { createTestStoreUrl, testStoreKinds, type TestStoreUrl } from '../helpers/db.js';

const log = pino({ level: 'silent' });
const orders = { taxes: [{ rate: '20', erpTax: DEMO_TAX }], carriers: { standard: 'Standard delivery' }, skipOwnErpWrites: true };

describe('isOwnErpWrite', () => {
  const at = '2026-12-03T10:00:05Z';
  const t = Date.parse(at);
  it.each([
    ['own, run ended in the next second', { id: '1', at, own: true }, t + 1000, true],
    ['own, run ended later', { id: '1', at, own: true }, t + 7350, true],
    ['own, run ended in the same second (a tie)', { id: '1', at, own: true }, t + 999, false],
    ['own, run ended at the very start of that second (a tie)', { id: '1', at, own: true }, t, false],
    ['own, changed after the run', { id: '1', at, own: true }, t - 1, false],
    ['another user', { id: '1', at, own: false }, t + 5000, false],
    ['Tandem never wrote the order', { id: '1', at, own: true }, undefined, false],
    ['no stamp from the connector', undefined, t + 5000, false],
    ['a stamp that is not a time', { id: '1', at: 'soon', own: true }, t + 5000, false],
  ] as const)('%s', (_name, change, writtenAt, expected) => {
    expect(isOwnErpWrite(change, writtenAt)).toBe(expected);
  });
});

const stores: TestStoreUrl[] = [];
afterAll(() => Promise.all(stores.map((s) => s.cleanup())));

describe.each(testStoreKinds())('ERP poll and Tandem\'s own writes (%s)', (kind) => {
  let stack: Stack;
  let odoo: OdooSimulator;
  let odooOffsetMs = 0;
  let odooFrozen: number | null = null;

  beforeEach(async () => {
    odooOffsetMs = 0;
    odooFrozen = null;
    odoo = await startOdooSimulator({ version: 17, currency: 'EUR', now: () => new Date(odooFrozen ?? Date.now() + odooOffsetMs) });
    const store = await createTestStoreUrl(kind);
    stores.push(store);
    stack = await startStack({ shop: 'rest-shop', storeUrl: store.url, log, config: { orders } as never, erp: { url: odoo.url, db: odoo.db, user: odoo.admin.login, key: odoo.admin.apiKey, orderReferencePrefix: 'shop-' } });
    await seedDemo({ ...stack, odoo }); // the demo tax goes into the simulator started here
    await syncAll(stack.engine, { kind: 'initial' });
    await stack.engine.erp.stock.setOnHand([{ sku: 'SOCK-3', location: 'WH/Stock', onHand: 10 }]);
  }, 60_000);

  afterEach(async () => {
    await stack.close();
    await odoo.close();
  });

  /** An order placed, imported, confirmed, invoiced and paid by Tandem, its ERP writes stamped 2.5 s before its runs end. */
  async function syncedOrder(): Promise<{ id: string; erpId: string; writtenAt: number }> {
    const id = await stack.restShop!.placeOrder({ email: 'buyer@example.com', firstName: 'B', lastName: 'Uyer', lines: [{ sku: 'SOCK-3', quantity: 1 }], paid: true, shipping: { method: 'standard', amount: '4.90' } });
    odooOffsetMs = -2500; // and stays behind: a stamp frozen below is never earlier than the clock's last reading
    await stack.settle();
    const number = stack.restShop!.state.order(id)!.number;
    const erp = (await stack.engine.erp.orders.findOrderByNumber(number))!;
    expect(erp.state).toBe('confirmed');
    expect(erp.invoiceIds.length).toBe(1);
    const writtenAt = (await stack.engine.store.orderErpWrites.getMany([id])).get(id);
    expect(writtenAt).toBeTypeOf('number');
    return { id, erpId: erp.id, writtenAt: writtenAt! };
  }

  const erpQueued = (r: OrderPollReport) => (r.examples.updated ?? []).filter((e) => e.reason === 'queued (ERP changed)').map((e) => e.id);
  const ownSkipped = (r: OrderPollReport) => (r.examples.unchanged ?? []).filter((e) => e.reason === "Tandem's own ERP write").map((e) => e.id);

  it('Tandem\'s own import, confirm, invoice and payment are not re-queued by the ERP poll', async () => {
    const { id } = await syncedOrder();
    const polled = await pollOrders(stack.engine);
    expect(ownSkipped(polled)).toEqual([id]);
    expect(erpQueued(polled)).toEqual([]);
    expect(polled.ownSkipped).toBe(1);
    expect(polled.counts.read).toBe(polled.decided);
  }, 60_000);

  it('by default (orders.skipOwnErpWrites off) Tandem\'s own writes are re-queued like any change', async () => {
    const { id } = await syncedOrder();
    (stack.engine.config.orders as { skipOwnErpWrites: boolean }).skipOwnErpWrites = false;
    const polled = await pollOrders(stack.engine);
    expect(erpQueued(polled)).toEqual([id]);
    expect(ownSkipped(polled)).toEqual([]);
  }, 60_000);

  it.each([
    ['in the same second as Tandem\'s run ended', 0],
    ['while Tandem\'s run went on (a second before it ended)', -1000],
  ])('a change by another ERP user %s is re-queued', async (_when, shift) => {
    const { id, erpId, writtenAt } = await syncedOrder();
    odooFrozen = Math.floor(writtenAt / 1000) * 1000 + shift + 500;
    // OdooBot (uid 1) cancels the order: a user of the ERP, not Tandem's
    odoo.env.call('sale.order', 'action_cancel', [Number(erpId)], { context: { disable_cancel_warning: true } }, { uid: 1 });
    const polled = await pollOrders(stack.engine);
    expect(erpQueued(polled)).toEqual([id]);
    expect(ownSkipped(polled)).toEqual([]);
  }, 60_000);

  it('a change by Tandem\'s own ERP user in the same second as its run ended is re-queued (a tie)', async () => {
    const { id, erpId, writtenAt } = await syncedOrder();
    odooFrozen = Math.floor(writtenAt / 1000) * 1000 + 999; // still that second
    // someone working in Odoo with the integration's own account cancels the order right after the run
    await stack.engine.erp.orders.cancelOrder(erpId);
    const polled = await pollOrders(stack.engine);
    expect(erpQueued(polled)).toEqual([id]);
    expect(ownSkipped(polled)).toEqual([]);
  }, 60_000);

  it('a change by Tandem\'s own ERP user a second after its run is re-queued', async () => {
    const { id, erpId, writtenAt } = await syncedOrder();
    odooFrozen = writtenAt + 1000;
    await stack.engine.erp.orders.cancelOrder(erpId);
    const polled = await pollOrders(stack.engine);
    expect(erpQueued(polled)).toEqual([id]);
  }, 60_000);
});
