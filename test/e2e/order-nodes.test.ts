/**
 * Two nodes (two engines with their worker pools on one store) and order jobs for the same orders queued
 * again and again from both while they run: one order's runs never overlap — the job's key is the order's
 * only lease in a job (no `locks` row since issue 17's statement cuts) — while different orders do run at
 * once, and each order is in the ERP exactly once. REST shop ⇄ Odoo 17 simulators, SQLite and PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { AsyncLocalStorage } from 'node:async_hooks';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { seedDemo, DEMO_TAX } from '../../src/demo/seed.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import { createEngine, type RunningEngine } from '../../src/engine/create-engine.js';
import { startRuntime, type Runtime } from '../../src/engine/runtime.js';
import { orderJob, ORDER_SYNC } from '../../src/engine/jobs/kinds.js';
import { createTestStoreUrl, testStoreKinds, type TestStoreUrl } from '../helpers/db.js';

const log = pino({ level: 'silent' });
const orders = { taxes: [{ rate: '20', erpTax: DEMO_TAX }], carriers: { standard: 'Standard delivery' } };

describe.each(testStoreKinds())('two nodes on %s', (kind) => {
  let t: TestStoreUrl;
  let stack: Stack;

  beforeEach(async () => {
    t = await createTestStoreUrl(kind);
    stack = await startStack({ shop: 'rest-shop', storeUrl: t.url, log, config: { orders } as never });
    await seedDemo(stack);
    await syncAll(stack.engine, { kind: 'initial' });
    await stack.engine.erp.stock.setOnHand(['SNK-RUN-42', 'SNK-RUN-43'].map((sku) => ({ sku, location: 'WH/Stock', onHand: 100 })));
    stack.restShop!.setWebhook(null);
    await stack.runtime.stop();
  });

  afterEach(async () => {
    await stack.close();
    await t.cleanup();
  });

  it('never run one order’s steps at once, run different orders at once, and import each order once', async () => {
    const ids: string[] = [];
    for (const sku of ['SNK-RUN-42', 'SNK-RUN-43']) {
      ids.push(await stack.restShop!.placeOrder({ email: `nodes-${sku}@example.com`, firstName: 'N', lastName: 'Odes', lines: [{ sku, quantity: 1 }], paid: true, shipping: { method: 'standard', amount: '4.90' } }));
    }
    // runs of order.sync in flight, per order and in all, over both nodes (a run = the handler's timer)
    const inFlight = new Map<string, number>();
    let all = 0;
    let maxPerOrder = 0;
    let maxAll = 0;
    let runs = 0;
    const currentRun = new AsyncLocalStorage<{ order?: string }>();
    const nodes: Array<{ engine: RunningEngine; runtime: Runtime }> = [];
    for (let n = 0; n < 2; n++) {
      const engine = await createEngine({ config: stack.engine.config, storeUrl: t.url, log });
      const shopOrders = engine.shop.orders;
      const getOrder = shopOrders.getOrder.bind(shopOrders);
      // each run starts with the shop order: that tells whose run it is; a delay makes runs long enough to overlap
      shopOrders.getOrder = async (id, ...rest) => {
        const run = currentRun.getStore();
        if (run && run.order === undefined) {
          run.order = id;
          const now = (inFlight.get(id) ?? 0) + 1;
          inFlight.set(id, now);
          maxPerOrder = Math.max(maxPerOrder, now);
        }
        await new Promise((r) => setTimeout(r, 25));
        return getOrder(id, ...rest);
      };
      const timer = engine.metrics.jobDuration;
      const startTimer = timer.startTimer.bind(timer);
      timer.startTimer = (labels) => {
        const end = startTimer(labels);
        if (labels?.kind !== ORDER_SYNC) return end;
        const run: { order?: string } = {};
        currentRun.enterWith(run); // the handler's run (timed() calls the handler right after)
        runs += 1;
        all += 1;
        maxAll = Math.max(maxAll, all);
        return (l) => {
          all -= 1;
          if (run.order !== undefined) inFlight.set(run.order, (inFlight.get(run.order) ?? 1) - 1);
          return end(l);
        };
      };
      nodes.push({ engine, runtime: startRuntime(engine, { schedules: false, pollIntervalMs: 10 }) });
    }
    try {
      // webhooks for both orders, to both nodes, every few ms for a while: a job of each order waits while one runs
      const until = Date.now() + 1_500;
      for (let i = 0; Date.now() < until; i++) {
        const node = nodes[i % 2]!;
        await node.engine.queue.enqueue(orderJob(node.engine, ids[i % ids.length]!, 'webhook'));
        node.engine.queue.notify();
        await new Promise((r) => setTimeout(r, 5));
      }
      const deadline = Date.now() + 60_000;
      for (;;) {
        await Promise.all(nodes.map((n) => n.runtime.worker.drain()));
        const c = await stack.engine.queue.counts();
        if ((c.queued ?? 0) + (c.running ?? 0) === 0 || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      for (const n of nodes) {
        await n.runtime.stop({ timeoutMs: 10_000 });
        await n.engine.close();
      }
    }
    expect(runs).toBeGreaterThanOrEqual(6); // many runs of each order, one after the other
    expect(maxAll).toBeGreaterThanOrEqual(2); // the count sees runs that overlap: two orders at once
    expect(maxPerOrder).toBe(1);
    const counts = await stack.engine.queue.counts();
    expect(counts.dead ?? 0).toBe(0);
    const env = stack.odoo!.env;
    for (const id of ids) {
      const number = stack.restShop!.state.order(id)!.number;
      expect(env.search('sale.order', [['client_order_ref', '=', `shop-${number}`]]), `order ${number}`).toHaveLength(1);
    }
  }, 120_000);
});
