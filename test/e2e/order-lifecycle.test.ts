/**
 * Order import and lifecycle edge cases against the simulators (REST shop ⇄ Odoo 17): duplicate, reordered
 * and late webhooks; racing workers; a crash between the ERP write and the link; partial delivery and
 * partial refund; cancellation after payment from either side; rounding to the cent; unknown SKUs waiting
 * in the dead letters until the product exists.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack, DEMO_WEBHOOK_SECRET, type Stack } from '../../src/demo/stack.js';
import { seedDemo, DEMO_TAX } from '../../src/demo/seed.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import { pollOrders } from '../../src/engine/orders/poll-orders.js';
import { syncOrder } from '../../src/engine/orders/sync-order.js';
import { importOrder } from '../../src/engine/orders/import-order.js';
import { createEngine } from '../../src/engine/create-engine.js';
import { signWebhook } from '../../src/connectors/rest-shop/webhook.js';
import { Money } from '../../src/model/money.js';
import type { Order } from '../../src/model/entities.js';

const log = pino({ level: 'silent' });
const orders = { taxes: [{ rate: '20', erpTax: DEMO_TAX }], carriers: { standard: 'Standard delivery' } };

let stack: Stack;
let dir: string;

async function react(): Promise<void> {
  await stack.settle();
  const polled = await pollOrders(stack.engine);
  expect(polled.counts.read).toBe(polled.decided); // the poll's summary adds up (ERP-changed orders are read too)
  await stack.settle();
}

const shopOrder = async (id: string) => (await stack.engine.shop.orders.getOrder(id)).data as Order;
const erpOrdersFor = (number: string) => stack.odoo!.env.search('sale.order', [['client_order_ref', '=', `shop-${number}`]]);

async function place(lines: Array<{ sku: string; quantity: number }>, extra: { couponPercent?: string; paid?: boolean } = {}): Promise<{ id: string; number: string }> {
  const id = await stack.restShop!.placeOrder({ email: 'buyer@example.com', firstName: 'B', lastName: 'Uyer', lines, paid: extra.paid ?? true, shipping: { method: 'standard', amount: '4.90' }, ...(extra.couponPercent && { couponPercent: extra.couponPercent }) });
  return { id, number: stack.restShop!.state.order(id)!.number };
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-orders-'));
  stack = await startStack({ shop: 'rest-shop', storeUrl: `sqlite:${join(dir, 'tandem.db')}`, log, config: { orders } as never });
  await seedDemo(stack);
  await syncAll(stack.engine, { kind: 'initial' });
  await stack.engine.erp.stock.setOnHand(['SNK-RUN-42', 'SNK-RUN-43', 'SNK-RUN-44', 'SOCK-3'].map((sku) => ({ sku, location: 'WH/Stock', onHand: 10 })));
});

afterEach(async () => {
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('exactly one ERP order', () => {
  it('duplicate, reordered and late webhooks for one order create one ERP order with the right final status', async () => {
    const shop = stack.restShop!;
    shop.setWebhook(null); // deliver by hand, in a bad order
    const { id, number } = await place([{ sku: 'SNK-RUN-43', quantity: 1 }]);
    const post = async (deliveryId: string, event: string) => {
      // a shop's body carries the time of the event: a redelivery is the same bytes, a new event is not
      const body = JSON.stringify({ event, occurred_at: `2026-12-01T10:00:0${deliveryId.slice(2)}Z`, data: { id: Number(id) } });
      const ts = Math.floor(Date.now() / 1000);
      const res = await fetch(`${stack.http.url}/webhooks/shop`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tandem-timestamp': String(ts), 'x-tandem-delivery': deliveryId, 'x-tandem-signature': signWebhook(DEMO_WEBHOOK_SECRET, ts, body) }, body });
      return (await res.json()) as { accepted: number; duplicates: number };
    };
    // an update arrives before the create, the create twice (a redelivery), and a late update after all
    expect(await post('d-2', 'order.updated')).toMatchObject({ accepted: 1 });
    expect(await post('d-1', 'order.created')).toMatchObject({ accepted: 1 });
    expect(await post('d-1', 'order.created')).toMatchObject({ accepted: 0, duplicates: 1 });
    await stack.settle();
    expect(await post('d-3', 'order.updated')).toMatchObject({ accepted: 1 });
    await stack.settle();
    expect(erpOrdersFor(number)).toHaveLength(1);
    const erp = await stack.engine.erp.orders.findOrderByNumber(number);
    expect(erp?.state).toBe('confirmed');
    expect((await stack.engine.erp.orders.listInvoices(erp!.id)).filter((i) => i.kind === 'invoice')).toHaveLength(1);
  });

  it('two workers (two engines on one store) racing on the same order create one ERP order', async () => {
    stack.restShop!.setWebhook(null);
    const { id, number } = await place([{ sku: 'SNK-RUN-42', quantity: 1 }]);
    const second = await createEngine({ config: stack.engine.config, storeUrl: `sqlite:${join(dir, 'tandem.db')}`, log });
    try {
      await Promise.all([syncOrder(stack.engine, id), syncOrder(second, id), syncOrder(stack.engine, id), syncOrder(second, id)]);
    } finally {
      await second.close();
    }
    expect(erpOrdersFor(number)).toHaveLength(1);
  });

  it('two orders of one new customer imported at the same moment create one ERP partner', async () => {
    stack.restShop!.setWebhook(null);
    const ids: string[] = [];
    for (const sku of ['SNK-RUN-42', 'SOCK-3']) {
      ids.push(await stack.restShop!.placeOrder({ email: 'New.Twin@Example.com', firstName: 'New', lastName: 'Twin', lines: [{ sku, quantity: 1 }], paid: true }));
    }
    const second = await createEngine({ config: stack.engine.config, storeUrl: `sqlite:${join(dir, 'tandem.db')}`, log });
    try {
      await Promise.all([syncOrder(stack.engine, ids[0]!), syncOrder(second, ids[1]!)]);
    } finally {
      await second.close();
    }
    expect(stack.odoo!.env.search('res.partner', [['email', '=ilike', 'new.twin@example.com'], ['parent_id', '=', false]])).toHaveLength(1);
  });

  it('a retry after a crash between the ERP write and the link finds the order instead of creating another', async () => {
    stack.restShop!.setWebhook(null);
    const { id, number } = await place([{ sku: 'SNK-RUN-44', quantity: 1 }]);
    // the first attempt wrote to the ERP, then the process died before Tandem recorded anything
    await importOrder(stack.engine, id, await shopOrder(id));
    expect(erpOrdersFor(number)).toHaveLength(1);
    const res = await syncOrder(stack.engine, id);
    expect(res.steps).not.toContain('import');
    expect(erpOrdersFor(number)).toHaveLength(1);
    expect(res.erpId).toBe(String(erpOrdersFor(number)[0]));
  });
});

describe('fulfilment and money', () => {
  it('a partial delivery marks the shop order partially shipped, the backorder completes it', async () => {
    const { id, number } = await place([{ sku: 'SNK-RUN-42', quantity: 2 }]);
    await react();
    const erp = (await stack.engine.erp.orders.findOrderByNumber(number))!;
    await stack.engine.erp.orders.validateDelivery(erp.id, { lines: [{ sku: 'SNK-RUN-42', quantity: 1 }], carrier: 'DHL', trackingNumber: 'T-1' });
    await react();
    let o = await shopOrder(id);
    expect(o.status).toBe('partially_shipped');
    expect(o.shipments.map((s) => s.trackingNumber)).toEqual(['T-1']);
    await stack.engine.erp.orders.validateDelivery(erp.id, { carrier: 'DHL', trackingNumber: 'T-2' });
    await react();
    o = await shopOrder(id);
    expect(o.status).toBe('shipped');
    expect(o.shipments.map((s) => s.trackingNumber).sort()).toEqual(['T-1', 'T-2']);
  });

  it('a partial refund with restock returns that quantity to the ERP and credits exactly the refunded amount', async () => {
    const { id, number } = await place([{ sku: 'SNK-RUN-43', quantity: 2 }]);
    await react();
    const erp = (await stack.engine.erp.orders.findOrderByNumber(number))!;
    await stack.engine.erp.orders.validateDelivery(erp.id, { carrier: 'DHL', trackingNumber: 'T-9' });
    await react();
    const onHand = async () => (await stack.engine.erp.stock.readStock({ skus: ['SNK-RUN-43'] })).reduce((a, l) => a + l.onHand, 0);
    const before = await onHand();
    await stack.engine.shop.orders.recordRefund(id, { key: 'partial-1', amount: Money.of('89.00', 'EUR'), reason: 'one pair back', restock: true, lines: [{ sku: 'SNK-RUN-43', quantity: 1, amount: Money.of('89.00', 'EUR') }] });
    await react();
    expect(await onHand()).toBe(before + 1);
    const invoices = await stack.engine.erp.orders.listInvoices(erp.id);
    expect(invoices.filter((i) => i.kind === 'credit_note' && i.state === 'posted').map((i) => i.total.toString())).toEqual(['89.00 EUR']);
    const returns = (await stack.engine.erp.orders.listShipments(erp.id)).filter((s) => s.kind === 'return');
    expect(returns).toHaveLength(1);
    expect(returns[0]!.lines.map((l) => [l.sku, l.done])).toEqual([['SNK-RUN-43', 1]]);
    // a second pass changes nothing
    await react();
    expect((await stack.engine.erp.orders.listInvoices(erp.id)).filter((i) => i.kind === 'credit_note')).toHaveLength(1);
  });

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
  });

  it('an order cancelled in the ERP is cancelled in the shop and the payment refunded', async () => {
    const { id, number } = await place([{ sku: 'SOCK-3', quantity: 1 }]);
    await react();
    const erp = (await stack.engine.erp.orders.findOrderByNumber(number))!;
    await stack.engine.erp.orders.cancelOrder(erp.id);
    await react();
    const o = await shopOrder(id);
    // cancelled, then refunded in full: the shop shows the final state
    expect(o.status).toBe('refunded');
    expect(o.refunds.map((r) => Money.fromJSON(r.amount).toString())).toEqual([Money.fromJSON(o.total).toString()]);
  });

  it('rounding: 3 lines at 19.99, 10 % off, 20 % tax included — the ERP order equals what the customer paid, to the cent', async () => {
    const shop = stack.restShop!;
    shop.seed.products(['A', 'B', 'C'].map((x) => ({ name: `Round ${x}`, variants: [{ sku: `ROUND-${x}`, price: '19.99' }] })));
    await syncAll(stack.engine, { kind: 'poll', entities: ['product'] });
    const { id, number } = await place(['A', 'B', 'C'].map((x) => ({ sku: `ROUND-${x}`, quantity: 1 })), { couponPercent: '10' });
    await react();
    const o = await shopOrder(id);
    const erp = (await stack.engine.erp.orders.findOrderByNumber(number))!;
    expect(erp.total.toString()).toBe(Money.fromJSON(o.total).toString());
    const [inv] = (await stack.engine.erp.orders.listInvoices(erp.id)).filter((i) => i.kind === 'invoice');
    expect(inv!.total.toString()).toBe(Money.fromJSON(o.total).toString());
    expect(inv!.paymentState).toBe('paid');
  });
});

describe('unknown SKU', () => {
  it('waits in the dead letters with a clear reason and imports on replay once the product exists', async () => {
    const shop = stack.restShop!;
    shop.seed.products([{ name: 'New Cap', variants: [{ sku: 'CAP-1', price: '25.00' }] }], { stock: 5 }); // in the shop only
    const { number } = await place([{ sku: 'CAP-1', quantity: 1 }]);
    await stack.settle();
    const [dead] = await stack.engine.queue.list({ state: 'dead' });
    expect(dead?.kind).toBe('order.sync');
    expect(dead?.lastError?.message).toMatch(/SKU CAP-1 is unknown in the ERP/);
    expect(dead?.lastError?.hint).toMatch(/replay/);
    expect(erpOrdersFor(number)).toHaveLength(0);
    await syncAll(stack.engine, { kind: 'poll', entities: ['product'] });
    await stack.engine.queue.replay(dead!.id);
    await stack.settle();
    expect(erpOrdersFor(number)).toHaveLength(1);
    expect((await stack.engine.queue.get(dead!.id))?.state).toBe('done');
  });

  it('is settled without a replay when a later event for the order imports it', async () => {
    const shop = stack.restShop!;
    shop.seed.products([{ name: 'Scarf', variants: [{ sku: 'SCARF-1', price: '30.00' }] }], { stock: 5 });
    const { id, number } = await place([{ sku: 'SCARF-1', quantity: 1 }]);
    await stack.settle();
    const [dead] = await stack.engine.queue.list({ state: 'dead', kind: 'order.sync' });
    expect(dead?.key).toBe(`order:${id}`);
    await syncAll(stack.engine, { kind: 'poll', entities: ['product'] });
    await stack.engine.shop.orders.setStatus(id, 'on_hold'); // any change: the shop sends order.updated
    await stack.settle();
    expect(erpOrdersFor(number)).toHaveLength(1);
    expect((await stack.engine.queue.get(dead!.id))?.state).toBe('done');
    expect(await stack.engine.queue.list({ state: 'dead' })).toEqual([]);
  });
});
