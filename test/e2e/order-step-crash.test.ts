/**
 * The order path skips reads it can do without (a confirmed order is not read back, the invoice wizard runs
 * without reading the order first, the payment uses the invoice the same run posted). Those shortcuts hold
 * only within one run, under the order's lease: here the process "dies" right after each ERP effect,
 * before Tandem records the step, and the rerun must find the effect instead of doing it again — one
 * confirmed sale order, one invoice, one payment. REST shop ⇄ Odoo 17 simulators; the crash is the
 * connector action doing its work and then throwing, as a killed process would leave it.
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
import { SyncError } from '../../src/shared/errors.js';

const log = pino({ level: 'silent' });
const orders = { taxes: [{ rate: '20', erpTax: DEMO_TAX }], carriers: { standard: 'Standard delivery' } };

let stack: Stack;
let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-order-crash-'));
  stack = await startStack({ shop: 'rest-shop', storeUrl: `sqlite:${join(dir, 'tandem.db')}`, log, config: { orders } as never });
  await seedDemo(stack);
  await syncAll(stack.engine, { kind: 'initial' });
  await stack.engine.erp.stock.setOnHand([{ sku: 'SNK-RUN-42', location: 'WH/Stock', onHand: 10 }]);
  stack.restShop!.setWebhook(null);
  // no worker: each run is made here, by hand
  await stack.runtime.stop();
});

afterEach(async () => {
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The next call of `action` does its work in the ERP, then the process "dies" before Tandem records it. */
function crashAfter(action: 'confirmOrder' | 'createInvoice' | 'registerPayment'): () => number {
  const actions = stack.engine.erp.orders as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const real = actions[action]!;
  let crashes = 0;
  actions[action] = async (...args: unknown[]) => {
    await real(...args);
    actions[action] = real;
    crashes += 1;
    throw new SyncError('network', `process killed right after ${action}`);
  };
  return () => crashes;
}

function erpFacts(number: string) {
  const env = stack.odoo!.env;
  const saleOrders = env.read('sale.order', env.search('sale.order', [['client_order_ref', '=', `shop-${number}`]]), ['name', 'state']);
  const name = String(saleOrders[0]?.name ?? '');
  const invoices = env.read('account.move', env.search('account.move', [['invoice_origin', '=', name], ['move_type', '=', 'out_invoice']]), ['state', 'payment_state']);
  // each test has its own Odoo: every payment in it is this order's
  const payments = env.search('account.payment', []);
  return { saleOrders: saleOrders.map((o) => o.state), invoices: invoices.map((i) => `${String(i.state)}/${String(i.payment_state)}`), payments: payments.length };
}

const done = { saleOrders: ['sale'], invoices: ['posted/paid'], payments: 1 };

describe('a crash right after an ERP effect of the order path, then a rerun', () => {
  it.each(['confirmOrder', 'createInvoice', 'registerPayment'] as const)('after %s: the rerun finds it and does nothing twice', async (action) => {
    const id = await stack.restShop!.placeOrder({ email: 'crash@example.com', firstName: 'C', lastName: 'Rash', lines: [{ sku: 'SNK-RUN-42', quantity: 1 }], paid: true, shipping: { method: 'standard', amount: '4.90' } });
    const number = stack.restShop!.state.order(id)!.number;
    const crashes = crashAfter(action);
    // import + confirm, then the follow-up (invoice + payment); the crash fails one of these runs
    await expect(syncOrder(stack.engine, id).then(() => syncOrder(stack.engine, id))).rejects.toThrow(/process killed/);
    expect(crashes()).toBe(1);
    // reruns until the order is settled: every run starts from the state of both systems
    await syncOrder(stack.engine, id);
    await syncOrder(stack.engine, id);
    expect(erpFacts(number)).toEqual(done);
    const steps = await stack.engine.store.orders.steps(id);
    // (a confirmation the rerun finds already made is not recorded as this run's step: it only reads it)
    expect(['import', 'invoice', 'payment'].filter((s) => steps.get(s)?.state !== 'done')).toEqual([]);
  });

  it('without a crash: the same facts (the check above is not vacuous)', async () => {
    const id = await stack.restShop!.placeOrder({ email: 'calm@example.com', firstName: 'C', lastName: 'Alm', lines: [{ sku: 'SNK-RUN-42', quantity: 1 }], paid: true, shipping: { method: 'standard', amount: '4.90' } });
    const number = stack.restShop!.state.order(id)!.number;
    await syncOrder(stack.engine, id);
    await syncOrder(stack.engine, id);
    expect(erpFacts(number)).toEqual(done);
  });
});
