/**
 * Key heads (migration 009, src/queue/key-heads.ts): a keyed job behind its key's head is stored waiting
 * and is out of the ready index; every way a head leaves queued/running promotes the next job of its key.
 * Each test checks both the `waiting` column and what a claim returns.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Job, NewJob, Queue } from '../../src/queue/index.js';
import type { Store } from '../../src/store/index.js';
import { SyncError } from '../../src/shared/errors.js';
import { testStoreKinds } from '../helpers/db.js';
import { steppedStore } from '../helpers/migrate-upto.js';
import { useQueueStore } from '../helpers/queue-store.js';

const T0 = 1_800_000_000_000;
const LEASE = 60_000;
const keyed = (payload: number, extra: Partial<NewJob> = {}): NewJob => ({ kind: 'k', key: 'order:1', payload, ...extra });
const retryable = () => new SyncError('network', 'the shop did not answer');
const permanent = () => new SyncError('invalid_data', 'the order has no lines');

describe.each(testStoreKinds())('key heads on %s', (kind) => {
  let store: Store;
  let queue: Queue;
  let now = T0;

  const ctx = useQueueStore(kind, { now: () => now });
  beforeAll(() => ({ store, queue } = ctx));
  beforeEach(() => {
    now = T0;
  });

  /** id → waiting (0/1) of every queued job, in id order. */
  const waiting = async (): Promise<Record<string, number>> => {
    const rows = await store.db.selectFrom('jobs').select(['id', 'waiting']).where('state', '=', 'queued').orderBy('id').execute();
    return Object.fromEntries(rows.map((r) => [String(r.id), Number(r.waiting)]));
  };
  const claimAll = async (worker = 'w1', leaseMs = LEASE): Promise<Job[]> => queue.claim(worker, { limit: 50, leaseMs });
  const claimIds = async (worker = 'w1') => (await claimAll(worker)).map((j) => j.id);
  const only = (jobs: Job[]): Job => {
    expect(jobs).toHaveLength(1);
    return jobs[0] as Job;
  };

  it('stores the jobs behind a head waiting (one by one, in one insert, with dedupe), other keys and unkeyed jobs not', async () => {
    const a = await queue.enqueue(keyed(1));
    const b = await queue.enqueue(keyed(2));
    const [c, d, other, plain] = await queue.enqueueMany([keyed(3), keyed(4), keyed(5, { key: 'order:2' }), { kind: 'k', payload: 6 }]);
    const e = await queue.enqueue(keyed(7, { kind: 'poll', dedupe: true }));
    expect(await waiting()).toEqual({ [a]: 0, [b]: 1, [c as string]: 1, [d as string]: 1, [other as string]: 0, [plain as string]: 0, [e]: 1 });
    // a fresh key in one multi-row insert: the first row is the head, the rest wait behind it
    const [f, g] = await queue.enqueueMany([keyed(8, { key: 'order:3' }), keyed(9, { key: 'order:3' })]);
    expect(await waiting()).toMatchObject({ [f as string]: 0, [g as string]: 1 });
    expect((await claimIds()).sort()).toEqual([a, other, plain, f].sort());
  });

  it('complete promotes the next job of the key, and only that one', async () => {
    const [a, b, c] = await queue.enqueueMany([keyed(1), keyed(2), keyed(3)]);
    const head = only(await claimAll());
    expect(head.id).toBe(a);
    expect(await queue.complete(head)).toBe(true);
    expect(await waiting()).toEqual({ [b as string]: 0, [c as string]: 1 });
    expect(await claimIds()).toEqual([b]);
  });

  it('complete inside the caller transaction promotes in it; a rollback keeps the head', async () => {
    const [a, b] = await queue.enqueueMany([keyed(1), keyed(2)]);
    const head = only(await claimAll());
    await expect(
      store.db.transaction().execute(async (tx) => {
        expect(await queue.complete(head, tx)).toBe(true);
        throw new Error('handler failed after completing');
      }),
    ).rejects.toThrow('handler failed');
    expect(await waiting()).toEqual({ [b as string]: 1 });
    await store.db.transaction().execute((tx) => queue.complete(head, tx));
    expect(await waiting()).toEqual({ [b as string]: 0 });
    expect((await queue.get(a as string))?.state).toBe('done');
  });

  it('completeMany promotes the heads of every key it completes', async () => {
    const [a1, a2, b1, b2] = await queue.enqueueMany([keyed(1), keyed(2), keyed(3, { key: 'order:2' }), keyed(4, { key: 'order:2' })]);
    const heads = await claimAll();
    expect(heads.map((j) => j.id).sort()).toEqual([a1, b1].sort());
    expect((await queue.completeMany(heads)).sort()).toEqual([a1, b1].sort());
    expect(await waiting()).toEqual({ [a2 as string]: 0, [b2 as string]: 0 });
  });

  it('a retried head stays the head: the job behind it waits through the backoff and runs after it', async () => {
    const [a, b] = await queue.enqueueMany([keyed(1, { backoff: { initialMs: 1000, maxMs: 1000, factor: 1 } }), keyed(2)]);
    expect(await queue.fail(only(await claimAll()), retryable())).toBe('retry');
    expect(await waiting()).toEqual({ [a as string]: 0, [b as string]: 1 });
    expect(await claimIds()).toEqual([]);
    now = T0 + 1000;
    const again = only(await claimAll());
    expect(again).toMatchObject({ id: a, attempts: 2 });
    await queue.complete(again);
    expect(await claimIds()).toEqual([b]);
  });

  it('a head that dies (last attempt or permanent error) promotes the next job', async () => {
    const [, b, c] = await queue.enqueueMany([keyed(1, { maxAttempts: 1 }), keyed(2), keyed(3)]);
    expect(await queue.fail(only(await claimAll()), retryable())).toBe('dead');
    expect(await waiting()).toEqual({ [b as string]: 0, [c as string]: 1 });
    expect(await queue.fail(only(await claimAll()), permanent())).toBe('dead');
    expect(await claimIds()).toEqual([c]);
  });

  it('a head with a record that dies — becoming its dead letter or joining one — promotes the next job', async () => {
    const record = { recordKey: 'order:shop:1' };
    const [, b, c] = await queue.enqueueMany([keyed(1, record), keyed(2, record), keyed(3)]);
    expect(await queue.fail(only(await claimAll()), permanent())).toBe('dead'); // becomes the dead letter
    expect(await waiting()).toEqual({ [b as string]: 0, [c as string]: 1 });
    expect(await queue.fail(only(await claimAll()), permanent())).toBe('dead'); // joins it (its row goes)
    expect(await claimIds()).toEqual([c]);
  });

  it('discarding a queued head promotes the next job; discarding a waiting one changes no head', async () => {
    const [a, b, c, d] = await queue.enqueueMany([keyed(1), keyed(2), keyed(3), keyed(4)]);
    await queue.discard(c as string);
    expect(await waiting()).toEqual({ [a as string]: 0, [b as string]: 1, [d as string]: 1 });
    await queue.discard(a as string);
    expect(await waiting()).toEqual({ [b as string]: 0, [d as string]: 1 });
    expect(await claimIds()).toEqual([b]);
  });

  it("a killed worker's head is reclaimed after its lease while the jobs behind it keep waiting", async () => {
    const [a, b] = await queue.enqueueMany([keyed(1), keyed(2)]);
    only(await claimAll('dead-worker', 1000));
    now = T0 + 1001;
    const reclaimed = only(await claimAll('w2'));
    expect(reclaimed).toMatchObject({ id: a, lockedBy: 'w2', attempts: 2 });
    expect(await waiting()).toEqual({ [b as string]: 1 });
    await queue.complete(reclaimed);
    expect(await claimIds()).toEqual([b]);
  });

  it('a replayed dead job is claimable again and runs before the newer jobs of its key', async () => {
    const [a, b, c] = await queue.enqueueMany([keyed(1, { maxAttempts: 1 }), keyed(2), keyed(3)]);
    await queue.fail(only(await claimAll()), permanent()); // a dead, b promoted
    const bJob = only(await claimAll());
    expect(bJob.id).toBe(b);
    await queue.replay(a as string);
    expect(await waiting()).toMatchObject({ [a as string]: 0, [c as string]: 1 });
    expect(await claimIds()).toEqual([]); // b still runs
    await queue.complete(bJob);
    expect(await claimIds()).toEqual([a]); // the oldest first; c still waits behind it
    expect(await claimIds()).toEqual([]);
  });

  it('enqueued inside the caller transaction: waits behind its head, and a rollback leaves nothing', async () => {
    const a = await queue.enqueue(keyed(1));
    const b = await store.db.transaction().execute(async (tx) => {
      const first = await queue.enqueue(keyed(2), tx);
      await queue.enqueue(keyed(3), tx);
      return first;
    });
    await expect(
      store.db.transaction().execute(async (tx) => {
        await queue.enqueue(keyed(4), tx);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(Object.keys(await waiting())).toHaveLength(3);
    expect(await waiting()).toMatchObject({ [a]: 0, [b]: 1 });
    await queue.complete(only(await claimAll()));
    expect(await claimIds()).toEqual([b]);
  });

  it('priorities order the heads; a high-priority job behind its head waits for it', async () => {
    const low = await queue.enqueue(keyed(1));
    const urgent = await queue.enqueue(keyed(2, { priority: 9 }));
    const other = await queue.enqueue({ kind: 'k', payload: 3, priority: 5 });
    expect(await claimIds()).toEqual([other, low]);
    const lowJob = await queue.get(low);
    await queue.complete(lowJob as Job);
    expect(await claimIds()).toEqual([urgent]);
  });

  it('repairHeads promotes a head left waiting (as a race can leave it); a claim runs the repair', async () => {
    const [a, b] = await queue.enqueueMany([keyed(1), keyed(2)]);
    await sql`update jobs set waiting = 1 where id = ${Number(a)}`.execute(store.db);
    expect(await claimIds()).toEqual([]);
    expect(await queue.repairHeads()).toBe(1);
    expect(await waiting()).toEqual({ [a as string]: 0, [b as string]: 1 });
    expect(await queue.repairHeads()).toBe(0);
    // a new Queue (a new process) repairs on its first claim
    await sql`update jobs set waiting = 1 where id = ${Number(a)}`.execute(store.db);
    const { Queue: QueueClass } = await import('../../src/queue/index.js');
    const fresh = new QueueClass(store, { now: () => now });
    expect(await fresh.claim('w9', { limit: 10, leaseMs: LEASE })).toEqual([]); // the repair runs after the claim
    await fresh.repairing;
    expect((await fresh.claim('w9', { limit: 10, leaseMs: LEASE })).map((j) => j.id)).toEqual([a]);
  });

  it('a job behind a RUNNING job of its key is not stored waiting: the claim holds it back until that job is done', async () => {
    const a = await queue.enqueue(keyed(1));
    const head = only(await claimAll());
    const b = await queue.enqueue(keyed(2));
    const c = await queue.enqueue(keyed(3));
    expect(await waiting()).toEqual({ [b]: 0, [c]: 1 }); // c is behind the queued b
    expect(await claimIds()).toEqual([]);
    await queue.complete(head);
    expect(await claimIds()).toEqual([b]);
    expect((await queue.get(a))?.state).toBe('done');
  });

  it.runIf(kind === 'postgres')('PostgreSQL race: an enqueue that commits after its running head completed is claimable at once, no repair', async () => {
    await queue.enqueue(keyed(1));
    const head = only(await claimAll());
    let b = '';
    await store.db.transaction().execute(async (tx) => {
      b = await queue.enqueue(keyed(2), tx); // sees the head running
      expect(await queue.complete(head)).toBe(true); // another connection: cannot see b
    });
    expect(await waiting()).toEqual({ [b]: 0 }); // not left waiting behind a head that is gone
    expect(await claimIds()).toEqual([b]);
  });

  it.runIf(kind === 'postgres')('PostgreSQL race: a queued head an enqueue waits behind cannot be claimed and completed before that enqueue commits', async () => {
    const a = await queue.enqueue(keyed(1));
    let b = '';
    await store.db.transaction().execute(async (tx) => {
      b = await queue.enqueue(keyed(2), tx); // waits behind the queued a, and locks it until commit
      // another connection: the claim skips the locked head, so it cannot run and complete unseen by b
      const claimed = await claimAll();
      for (const job of claimed) await queue.complete(job);
      expect(claimed).toEqual([]);
    });
    expect(await waiting()).toEqual({ [a]: 0, [b]: 1 });
    await queue.complete(only(await claimAll()));
    expect(await waiting()).toEqual({ [b]: 0 });
    expect(await claimIds()).toEqual([b]);
  });

  it.runIf(kind === 'postgres')('PostgreSQL race: an enqueue meeting a head another transaction is claiming waits for it and then does not wait', async () => {
    const a = await queue.enqueue(keyed(1));
    const claimer = await store.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      // as the claim does: the row taken `for update`, then changed
      await sql`select id from jobs where id = ${Number(a)} for update`.execute(conn);
      await sql`update jobs set state = 'running', attempts = 1, locked_by = 'w0', locked_until = ${now + LEASE} where id = ${Number(a)}`.execute(conn);
      const enqueued = queue.enqueue(keyed(2)); // blocks on a's row until the claim commits
      await new Promise((r) => setTimeout(r, 200));
      await sql`commit`.execute(conn);
      return enqueued;
    });
    expect(await waiting()).toEqual({ [claimer]: 0 });
    expect(await claimIds()).toEqual([]); // a runs
  });

  it.runIf(kind === 'postgres')('PostgreSQL: promoting a head does not wait for an enqueue that waits behind it (no deadlock between handler transactions)', async () => {
    const [x1, x2] = await queue.enqueueMany([keyed(1), keyed(2)]); // x2 waits behind x1
    const running = only(await claimAll());
    expect(running.id).toBe(x1);
    await store.db.transaction().execute(async (tx) => {
      await queue.enqueue(keyed(3), tx); // locks the queued x2 it waits behind
      // another connection completes x1 and promotes x2 while the lock is held: must not block
      expect(await queue.complete(running)).toBe(true);
    });
    expect(await waiting()).toMatchObject({ [x2 as string]: 0 });
    expect(await claimIds()).toEqual([x2]);
  });
});

describe.each(testStoreKinds())('migration 009 on %s', (kind) => {
  it('marks the queued keyed jobs behind an older queued-or-running job of their key as waiting', async () => {
    const { db, upTo, close } = await steppedStore(kind);
    try {
      await upTo('008_nodes');
      const row = (id: number, key: string | null, state: string) =>
        sql`insert into jobs (id, kind, key, payload, priority, run_at, attempts, max_attempts, state, created_at, updated_at) values (${id}, 'k', ${key}, '1', 0, 0, 0, 8, ${state}, 0, 0)`.execute(db);
      await row(1, 'a', 'done');
      await row(2, 'a', 'running');
      await row(3, 'a', 'queued');
      await row(4, 'b', 'dead');
      await row(5, 'b', 'queued');
      await row(6, 'b', 'queued');
      await row(7, null, 'queued');
      await upTo('009_key_heads');
      const { rows } = await sql<{ id: number; waiting: number }>`select id, waiting from jobs order by id`.execute(db);
      expect(rows.map((r) => [Number(r.id), Number(r.waiting)])).toEqual([[1, 0], [2, 0], [3, 1], [4, 0], [5, 0], [6, 1], [7, 0]]);
    } finally {
      await close();
    }
  });
});
