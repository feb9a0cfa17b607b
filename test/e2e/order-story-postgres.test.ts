/**
 * The order path on the PostgreSQL store (most e2e order tests run on SQLite only): the sneakers story
 * (import → confirm → invoice → payment → shipped with tracking → delivered → return with credit note and
 * shop refund), then the cancellations of order-lifecycle.test.ts — a paid order cancelled in the shop
 * (ERP order cancelled, invoice credited in full) and one cancelled in the ERP (shop order refunded) — and
 * a partial delivery completed by its backorder. REST shop ⇄ Odoo 17 simulators, each case on a fresh
 * PostgreSQL schema. Skipped when TANDEM_TEST_SKIP_POSTGRES=1.
 *
 * Found with it: on PostgreSQL `stack.settle()` can return with a job still queued (`waiting = 1`, its key's
 * head gone: the enqueue/complete race key-heads.ts repairs at the next claim, ~1 s later), so the checks
 * here settle until no job is open (settleAll).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { seedDemo, DEMO_TAX } from '../../src/demo/seed.js';
import { runStory } from '../../src/demo/story.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import { pollOrders } from '../../src/engine/orders/poll-orders.js';
import { Money } from '../../src/model/money.js';
import type { Order } from '../../src/model/entities.js';
import { createTestStoreUrl, testStoreKinds, type TestStoreUrl } from '../helpers/db.js';

const log = pino({ level: 'silent' });
const orders = { taxes: [{ rate: '20', erpTax: DEMO_TAX }], carriers: { standard: 'Standard delivery' } };
const postgres = testStoreKinds().includes('postgres');
if (!postgres) console.warn('order-story-postgres: skipped (TANDEM_TEST_SKIP_POSTGRES=1): the order path on PostgreSQL is not tested in this run');

describe.runIf(postgres)('the order path on the PostgreSQL store', () => {
  let t: TestStoreUrl;
  let stack: Stack;

  beforeEach(async () => {
    t = await createTestStoreUrl('postgres');
    stack = await startStack({ shop: 'rest-shop', storeUrl: t.url, log, config: { orders } as never });
    await seedDemo(stack);
  }, 60_000);

  afterEach(async () => {
    await stack?.close();
    await t?.cleanup();
  });

  it('the sneakers story: every step holds and reconciliation ends with 0 differences', async () => {
    expect(stack.engine.store.dialect).toBe('postgres');
    const result = await runStory(stack);
    expect(result.failed, JSON.stringify(result.steps.at(-1))).toBeUndefined();
    expect(result.steps.map((s) => s.ok)).toEqual(result.steps.map(() => true));
    expect(result.steps.length).toBe(12);
    expect(result.reconcile.differences).toEqual([]);
    const number = result.steps[2]!.shop.number as string;
    const erp = (await stack.engine.erp.orders.findOrderByNumber(number))!;
    const invoices = await stack.engine.erp.orders.listInvoices(erp.id);
    expect(invoices.filter((i) => i.kind === 'invoice').map((i) => i.total.toString())).toEqual(['93.90 EUR']);
    expect(invoices.filter((i) => i.kind === 'credit_note').map((i) => i.total.toString())).toEqual(['89.00 EUR']);
    expect(stack.odoo!.env.search('sale.order', [['client_order_ref', '=', `shop-${number}`]])).toHaveLength(1);
    // the steps are recorded in the PostgreSQL store
    const steps = await stack.engine.store.db.selectFrom('order_steps').select('step').where('state', '=', 'done').execute();
    expect(steps.map((s) => s.step)).toEqual(expect.arrayContaining(['import', 'confirm', 'invoice', 'payment']));
  }, 120_000);

  describe('cancellations and a partial delivery', () => {
    beforeEach(async () => {
      await syncAll(stack.engine, { kind: 'initial' });
      await stack.engine.erp.stock.setOnHand(['SNK-RUN-42', 'SOCK-3'].map((sku) => ({ sku, location: 'WH/Stock', onHand: 10 })));
    }, 60_000);

    /**
     * Runs every job, the order poll, and every job again. On PostgreSQL a keyed job enqueued while its
     * key's head completes can be left `waiting` until the next claim's head repair (~1 s, key-heads.ts);
     * worker.drain() returns as soon as nothing can be claimed, so settle again until no job is open.
     */
    async function settleAll(): Promise<void> {
      for (let i = 0; ; i++) {
        await stack.settle();
        const open = await stack.engine.store.db.selectFrom('jobs').select(['kind', 'state', 'attempts', 'last_error', 'payload', 'waiting']).where('state', '!=', 'done').execute();
        if (open.length === 0) return;
        if (i >= 10) expect(open, 'jobs not done after settling').toEqual([]);
        await new Promise((r) => setTimeout(r, 1_100)); // the head repair runs at most once a second
      }
    }

    async function react(): Promise<void> {
      await settleAll();
      const polled = await pollOrders(stack.engine);
      expect(polled.counts.read).toBe(polled.decided);
      await settleAll();
    }
    const shopOrder = async (id: string) => (await stack.engine.shop.orders.getOrder(id)).data as Order;
    async function place(lines: Array<{ sku: string; quantity: number }>): Promise<{ id: string; number: string }> {
      const id = await stack.restShop!.placeOrder({ email: 'buyer@example.com', firstName: 'B', lastName: 'Uyer', lines, paid: true, shipping: { method: 'standard', amount: '4.90' } });
      return { id, number: stack.restShop!.state.order(id)!.number };
    }

    it('a paid order cancelled in the shop is cancelled in the ERP and its invoice credited in full', async () => {
      const { id, number } = await place([{ sku: 'SOCK-3', quantity: 2 }]);
      await react();
      const erp = (await stack.engine.erp.orders.findOrderByNumber(number))!;
      expect(erp.state).toBe('confirmed');
      await stack.engine.shop.orders.setStatus(id, 'cancelled');
      await react();
      expect((await stack.engine.erp.orders.getOrder(erp.id)).state).toBe('cancelled');
      const inv = await stack.engine.erp.orders.listInvoices(erp.id);
      const total = inv.find((i) => i.kind === 'invoice')!.total;
      expect(inv.filter((i) => i.kind === 'credit_note' && i.state === 'posted').map((i) => i.total.toString())).toEqual([total.toString()]);
      expect(total.toString()).toBe(Money.fromJSON((await shopOrder(id)).total).toString());
    }, 60_000);

    it('an order cancelled in the ERP is cancelled in the shop and the payment refunded', async () => {
      const { id, number } = await place([{ sku: 'SOCK-3', quantity: 1 }]);
      await react();
      const erp = (await stack.engine.erp.orders.findOrderByNumber(number))!;
      await stack.engine.erp.orders.cancelOrder(erp.id);
      await react();
      const o = await shopOrder(id);
      expect(o.status).toBe('refunded');
      expect(o.refunds.map((r) => Money.fromJSON(r.amount).toString())).toEqual([Money.fromJSON(o.total).toString()]);
    }, 60_000);

    it('a partial delivery marks the shop order partially shipped, the backorder completes it (tracking on the shop order)', async () => {
      const { id, number } = await place([{ sku: 'SNK-RUN-42', quantity: 2 }]);
      await react();
      const erp = (await stack.engine.erp.orders.findOrderByNumber(number))!;
      await stack.engine.erp.orders.validateDelivery(erp.id, { lines: [{ sku: 'SNK-RUN-42', quantity: 1 }], carrier: 'DHL', trackingNumber: 'T-1' });
      await react();
      expect((await shopOrder(id)).status).toBe('partially_shipped');
      await stack.engine.erp.orders.validateDelivery(erp.id, { carrier: 'DHL', trackingNumber: 'T-2' });
      await react();
      const o = await shopOrder(id);
      expect(o.status).toBe('shipped');
      expect(o.shipments.map((s) => s.trackingNumber).sort()).toEqual(['T-1', 'T-2']);
    }, 60_000);
  });
});
