/**
 * PostgreSQL plans a named claim once per connection (src/queue/claim-jobs.ts): after its 5 custom plans
 * the generic plan is kept, whatever limit each claim asks for, and that generic plan walks jobs_ready in
 * claim order under the limit (no sort of the whole backlog). With the clock and the limit as bare
 * parameters every claim was planned anew: the custom plans, which see the limit, always looked cheaper.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { Queue } from '../../src/queue/index.js';
import { createTestStoreUrl, testStoreKinds, type TestStoreUrl } from '../helpers/db.js';

describe.skipIf(!testStoreKinds().includes('postgres'))('the claim on PostgreSQL', () => {
  let t: TestStoreUrl;
  let store: Store;
  beforeAll(async () => {
    t = await createTestStoreUrl('postgres');
    // one connection: every claim below runs on it
    store = await openStore(t.url, { poolMax: 1 });
  });
  afterAll(async () => {
    await store?.db.destroy();
    await t?.cleanup();
  });

  it('is planned once per connection (generic plan after 5 custom ones), and its generic plan walks jobs_ready in claim order', async () => {
    const queue = new Queue(store);
    // a table of some size with its statistics, as during a burst or a backlog (on an empty one any plan is cheap)
    await sql`insert into jobs (kind, key, payload, priority, run_at, attempts, max_attempts, state, created_at, updated_at, waiting)
      select 'old', 'order:' || g, 'null', 0, 0, 1, 5, 'done', 0, 0, 0 from generate_series(1, 5000) g`.execute(store.db);
    await sql`insert into jobs (kind, key, payload, priority, run_at, attempts, max_attempts, state, created_at, updated_at, waiting)
      select 'backlog', null, 'null', g % 2, 0, 0, 5, 'queued', 0, 0, 0 from generate_series(1, 20000) g`.execute(store.db);
    await queue.enqueueMany(Array.from({ length: 200 }, (_, i) => ({ kind: 'keyed', key: `order:k${i}`, payload: i, priority: 5 })));
    await sql`analyze jobs`.execute(store.db);
    const limits = [1, 2, 3, 1, 4, 1, 2, 8, 1, 1, 3, 2, 1, 1, 5, 1];
    for (const limit of limits) {
      const jobs = await queue.claim('w1', { limit, leaseMs: 60_000 });
      expect(jobs).toHaveLength(limit);
      await queue.completeMany(jobs);
    }
    const claims = (
      await sql<{ name: string; generic_plans: number; custom_plans: number }>`select name, generic_plans, custom_plans from pg_prepared_statements where statement like 'update jobs set state = ''running''%'`.execute(
        store.db,
      )
    ).rows;
    expect(claims).toHaveLength(1);
    // named the second time it is seen (the first claim ran unnamed): 15 runs, 5 custom plans, then generic
    expect({ custom: claims[0]!.custom_plans, generic: claims[0]!.generic_plans }).toEqual({ custom: 5, generic: limits.length - 1 - 5 });

    const now = Date.now();
    const plan = await store.db.connection().execute(async (db) => {
      await sql`set plan_cache_mode = force_generic_plan`.execute(db);
      try {
        const { rows } = await sql.raw<{ 'QUERY PLAN': string }>(`explain execute ${claims[0]!.name}('w1', ${now + 1000}, ${now}, ${now}, ${now}, ${now}, 3)`).execute(db);
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      } finally {
        await sql`reset plan_cache_mode`.execute(db);
      }
    });
    expect(plan).toMatch(/Limit[\s\S]*LockRows[\s\S]*Index Scan using jobs_ready on jobs j/);
    expect(plan).not.toMatch(/Sort/);
  });
});
