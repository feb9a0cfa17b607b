/**
 * Runs lost to a stopped worker (node killed, lease ended, reaped) apart from failures (migration 010,
 * src/queue/backoff.ts): a lost run re-runs at once, grows no backoff and does not count toward dead; a
 * real failure still does; a job whose runs were lost MAX_LOST_RUNS times goes dead with a reason.
 */
import { sql } from 'kysely';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_LOST_RUNS } from '../../src/queue/backoff.js';
import { Worker } from '../../src/queue/index.js';
import type { Job, Queue } from '../../src/queue/index.js';
import { SyncError } from '../../src/shared/errors.js';
import { NodeRepo } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { testStoreKinds } from '../helpers/db.js';
import { steppedStore } from '../helpers/migrate-upto.js';
import { useQueueStore } from '../helpers/queue-store.js';

const T0 = 1_800_000_000_000;
const LEASE = 20_000;
const BACKOFF = { initialMs: 1_000, maxMs: 10_000_000, factor: 10 };
const down = () => new SyncError('network', 'the ERP did not answer');

describe.each(testStoreKinds())('lost runs on %s', (kind) => {
  let store: Store;
  let queue: Queue;
  let now = T0;

  const ctx = useQueueStore(kind, { now: () => now, reset: async (s) => void (await s.db.deleteFrom('nodes').execute()) });
  beforeAll(() => ({ store, queue } = ctx));
  beforeEach(() => {
    now = T0;
  });

  const claimOne = async (worker: string): Promise<Job> => {
    const jobs = await queue.claim(worker, { limit: 1, leaseMs: LEASE });
    expect(jobs).toHaveLength(1);
    return jobs[0] as Job;
  };
  /** Claims the job as `worker`, then its worker dies: the lease runs out. */
  const loseRun = async (worker: string): Promise<Job> => {
    const job = await claimOne(worker);
    now += LEASE + 1;
    return job;
  };

  it('a failure after three lost runs backs off like a first failure and is not dead; failures still reach dead', async () => {
    const id = await queue.enqueue({ kind: 'order.sync', key: 'order:1', payload: { order: 'SO1' }, maxAttempts: 2, backoff: BACKOFF });
    for (const w of ['node-a', 'node-b', 'node-c']) await loseRun(w);
    const job = await claimOne('node-d'); // claimed at once: a lost run waits for no backoff
    expect(job).toMatchObject({ id, attempts: 4, failedAttempts: 0 });
    expect(await queue.fail(job, down())).toBe('retry');
    const retried = await queue.get(id);
    expect(retried).toMatchObject({ state: 'queued', failedAttempts: 1 });
    // first failure: 500–1000 ms (with the lost runs counted it would be 1000 × 10^3, or dead at maxAttempts 2)
    expect((retried as Job).runAt - now).toBeGreaterThanOrEqual(500);
    expect((retried as Job).runAt - now).toBeLessThanOrEqual(1_000);
    now = (retried as Job).runAt;
    const again = await claimOne('node-d');
    expect(again).toMatchObject({ attempts: 5, failedAttempts: 1 });
    expect(await queue.fail(again, down())).toBe('dead'); // the second real failure of maxAttempts 2
    expect(await queue.get(id)).toMatchObject({ state: 'dead', failedAttempts: 2, lastError: { kind: 'network' } });
  });

  it("a dead node's job is reaped and claimable at once, and the reap costs it no attempt toward dead", async () => {
    const nodes = new NodeRepo(store.db, () => now);
    await nodes.beat({ id: 'node-a', host: 'a', pid: 1, startedAt: now, runningJobs: 1 });
    const id = await queue.enqueue({ kind: 'order.sync', key: 'order:2', payload: null, maxAttempts: 1, backoff: BACKOFF });
    await claimOne('node-a');
    now += 16_000; // node-a is not seen for 16 s; its lease (20 s) has not run out
    expect(await queue.claim('node-b', { limit: 1, leaseMs: LEASE })).toEqual([]);
    expect(await nodes.reapDead(15_000)).toEqual({ nodes: ['node-a'], jobs: 1 });
    const job = await claimOne('node-b');
    expect(job).toMatchObject({ id, attempts: 2, failedAttempts: 0 });
    // maxAttempts 1 and one lost run: the worker runs it
    let ran = 0;
    await runWorker({ 'order.sync': async () => void (ran += 1) }, job);
    expect(ran).toBe(1);
  });

  it(`a job whose runs were lost ${MAX_LOST_RUNS} times goes dead without running, saying why; ${MAX_LOST_RUNS - 1} times it still runs`, async () => {
    const poison = await queue.enqueue({ kind: 'order.sync', key: 'order:3', payload: null, maxAttempts: 8 });
    await loseRun('node-0');
    const healthy = await queue.enqueue({ kind: 'order.sync', key: 'order:4', payload: null, maxAttempts: 8 });
    for (let i = 1; i < MAX_LOST_RUNS; i++) {
      const jobs = await queue.claim(`node-${i}`, { limit: 5, leaseMs: LEASE });
      expect(jobs.map((j) => j.id).sort()).toEqual([poison, healthy].sort());
      now += LEASE + 1;
    }
    // poison: MAX_LOST_RUNS runs lost, healthy: one fewer
    const ran: string[] = [];
    const worker = new Worker(queue, { 'order.sync': async (job) => void ran.push(job.id) }, { concurrency: 2, leaseMs: LEASE, pollIntervalMs: 5 });
    await worker.drain();
    await worker.stop();
    expect(ran).toEqual([healthy]);
    expect(await queue.get(healthy)).toMatchObject({ state: 'done', attempts: MAX_LOST_RUNS });
    const dead = await queue.get(poison);
    expect(dead).toMatchObject({ state: 'dead', attempts: MAX_LOST_RUNS + 1, lastError: { kind: 'unavailable' } });
    expect(dead?.lastError?.message).toContain(`started ${MAX_LOST_RUNS} times and its worker stopped each time`);
  });

  it('a release (shutdown, breaker) is neither a lost run nor a failure; replay resets the failures', async () => {
    const id = await queue.enqueue({ kind: 'k', payload: null, maxAttempts: 1, backoff: BACKOFF });
    await queue.release(await claimOne('w1'));
    const job = await claimOne('w1');
    expect(job).toMatchObject({ attempts: 1, failedAttempts: 0 });
    expect(await queue.fail(job, down())).toBe('dead');
    await queue.replay(id);
    expect(await queue.get(id)).toMatchObject({ state: 'queued', attempts: 0, failedAttempts: 0 });
    expect(await claimOne('w1')).toMatchObject({ attempts: 1, failedAttempts: 0 });
  });

  /** A worker that gets exactly this claimed job (the claim is the test's own: the worker then completes it). */
  async function runWorker(handlers: Record<string, () => Promise<void>>, job: Job): Promise<void> {
    // release it so the worker's own claim takes it, without counting the claim above
    await queue.release(job);
    const worker = new Worker(queue, handlers, { concurrency: 1, leaseMs: LEASE, pollIntervalMs: 5 });
    await worker.drain();
    await worker.stop();
  }
});

describe.each(testStoreKinds())('migration 010 on %s', (kind) => {
  it('backfills failed_attempts: every past attempt of a job not running or done counts as failed', async () => {
    const { db, upTo, close } = await steppedStore(kind);
    try {
      await upTo('009_key_heads');
      const row = (id: number, state: string, attempts: number) =>
        sql`insert into jobs (id, kind, key, payload, priority, run_at, attempts, max_attempts, state, created_at, updated_at) values (${id}, 'k', null, '1', 0, 0, ${attempts}, 8, ${state}, 0, 0)`.execute(db);
      await row(1, 'queued', 0);
      await row(2, 'queued', 3);
      await row(3, 'running', 3);
      await row(4, 'running', 0);
      await row(5, 'dead', 8);
      await row(6, 'done', 2);
      await upTo('010_failed_attempts');
      const { rows } = await sql<{ id: number; failed_attempts: number }>`select id, failed_attempts from jobs order by id`.execute(db);
      expect(rows.map((r) => [Number(r.id), Number(r.failed_attempts)])).toEqual([[1, 0], [2, 3], [3, 2], [4, 0], [5, 8], [6, 1]]);
    } finally {
      await close();
    }
  });
});
