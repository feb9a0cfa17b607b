/**
 * The store writes of a new order's import run (issue 16/17: order burst on PostgreSQL): the import is
 * recorded at once (OrderRepo.recordImport), the confirmation's record carries the row's ERP fields and,
 * run by a job, the follow-up job; so the hand-off writes no totals the run wrote already. The row ends
 * as the hand-off's totals used to leave it, and exactly one follow-up job waits. REST shop ⇄ Odoo 17
 * simulators, SQLite and PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startStack, type Stack } from '../../../src/demo/stack.js';
import { seedDemo, DEMO_TAX } from '../../../src/demo/seed.js';
import { syncAll } from '../../../src/engine/initial-sync.js';
import { syncOrder } from '../../../src/engine/orders/sync-order.js';
import { createTestStoreUrl, testStoreKinds, type TestStoreUrl } from '../../helpers/db.js';

const log = pino({ level: 'silent' });
const orders = { taxes: [{ rate: '20', erpTax: DEMO_TAX }], carriers: { standard: 'Standard delivery' } };

describe.each(testStoreKinds())('a new order’s import run on %s', (kind) => {
  let stack: Stack;
  let t: TestStoreUrl;

  beforeEach(async () => {
    t = await createTestStoreUrl(kind);
    stack = await startStack({ shop: 'rest-shop', storeUrl: t.url, log, config: { orders } as never });
    await seedDemo(stack);
    await syncAll(stack.engine, { kind: 'initial' });
    stack.restShop!.setWebhook(null);
    await stack.runtime.stop(); // no worker: the runs are made here
  });
  afterEach(async () => {
    await stack.close();
    await t.cleanup();
  });

  /** Counts the calls of the store's order writes while `fn` runs. */
  async function counting(fn: () => Promise<unknown>): Promise<Record<string, number>> {
    const repo = stack.engine.store.orders as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    const calls: Record<string, number> = {};
    let depth = 0;
    const originals = new Map<string, (...a: unknown[]) => Promise<unknown>>();
    for (const name of ['upsert', 'recordImport', 'recordStepAudited', 'recordSales']) {
      const real = repo[name]!;
      originals.set(name, real);
      // the engine's calls only (SQLite's recordImport calls upsert, recordSales, … inside)
      repo[name] = async (...args: unknown[]) => {
        if (depth === 0) calls[name] = (calls[name] ?? 0) + 1;
        depth += 1;
        try {
          return await real.apply(repo, args);
        } finally {
          depth -= 1;
        }
      };
    }
    try {
      await fn();
    } finally {
      for (const [name, real] of originals) repo[name] = real;
    }
    return calls;
  }

  it('run by its job: import, confirm (+ row + follow-up job) — no totals upsert after them', async () => {
    const id = await stack.restShop!.placeOrder({ email: 'writes@example.com', firstName: 'W', lastName: 'Rites', lines: [{ sku: 'SNK-RUN-42', quantity: 1 }], paid: true, shipping: { method: 'standard', amount: '4.90' } });
    // enqueues outside the confirmation's record (SQLite: its transaction runs the enqueue; PostgreSQL: none, a CTE)
    const apart: unknown[] = [];
    const realEnqueue = stack.engine.queue.enqueue.bind(stack.engine.queue);
    stack.engine.queue.enqueue = (job, db) => {
      if (!db?.isTransaction) apart.push(job);
      return realEnqueue(job, db);
    };
    const calls = await counting(() => syncOrder(stack.engine, id, { jobId: '1' }));
    // the first write of the run (the shop side), the import, the confirmation: nothing else
    expect(calls).toEqual({ upsert: 1, recordImport: 1, recordStepAudited: 1 });
    expect(apart).toEqual([]); // the follow-up went with the confirmation's record
    const row = await stack.engine.store.orders.get(id);
    expect(row).toMatchObject({ erpState: 'confirmed', refundedTotal: '0.00', invoicedTotal: null, paidTotal: null });
    expect(row?.erpTotal).toBe(stack.restShop!.state.order(id)!.total);
    expect((await stack.engine.queue.list({ key: `order:${id}` })).map((j) => [j.state, j.priority, (j.payload as { reason: string }).reason])).toEqual([['queued', 60, 'follow-up']]);
    // the follow-up job's run: invoice and payment, then the totals with them
    const follow = await syncOrder(stack.engine, id, { jobId: '2' });
    expect(follow.steps).toEqual(['invoice', 'payment']);
    expect(await stack.engine.store.orders.get(id)).toMatchObject({ erpState: 'confirmed', paidTotal: row?.erpTotal, invoicedTotal: row?.erpTotal });
  });

  it('a direct call (no job): the hand-off enqueues the follow-up itself, still no totals upsert', async () => {
    const id = await stack.restShop!.placeOrder({ email: 'direct@example.com', firstName: 'D', lastName: 'Irect', lines: [{ sku: 'SNK-RUN-42', quantity: 1 }], paid: true, shipping: { method: 'standard', amount: '4.90' } });
    const calls = await counting(() => syncOrder(stack.engine, id));
    expect(calls).toEqual({ upsert: 1, recordImport: 1, recordStepAudited: 1 });
    expect(await stack.engine.queue.list({ key: `order:${id}` })).toHaveLength(1);
    expect(await stack.engine.store.orders.get(id)).toMatchObject({ erpState: 'confirmed', refundedTotal: '0.00' });
  });
});
