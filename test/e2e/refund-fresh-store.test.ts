/**
 * Issue 11 item 3: every money-moving step checks the remote systems for its own earlier effect, not
 * only the local store. After the sneakers story (shop refund → ERP return + credit note), a Tandem with
 * a FRESH store (a reinstall, a restored older backup) syncs the same order again: no second refund in
 * the shop, no second return or credit note in the ERP.
 */
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { startStack } from '../../src/demo/stack.js';
import { seedDemo, DEMO_TAX } from '../../src/demo/seed.js';
import { runStory } from '../../src/demo/story.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import { createEngine } from '../../src/engine/create-engine.js';
import { syncOrder } from '../../src/engine/orders/sync-order.js';
import type { Order } from '../../src/model/entities.js';
import { pollOrders } from '../../src/engine/orders/poll-orders.js';
import { shopActor, warehouseActor } from '../../src/demo/actors.js';
import type { Stack } from '../../src/demo/stack.js';

const log = pino({ level: 'silent' });
const orders = { taxes: [{ rate: '20', erpTax: DEMO_TAX }], carriers: { standard: 'Standard delivery', 'Flat rate': 'Standard delivery' } };

describe.each(['woocommerce', 'rest-shop'] as const)('a fresh store over systems that already hold a refunded order (%s)', (shop) => {
  it('sends no second refund, return or credit note', async () => {
    const stack = await startStack({ shop, odooVersion: 17, storeUrl: 'sqlite::memory:', log, config: { orders } as never });
    try {
      await seedDemo(stack);
      const story = await runStory(stack);
      expect(story.failed, JSON.stringify(story.steps.at(-1))).toBeUndefined();
      const shopId = String(story.steps[2]!.shop.orderId);
      const erp = (await stack.engine.erp.orders.findOrderByNumber(String(story.steps[2]!.shop.number)))!;
      const count = async () => {
        const o = (await stack.engine.shop.orders.getOrder(shopId)).data as Order;
        const shipments = await stack.engine.erp.orders.listShipments(erp.id);
        const invoices = await stack.engine.erp.orders.listInvoices(erp.id);
        return {
          shopRefunds: o.refunds.map((r) => r.amount.amount),
          erpReturns: shipments.filter((s) => s.kind === 'return').length,
          creditNotes: invoices.filter((i) => i.kind === 'credit_note').map((i) => i.total.toString()),
        };
      };
      const before = await count();
      expect(before).toEqual({ shopRefunds: ['89.00'], erpReturns: 1, creditNotes: ['89.00 EUR'] });

      const fresh = await createEngine({ config: stack.engine.config, storeUrl: 'sqlite::memory:', log });
      try {
        await syncOrder(fresh, shopId);
        await syncOrder(fresh, shopId);
      } finally {
        await fresh.close();
      }
      expect(await count()).toEqual(before);
    } finally {
      await stack.close();
    }
  });
});

async function reacts(stack: Stack): Promise<void> {
  await stack.settle();
  await pollOrders(stack.engine);
  await stack.settle();
}

describe.each(['woocommerce', 'rest-shop'] as const)('a return made in the ERP (%s)', (shop) => {
  it('is refunded in the shop once; that refund returns nothing again, not even from a fresh store', async () => {
    const stack = await startStack({ shop, odooVersion: 17, storeUrl: 'sqlite::memory:', log, config: { orders } as never });
    try {
      await seedDemo(stack);
      await syncAll(stack.engine, { kind: 'initial' });
      await warehouseActor(stack).count('SNK-RUN-43', 5);
      const shopId = await shopActor(stack).placeOrder({ email: 'two@example.com', firstName: 'T', lastName: 'Wo', sku: 'SNK-RUN-43', quantity: 2, shipping: 'standard' });
      await reacts(stack);
      const number = (await shopActor(stack).order(shopId)).number;
      const erp = (await stack.engine.erp.orders.findOrderByNumber(number))!;
      await warehouseActor(stack).ship(erp.id, 'DHL', `DHL-${number}`);
      await reacts(stack);
      // A person in the ERP takes one pair back (no Tandem tag on it).
      await stack.engine.erp.orders.createReturn(erp.id, [{ sku: 'SNK-RUN-43', quantity: 1 }]);
      await reacts(stack);
      const count = async () => {
        const o = (await stack.engine.shop.orders.getOrder(shopId)).data as Order;
        const shipments = await stack.engine.erp.orders.listShipments(erp.id);
        return { shopRefunds: o.refunds.map((r) => r.amount.amount), erpReturned: shipments.filter((x) => x.kind === 'return').reduce((n, x) => n + x.lines.reduce((m, l) => m + l.done, 0), 0) };
      };
      const once = await count();
      expect(once).toEqual({ shopRefunds: ['89.00'], erpReturned: 1 });
      await syncOrder(stack.engine, shopId);
      expect(await count()).toEqual(once);
      const fresh = await createEngine({ config: stack.engine.config, storeUrl: 'sqlite::memory:', log });
      try {
        await syncOrder(fresh, shopId);
      } finally {
        await fresh.close();
      }
      expect(await count()).toEqual(once);
    } finally {
      await stack.close();
    }
  });
});
