/**
 * A partial shipment on WooCommerce (issue 11.10): 2 of 3 items delivered in Odoo → the customer's note says
 * it is partial ("2 of 3 items"; WooCommerce has no partial status), and the backorder's note completes it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { seedDemo, DEMO_TAX } from '../../src/demo/seed.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import { pollOrders } from '../../src/engine/orders/poll-orders.js';
import type { Order } from '../../src/model/entities.js';

const orders = { taxes: [{ rate: '20', erpTax: DEMO_TAX }], carriers: { flat_rate: 'Standard delivery' } };
let stack: Stack;

async function react(): Promise<void> {
  await stack.settle();
  await pollOrders(stack.engine);
  await stack.settle();
}

beforeEach(async () => {
  stack = await startStack({ shop: 'woocommerce', storeUrl: 'sqlite::memory:', log: pino({ level: 'silent' }), config: { orders } as never });
  await seedDemo(stack);
  await syncAll(stack.engine, { kind: 'initial' });
  await stack.engine.erp.stock.setOnHand([{ sku: 'SNK-RUN-42', location: 'WH/Stock', onHand: 10 }]);
});

afterEach(async () => {
  await stack.close();
});

describe('partial shipment on WooCommerce', () => {
  it('2 of 3 items shipped: the customer note says partial; the rest completes it', async () => {
    const id = String(await stack.woo!.placeOrder({ email: 'three@example.com', lines: [{ sku: 'SNK-RUN-42', quantity: 3 }], paid: true, shippingTotal: '4.90' }));
    await react();
    const number = ((await stack.engine.shop.orders.getOrder(id)).data as Order).number;
    const erp = (await stack.engine.erp.orders.findOrderByNumber(number))!;
    const customerNotes = () => (stack.woo!.store.notes.get(Number(id)) ?? []).filter((n) => n.customerNote).map((n) => n.note);

    await stack.engine.erp.orders.validateDelivery(erp.id, { lines: [{ sku: 'SNK-RUN-42', quantity: 2 }], carrier: 'DHL', trackingNumber: 'T-1' });
    await react();
    // WooCommerce has no "partially shipped" status (it stays processing): the note is what says it
    expect(stack.woo!.store.orders.get(Number(id))!.status).toBe('processing');
    expect(customerNotes()).toEqual([expect.stringMatching(/^Part of your order has shipped: 2 of 3 items with [^,]+, tracking T-1\. The rest follows\.$/)]);

    await stack.engine.erp.orders.validateDelivery(erp.id, { carrier: 'DHL', trackingNumber: 'T-2' });
    await react();
    expect(((await stack.engine.shop.orders.getOrder(id)).data as Order).status).toBe('shipped');
    expect(customerNotes()[1]).toMatch(/^The rest of your order has shipped: 1 item \(3 of 3\) with [^,]+, tracking T-2$/);
  });
});
