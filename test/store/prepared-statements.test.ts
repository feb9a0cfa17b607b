/**
 * Named statements (src/store/prepare-statements.ts): a repeated statement with parameters is parsed once
 * per connection; texts without parameters and one-off texts stay unnamed; a prepared plan that another
 * process's migration made stale is run again unnamed instead of failing for the connection's lifetime.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { StatementNames } from '../../src/store/prepare-statements.js';
import { Queue } from '../../src/queue/index.js';
import { COMPLETE_ONE_AND_PROMOTE_PG } from '../../src/queue/key-heads.js';
import { createTestStoreUrl, testStoreKinds, type TestStoreUrl } from '../helpers/db.js';

describe('StatementNames', () => {
  it('names a text the second time it is seen, the same name after', () => {
    const n = new StatementNames();
    expect(n.nameOf('select $1')).toBeUndefined();
    const name = n.nameOf('select $1');
    expect(name).toMatch(/^tandem_\d+$/);
    expect(n.nameOf('select $1')).toBe(name);
    expect(n.nameOf('select $1 + 1')).toBeUndefined();
    expect(n.nameOf('select $1 + 1')).not.toBe(name);
  });

  it('names at most maxNamed texts, none longer than maxText', () => {
    const n = new StatementNames(2, 20);
    for (const t of ['a $1', 'b $1', 'c $1']) for (let i = 0; i < 3; i++) n.nameOf(t);
    expect(n.size).toBe(2);
    expect(n.nameOf('c $1')).toBeUndefined();
    const long = `select ${'x'.repeat(30)} $1`;
    n.nameOf(long);
    expect(n.nameOf(long)).toBeUndefined();
  });
});

describe.skipIf(!testStoreKinds().includes('postgres'))('named statements on PostgreSQL', () => {
  let t: TestStoreUrl;
  let store: Store;
  beforeAll(async () => {
    t = await createTestStoreUrl('postgres');
    // one connection: every statement below runs on it
    store = await openStore(t.url, { poolMax: 1 });
  });
  afterAll(async () => {
    await store?.db.destroy();
    await t?.cleanup();
  });

  const prepared = async () =>
    (await sql<{ name: string; statement: string; generic_plans: number; custom_plans: number }>`select name, statement, generic_plans, custom_plans from pg_prepared_statements`.execute(store.db)).rows.filter((r) =>
      r.name.startsWith('tandem_'),
    );

  it("a job's completion runs on PostgreSQL's generic plan: planned once per connection, not once per job", async () => {
    const queue = new Queue(store);
    // a table of some size with its statistics, as during a burst (on an empty one any plan is cheap)
    await sql`insert into jobs (kind, key, payload, priority, run_at, attempts, max_attempts, state, created_at, updated_at, waiting)
      select 'old', 'order:' || g, 'null', 0, 0, 1, 5, 'done', 0, 0, 0 from generate_series(1, 5000) g`.execute(store.db);
    await sql`analyze jobs`.execute(store.db);
    for (let i = 0; i < 12; i++) await queue.enqueue({ kind: 'plan-probe', key: `k${i}`, payload: i });
    const jobs = await queue.claim('w1', { limit: 12, leaseMs: 60_000 });
    expect(jobs).toHaveLength(12);
    // the completion batch's usual size (completeMany of one) and a direct complete
    for (const [i, job] of jobs.entries()) expect(i % 2 ? await queue.completeMany([job]) : [String(await queue.complete(job))]).toEqual(i % 2 ? [job.id] : ['true']);
    const [complete] = (await prepared()).filter((r) => r.statement.startsWith(`with c as (update jobs set state = 'done'`));
    expect(complete?.statement).toBe(COMPLETE_ONE_AND_PROMOTE_PG);
    // PostgreSQL tries 5 custom plans, then keeps the generic one when it costs no more
    expect({ custom: complete?.custom_plans, generic: complete?.generic_plans }).toEqual({ custom: 5, generic: 12 - 1 - 5 });
  });

  it('parses a repeated statement once per connection and runs it by name', async () => {
    const query = (id: string) => store.db.selectFrom('orders').select('shop_id').where('shop_id', '=', id);
    const get = (id: string) => query(id).execute();
    await get('a');
    await get('b');
    await get('c');
    const text = query('x').compile().sql;
    expect((await prepared()).filter((r) => r.statement === text)).toHaveLength(1);
    // in a transaction too (BEGIN/COMMIT have no parameters: simple protocol, never named)
    await store.transaction(async (tx) => {
      await tx.selectFrom('orders').select('shop_id').where('shop_id', '=', 'd').execute();
    });
    expect((await prepared()).filter((r) => r.statement === text)).toHaveLength(1);
    expect((await prepared()).some((r) => /^\s*(begin|commit)/i.test(r.statement))).toBe(false);
  });

  it('runs a statement whose prepared plan a migration made stale again, unnamed', async () => {
    await sql`create table stale_probe (id int primary key, a text)`.execute(store.db);
    await sql`insert into stale_probe values (1, 'x')`.execute(store.db);
    const read = (db: typeof store.db = store.db) => db.selectFrom('stale_probe' as never).selectAll().where('id' as never, '=', 1 as never).execute();
    await read();
    await read(); // prepared now
    // another process's migration changes the table's row type
    const other = new pg.Client({ connectionString: t.url });
    await other.connect();
    await other.query('alter table stale_probe add column b int');
    await other.end();
    expect(await read()).toEqual([{ id: 1, a: 'x', b: null }]);
    expect(await read()).toEqual([{ id: 1, a: 'x', b: null }]);
    // inside a transaction the error is the statement's (the transaction is aborted); unnamed afterwards
    const byA = (db: typeof store.db = store.db) => db.selectFrom('stale_probe' as never).selectAll().where('a' as never, '=', 'x' as never).execute();
    await byA();
    await byA(); // prepared now
    await sql`alter table stale_probe add column c int`.execute(store.db);
    await expect(store.transaction((tx) => byA(tx as never))).rejects.toThrow(/cached plan must not change result type/);
    expect(await byA()).toEqual([{ id: 1, a: 'x', b: null, c: null }]);
  });
});

describe.skipIf(!testStoreKinds().includes('postgres'))('store.preparedStatements: false (a pooler in transaction mode)', () => {
  it('runs every statement unnamed: nothing is prepared on the connection', async () => {
    const t = await createTestStoreUrl('postgres');
    const store = await openStore(t.url, { poolMax: 1, preparedStatements: false });
    try {
      for (const id of ['a', 'b', 'c']) await store.db.selectFrom('orders').select('shop_id').where('shop_id', '=', id).execute();
      const rows = (await sql<{ name: string }>`select name from pg_prepared_statements`.execute(store.db)).rows;
      expect(rows.filter((r) => r.name.startsWith('tandem_'))).toEqual([]);
    } finally {
      await store.db.destroy();
      await t.cleanup();
    }
  });
});
