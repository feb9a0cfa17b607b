/**
 * PostgreSQL commits a claim asynchronously (claim-jobs.ts): the claim statement turns
 * `synchronous_commit` off for its own transaction only, and a claim lost with the database host and made
 * again by the same process — same worker id, same attempt number as the run still going on — is not
 * started a second time, while that run can still complete the job.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Queue } from '../../src/queue/index.js';
import type { Store } from '../../src/store/index.js';
import { claimQuery } from '../../src/queue/claim-jobs.js';
import { testStoreKinds } from '../helpers/db.js';
import { useQueueStore } from '../helpers/queue-store.js';

const LEASE = 60_000;

describe.runIf(testStoreKinds().includes('postgres'))('claims committed asynchronously (PostgreSQL)', () => {
  let store: Store;
  let queue: Queue;
  const ctx = useQueueStore('postgres');
  beforeAll(() => ({ store, queue } = ctx));

  it('the claim sets synchronous_commit off for its own transaction: the session stays on', async () => {
    expect(claimQuery('postgres', 'w', 0, { limit: 1, leaseMs: 1 }).sql).toContain("set_config('synchronous_commit', 'off', true)");
    expect(claimQuery('sqlite', 'w', 0, { limit: 1, leaseMs: 1 }).sql).not.toContain('synchronous_commit');
    await store.db.connection().execute(async (conn) => {
      await queue.enqueue({ kind: 'a', payload: null }, conn);
      const { rows } = await conn.executeQuery(claimQuery('postgres', 'w1', Date.now(), { limit: 1, leaseMs: LEASE }));
      expect(rows).toHaveLength(1);
      expect(Object.keys(rows[0]!)).not.toContain('set_config'); // returning jobs.* only
      const after = await sql<{ s: string }>`select current_setting('synchronous_commit') as s`.execute(conn);
      expect(after.rows[0]?.s).toBe('on');
    });
  });

  it('a claim lost with the host and made again by the same worker does not start the job twice; the first run completes it', async () => {
    const id = await queue.enqueue({ kind: 'a', payload: null });
    const [first] = await queue.claim('w1', { limit: 5, leaseMs: LEASE });
    expect(first).toMatchObject({ id, attempts: 1, lockedBy: 'w1' });
    // what the restarted server has when the claim's commit was not flushed: the job queued as before it
    await sql`update jobs set state = 'queued', attempts = 0, locked_by = null, locked_until = null where id = ${Number(id)}`.execute(store.db);
    expect(await queue.claim('w1', { limit: 5, leaseMs: LEASE })).toEqual([]); // the same claim again: the first run has it
    expect(await store.db.selectFrom('jobs').select(['state', 'attempts', 'locked_by']).where('id', '=', Number(id)).executeTakeFirst()).toEqual({ state: 'running', attempts: 1, locked_by: 'w1' });
    expect(await queue.complete(first!)).toBe(true);
    expect((await queue.get(id))?.state).toBe('done');
    expect(queue.held.size).toBe(0);
  });

  it('another worker, or the same worker at the next attempt, runs the job as usual', async () => {
    const id = await queue.enqueue({ kind: 'a', payload: null });
    const [first] = await queue.claim('w1', { limit: 5, leaseMs: LEASE });
    await sql`update jobs set state = 'queued', attempts = 0, locked_by = null, locked_until = null where id = ${Number(id)}`.execute(store.db);
    const [other] = await queue.claim('w2', { limit: 5, leaseMs: LEASE });
    expect(other).toMatchObject({ id, attempts: 1, lockedBy: 'w2' });
    expect(await queue.complete(first!)).toBe(false); // the guard tells the two runs apart
    // released (graceful stop): the same worker claims it again with the same attempt number, and runs it
    await queue.release(other!);
    const [again] = await queue.claim('w2', { limit: 5, leaseMs: LEASE });
    expect(again).toMatchObject({ id, attempts: 1, lockedBy: 'w2' });
    expect(await queue.complete(again!)).toBe(true);
  });
});
