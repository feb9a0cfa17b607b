/**
 * The ERP calls of one order, method by method, pinned: the order path's cost is part of its behaviour
 * (the latency of a confirmation under load is its number of sequential ERP calls). A refactoring that adds
 * a call — a state read before an action the step already knows the outcome of, a second lookup of the
 * order number — fails here. Counted on the Odoo 17 simulator.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { seedDemo, DEMO_TAX } from '../../src/demo/seed.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import { syncOrder } from '../../src/engine/orders/sync-order.js';

const log = pino({ level: 'silent' });
const orders = { taxes: [{ rate: '20', erpTax: DEMO_TAX }], carriers: { standard: 'Standard delivery' } };

let stack: Stack;
let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-order-calls-'));
  stack = await startStack({ shop: 'rest-shop', storeUrl: `sqlite:${join(dir, 'tandem.db')}`, log, config: { orders } as never });
  await seedDemo(stack);
  await syncAll(stack.engine, { kind: 'initial' });
  await stack.engine.erp.stock.setOnHand(['SNK-RUN-42', 'SNK-RUN-43'].map((sku) => ({ sku, location: 'WH/Stock', onHand: 10 })));
  stack.restShop!.setWebhook(null);
  // no worker: the follow-up job the import enqueues is run here, by hand, so each phase is counted alone
  await stack.runtime.stop();
});

afterEach(async () => {
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Odoo calls (model.method → count) of `fn`. */
async function odooCalls(fn: () => Promise<unknown>): Promise<Record<string, number>> {
  stack.odoo!.resetStats();
  await fn();
  return { ...stack.odoo!.stats.byMethod };
}

const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);

describe('ERP calls of one order', () => {
  it('import + confirm, then invoice + payment in the follow-up: a new customer, then a known one', async () => {
    const place = (sku: string) => stack.restShop!.placeOrder({ email: 'calls@example.com', firstName: 'C', lastName: 'Alls', lines: [{ sku, quantity: 1 }], paid: true, shipping: { method: 'standard', amount: '4.90' } });

    const first = await place('SNK-RUN-42');
    const importNew = await odooCalls(() => syncOrder(stack.engine, first));
    const followUpNew = await odooCalls(() => syncOrder(stack.engine, first));
    const second = await place('SNK-RUN-43');
    const importKnown = await odooCalls(() => syncOrder(stack.engine, second));
    const followUpKnown = await odooCalls(() => syncOrder(stack.engine, second));

    expect({ importNew, followUpNew, importKnown, followUpKnown }).toMatchInlineSnapshot(`
      {
        "followUpKnown": {
          "account.move.action_post": 1,
          "account.move.read": 2,
          "account.payment.register.action_create_payments": 1,
          "account.payment.register.create": 1,
          "account.payment.search_read": 1,
          "sale.advance.payment.inv.create": 1,
          "sale.advance.payment.inv.create_invoices": 1,
          "sale.order.read": 1,
        },
        "followUpNew": {
          "account.journal.search_read": 1,
          "account.move.action_post": 1,
          "account.move.read": 2,
          "account.payment.register.action_create_payments": 1,
          "account.payment.register.create": 1,
          "account.payment.search_read": 1,
          "sale.advance.payment.inv.create": 1,
          "sale.advance.payment.inv.create_invoices": 1,
          "sale.order.read": 1,
        },
        "importKnown": {
          "product.product.search_read": 1,
          "res.partner.search_read": 1,
          "sale.order.action_confirm": 1,
          "sale.order.create": 1,
          "sale.order.search_read": 2,
        },
        "importNew": {
          "account.tax.search_read": 1,
          "delivery.carrier.search_read": 1,
          "product.product.search_read": 1,
          "res.country.search_read": 1,
          "res.partner.create": 1,
          "res.partner.search_read": 2,
          "sale.order.action_confirm": 1,
          "sale.order.create": 1,
          "sale.order.search_read": 2,
        },
      }
    `);
    expect([total(importNew), total(followUpNew), total(importKnown), total(followUpKnown)]).toMatchInlineSnapshot(`
      [
        11,
        10,
        6,
        9,
      ]
    `);
  });
});
