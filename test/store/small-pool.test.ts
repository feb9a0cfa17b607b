/**
 * 32 workers on a PostgreSQL pool of 3 connections (store/pool-budget.ts): an order burst arriving as signed
 * webhooks (intake transactions) and record jobs of every shop product (each committed with its job's
 * completion in one transaction) all run to completion, every order once in the ERP, and no job fails even
 * once. A transaction that awaited a second pooled connection (or held its connection across a call that
 * needs one) would deadlock here: 3 such transactions take the 3 connections and wait for a 4th until the
 * pool's wait times out, and the jobs fail ("timeout exceeded when trying to connect") before a retry.
 * REST shop ⇄ Odoo 17 simulators.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { sql } from 'kysely';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { seedDemo, DEMO_TAX } from '../../src/demo/seed.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import { recordJob } from '../../src/engine/jobs/kinds.js';
import { createTestStoreUrl, testStoreKinds, type TestStoreUrl } from '../helpers/db.js';

const log = pino({ level: 'silent' });
const orders = { taxes: [{ rate: '20', erpTax: DEMO_TAX }], carriers: { standard: 'Standard delivery' } };
const ORDERS = 40;
const POOL = 3;
const WORKERS = 32;

describe.runIf(testStoreKinds().includes('postgres'))(`${WORKERS} workers on a PostgreSQL pool of ${POOL}`, () => {
  let t: TestStoreUrl;
  let stack: Stack;

  beforeAll(async () => {
    t = await createTestStoreUrl('postgres');
    stack = await startStack({ shop: 'rest-shop', storeUrl: t.url, log, config: { orders, store: { url: t.url, pool: POOL }, workers: { concurrency: WORKERS } } as never });
    await seedDemo(stack);
    await syncAll(stack.engine, { kind: 'initial' });
    await stack.engine.erp.stock.setOnHand(['SNK-RUN-42', 'SNK-RUN-43'].map((sku) => ({ sku, location: 'WH/Stock', onHand: 1_000 })));
    await stack.settle();
    await stack.engine.store.db.deleteFrom('jobs').execute();
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    await t?.cleanup();
  });

  it('an order burst (webhooks) and record jobs run to completion: no deadlock, no job failed once, every order once in the ERP', async () => {
    const { engine } = stack;
    expect(engine.config.workers.concurrency).toBe(WORKERS);
    expect(engine.config.store.pool).toBe(POOL);
    // record jobs first (they queue behind each other per entity), then the burst through the webhook intake
    const products = stack.restShop!.state.products();
    for (const p of products) await engine.queue.enqueue(recordJob(engine, 'product', 'shop', String(p.id)));
    const placed = Array.from({ length: ORDERS }, (_, i) =>
      stack.restShop!.placeOrder({ email: `pool${i % 8}@example.com`, firstName: 'P', lastName: `Ool${i}`, lines: [{ sku: i % 2 ? 'SNK-RUN-42' : 'SNK-RUN-43', quantity: 1 }], paid: true, shipping: { method: 'standard', amount: '4.90' } }),
    );
    const ids = await Promise.all(placed);
    engine.queue.notify();
    await stack.settle();

    const { rows } = await sql<{ kind: string; state: string; n: number; failed: number }>`select kind, state, count(*)::int as n, count(last_error)::int as failed from jobs group by kind, state order by kind, state`.execute(engine.store.db);
    const byKind = Object.fromEntries(rows.map((r) => [`${r.kind}/${r.state}`, r.n]));
    expect(rows.filter((r) => r.state !== 'done'), 'jobs not done').toEqual([]);
    expect(rows.reduce((s, r) => s + r.failed, 0), `jobs that failed at least once: ${JSON.stringify(rows)}`).toBe(0);
    expect(byKind['record.sync/done']).toBeGreaterThanOrEqual(1);
    expect(byKind['order.sync/done']).toBeGreaterThanOrEqual(ORDERS);

    const env = stack.odoo!.env;
    for (const id of ids) {
      const number = stack.restShop!.state.order(id)!.number;
      const so = env.read('sale.order', env.search('sale.order', [['client_order_ref', '=', `shop-${number}`]]), ['state']);
      expect(so.map((o) => o.state), `order ${number}`).toEqual(['sale']);
    }
  }, 180_000);
});
