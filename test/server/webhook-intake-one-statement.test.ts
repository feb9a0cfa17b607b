/**
 * PostgreSQL intake in ONE statement (src/queue/enqueue-delivery.ts): a first delivery of one event is its
 * inbox row and its job in one statement, no BEGIN/COMMIT; a delivery seen before writes nothing; an order
 * delivery joins its order's queued job; when the dedupe index refuses the job (a concurrent enqueue of the
 * same order committed after the statement's snapshot), the job goes in without a dedupe key, so the inbox
 * row never points at a job that does not exist.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../src/connectors/rest-shop/webhook.js';
import { ORDER_SYNC } from '../../src/engine/jobs/kinds.js';
import { createTestStoreUrl, testStoreKinds, type TestStoreUrl } from '../helpers/db.js';
import { startTestServer, type TestServer } from './support/test-server.js';

let sent: string[] | undefined;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const text = args[0];
  sent?.push(String(typeof text === 'object' && text !== null ? (text as { text?: string }).text : text).slice(0, 60));
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;
afterAll(() => {
  pg.Client.prototype.query = query;
});

describe.skipIf(!testStoreKinds().includes('postgres'))('webhook intake in one statement on PostgreSQL', () => {
  let store: TestStoreUrl;
  let t: TestServer;
  beforeAll(async () => {
    store = await createTestStoreUrl('postgres');
    t = await startTestServer(store.url, {
      flows: [
        { entity: 'product', direction: 'shop->erp' },
        { entity: 'order', direction: 'shop->erp' },
      ],
    } as never);
  });
  afterAll(async () => {
    await t?.close();
    await store?.cleanup();
  });

  const post = async (body: string) => {
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(`${t.url}/webhooks/shop`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tandem-timestamp': String(ts), 'x-tandem-delivery': `d-${randomUUID()}`, 'x-tandem-signature': signWebhook('hook-secret', ts, body) },
      body,
    });
    return (await res.json()) as Record<string, unknown>;
  };
  const orderBody = (id: string, at = '2026-12-03T10:00:00Z') => JSON.stringify({ event: 'order.created', occurred_at: at, data: { id } });
  const jobsOf = async (key: string) => (await t.engine.queue.list({ limit: 10_000 })).filter((j) => j.key === key);

  /** The statements the store sends while `fn` runs (counted in pg.Client.query, patched before the engine connects, as bench/lib/node-child.ts does). */
  const statements = async (fn: () => Promise<unknown>): Promise<string[]> => {
    const mine: string[] = [];
    sent = mine;
    try {
      await fn();
    } finally {
      sent = undefined;
    }
    return mine;
  };

  it('a first delivery (order and product) is ONE statement: inbox row processed with its job; a replay writes nothing', async () => {
    for (const [body, key] of [
      [orderBody('7001'), 'order:7001'],
      [JSON.stringify({ event: 'product.updated', occurred_at: '2026-12-03T10:00:00Z', data: { id: 'p-one' } }), 'sync:product'],
    ] as const) {
      let answer: Record<string, unknown> = {};
      const sent = await statements(async () => (answer = await post(body)));
      expect(answer).toMatchObject({ accepted: 1, duplicates: 0 });
      expect(sent, key).toHaveLength(1);
      expect(sent[0]).toMatch(/^with v as materialized/);
      const id = key === 'order:7001' ? '7001' : 'p-one';
      const [row] = await t.engine.store.inbox.list({ recordId: id });
      expect(row?.processedAt).not.toBeNull();
      const jobs = (await t.engine.queue.list({ limit: 10_000 })).filter((j) => JSON.stringify(j.payload).includes(`"${id}"`));
      expect(jobs.map((j) => j.id)).toEqual([row?.jobId]);
      expect(jobs[0]).toMatchObject({ key, state: 'queued', attempts: 0 });
      const again = await statements(async () => (answer = await post(body)));
      expect(answer).toMatchObject({ accepted: 0, duplicates: 1 });
      expect(again).toHaveLength(1);
      expect(await t.engine.store.inbox.list({ recordId: id })).toHaveLength(1);
      expect((await t.engine.queue.list({ limit: 10_000 })).filter((j) => JSON.stringify(j.payload).includes(`"${id}"`))).toHaveLength(1);
    }
  });

  it("an order's second delivery joins its queued job", async () => {
    expect(await post(orderBody('7002'))).toMatchObject({ accepted: 1 });
    expect(await post(orderBody('7002', '2026-12-03T10:01:00Z'))).toMatchObject({ accepted: 1 });
    const jobs = await jobsOf('order:7002');
    expect(jobs).toHaveLength(1);
    const rows = await t.engine.store.inbox.list({ recordId: '7002' });
    expect(rows.map((r) => r.jobId)).toEqual([jobs[0]!.id, jobs[0]!.id]);
  });

  it('when the dedupe index refuses the job (a concurrent enqueue committed meanwhile), the job goes in without a dedupe key', async () => {
    const other = new pg.Client({ connectionString: store.url });
    await other.connect();
    try {
      await other.query('begin');
      const { rows } = await other.query<{ id: string }>(
        `insert into jobs (kind, key, dedupe_key, payload, priority, run_at, attempts, max_attempts, state, created_at, updated_at, waiting)
         values ($1, 'order:7003', $2, '{"shopId":"7003","reason":"poll"}', 0, 0, 0, 5, 'queued', 0, 0, 0) returning id`,
        [ORDER_SYNC, JSON.stringify([ORDER_SYNC, 'order:7003'])],
      );
      // the intake's snapshot does not see the uncommitted job; its insert waits on the dedupe index
      const answer = post(orderBody('7003'));
      await new Promise((r) => setTimeout(r, 500));
      await other.query('commit');
      expect(await answer).toMatchObject({ accepted: 1 });
      const [row] = await t.engine.store.inbox.list({ recordId: '7003' });
      const jobs = await jobsOf('order:7003');
      expect(jobs.map((j) => j.id).sort()).toEqual([String(rows[0]!.id), row!.jobId].sort());
      expect(row!.jobId).not.toBe(String(rows[0]!.id));
    } finally {
      await other.end();
    }
  });
});
