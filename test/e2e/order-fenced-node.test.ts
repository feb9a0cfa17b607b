/**
 * A node whose heartbeat cannot reach the store (held: CPU starved, pool busy) may be declared dead by
 * the others, who then run its order jobs (s17-dup: a shop order twice in the ERP). Once its last beat is
 * older than fenceAfterMs the node is fenced: it claims nothing, and its running order run stops before
 * its next ERP write — it does not create the sale order; the job goes back to the queue, not failed.
 * When the beats reach the store again the node runs the order: one sale order. SQLite and PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { seedDemo, DEMO_TAX } from '../../src/demo/seed.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import { createEngine } from '../../src/engine/create-engine.js';
import { startRuntime } from '../../src/engine/runtime.js';
import { orderJob, ORDER_SYNC } from '../../src/engine/jobs/kinds.js';
import { createTestStoreUrl, testStoreKinds, type TestStoreUrl } from '../helpers/db.js';
import { waitFor } from '../queue/wait.js';

const log = pino({ level: 'silent' });
const orders = { taxes: [{ rate: '20', erpTax: DEMO_TAX }], carriers: { standard: 'Standard delivery' } };

describe.each(testStoreKinds())('a fenced node on %s', (kind) => {
  let t: TestStoreUrl;
  let stack: Stack;

  beforeEach(async () => {
    t = await createTestStoreUrl(kind);
    stack = await startStack({ shop: 'rest-shop', storeUrl: t.url, log, config: { orders } as never });
    await seedDemo(stack);
    await syncAll(stack.engine, { kind: 'initial' });
    await stack.engine.erp.stock.setOnHand([{ sku: 'SNK-RUN-42', location: 'WH/Stock', onHand: 100 }]);
    stack.restShop!.setWebhook(null);
    await stack.runtime.stop();
  });

  afterEach(async () => {
    await stack.close();
    await t.cleanup();
  });

  it('makes no ERP write while its heartbeat is held; runs the order once the beats get through', async () => {
    const id = await stack.restShop!.placeOrder({ email: 'fenced@example.com', firstName: 'F', lastName: 'Enced', lines: [{ sku: 'SNK-RUN-42', quantity: 1 }], paid: true, shipping: { method: 'standard', amount: '4.90' } });
    const number = stack.restShop!.state.order(id)!.number;
    const saleOrders = () => stack.odoo!.env.search('sale.order', [['client_order_ref', '=', `shop-${number}`]]);
    const engine = await createEngine({ config: stack.engine.config, storeUrl: t.url, log });
    // the node repo's beat: held (never reaches the store) while `held` is set
    let releaseBeat: () => void = () => {};
    let held: Promise<void> | null = null;
    const beat = engine.store.nodes.beat.bind(engine.store.nodes);
    engine.store.nodes.beat = async (...args) => {
      if (held) await held;
      return beat(...args);
    };
    // the order run starts, then waits (reading the shop order) until the heartbeat has been held long enough
    let releaseRun: () => void = () => {};
    const runWaits = new Promise<void>((r) => (releaseRun = r));
    let runStarted = false;
    const shopOrders = engine.shop.orders;
    const getOrder = shopOrders.getOrder.bind(shopOrders);
    shopOrders.getOrder = async (...args) => {
      if (!runStarted) {
        runStarted = true;
        await runWaits;
      }
      return getOrder(...args);
    };
    const results: string[] = [];
    const timer = engine.metrics.jobDuration;
    const startTimer = timer.startTimer.bind(timer);
    timer.startTimer = (labels) => {
      const end = startTimer(labels);
      return labels?.kind === ORDER_SYNC ? (l) => (results.push(String(l?.result)), end(l)) : end;
    };
    const runtime = startRuntime(engine, { schedules: false, pollIntervalMs: 10, node: { beatMs: 50, fenceAfterMs: 300 } });
    try {
      await waitFor(async () => !runtime.node.fenced() && (await engine.store.nodes.list()).length === 1, 'the node announced');
      await engine.queue.enqueue(orderJob(engine, id, 'webhook'));
      engine.queue.notify();
      await waitFor(() => runStarted, 'the order run started');
      held = new Promise<void>((r) => (releaseBeat = r)); // the heartbeat stops getting through
      await waitFor(() => runtime.node.fenced(), 'the node fenced', 5_000);
      await new Promise((r) => setTimeout(r, 600)); // the worker's fence check (every 500 ms) has run
      releaseRun();
      await waitFor(() => results.length === 1, 'the run ended', 5_000);
      expect(results).toEqual(['error']); // stopped before the import step
      expect(saleOrders()).toEqual([]);
      // the release is written after the run's end is measured: wait for it
      await waitFor(async () => (await engine.queue.list({ kind: ORDER_SYNC }))[0]?.state !== 'running', 'the job released', 5_000);
      const [job] = await engine.queue.list({ kind: ORDER_SYNC });
      expect(job).toMatchObject({ state: 'queued', attempts: 0 }); // released: not a failed attempt
      // the beats get through again: the node takes the job back and imports the order, once
      held = null;
      releaseBeat();
      await waitFor(() => results.length >= 2 && results.at(-1) === 'ok', 'the order imported', 20_000);
      await runtime.worker.drain();
      expect(saleOrders()).toHaveLength(1);
      expect((await engine.queue.counts()).dead ?? 0).toBe(0);
    } finally {
      releaseRun();
      held = null;
      releaseBeat();
      await runtime.stop({ timeoutMs: 10_000 });
      await engine.close();
    }
  }, 60_000);
});
