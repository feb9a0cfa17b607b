/** The worker on SQLite and PostgreSQL: concurrency, keyed order, failures, completion in a transaction, stop. */
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Worker } from '../../src/queue/index.js';
import type { Job, JobHandler, Queue } from '../../src/queue/index.js';
import type { Store } from '../../src/store/index.js';
import { SyncError } from '../../src/shared/errors.js';
import { testStoreKinds } from '../helpers/db.js';
import { useQueueStore } from '../helpers/queue-store.js';
import { sleep, waitFor } from './wait.js';
import type { Logger } from '../../src/shared/log.js';

const FAST = { initialMs: 1, maxMs: 5, factor: 2 };

describe.each(testStoreKinds())('worker on %s', (kind) => {
  let store: Store;
  let queue: Queue;

  const ctx = useQueueStore(kind, {
    setup: async (s) => void (await sql`create table effects (job_id text primary key)`.execute(s.db)),
    reset: async (s) => void (await sql`delete from effects`.execute(s.db)),
  });
  beforeAll(() => ({ store, queue } = ctx));

  const run = async (handlers: Record<string, JobHandler>, opts: Partial<ConstructorParameters<typeof Worker>[2]> = {}) => {
    const worker = new Worker(queue, handlers, { concurrency: 4, leaseMs: 5_000, pollIntervalMs: 10, ...opts });
    await worker.drain();
    await worker.stop();
    return worker;
  };

  /** Runs until every job is done or dead (drain alone returns while a retry waits for its run_at). */
  const runUntilSettled = async (handlers: Record<string, JobHandler>) => {
    const worker = new Worker(queue, handlers, { concurrency: 4, leaseMs: 5_000, pollIntervalMs: 5 });
    worker.start();
    await waitFor(async () => {
      const c = await queue.counts();
      return c.queued === 0 && c.running === 0;
    }, 'every job to settle');
    await worker.stop();
  };

  it('a store that stops answering: the worker takes no work, says so once, and resumes by itself', async () => {
    const id = await queue.enqueue({ kind: 'a', payload: 1 });
    const lines: string[] = [];
    const log = { error: (_o: unknown, msg: string) => lines.push(`error ${msg}`), info: (_o: unknown, msg: string) => lines.push(`info ${msg}`), warn: () => undefined, child: () => log } as unknown as Logger;
    const realClaim = queue.claim.bind(queue);
    let outage = 5;
    queue.claim = async (...args) => {
      if (outage > 0) {
        outage -= 1;
        throw new SyncError('unavailable', 'connect ECONNREFUSED 127.0.0.1:5432');
      }
      return realClaim(...args);
    };
    const ran: string[] = [];
    const worker = new Worker(queue, { a: async (job) => void ran.push(job.id) }, { concurrency: 2, leaseMs: 5_000, pollIntervalMs: 5, log });
    try {
      worker.start();
      await waitFor(() => worker.storeLost, 'the worker to notice the outage');
      expect(ran).toEqual([]);
      await waitFor(() => ran.length === 1, 'the job to run after the outage');
      expect(ran).toEqual([id]);
      expect(worker.storeLost).toBe(false);
      expect(lines).toEqual(['error claiming jobs failed: taking no work until the store answers again', 'info the store answers again: taking work']);
    } finally {
      await worker.stop();
      queue.claim = realClaim;
    }
  });

  it('while an urgent job runs, lower-priority jobs take at most their share of the slots; then all of them again', async () => {
    await queue.enqueueMany(Array.from({ length: 6 }, (_, i) => ({ kind: 'low', payload: i, priority: 60 })));
    await queue.enqueue({ kind: 'urgent', payload: 0, priority: 90 });
    let releaseUrgent!: () => void;
    const urgentDone = new Promise<void>((resolve) => (releaseUrgent = resolve));
    let lowActive = 0;
    let lowStarted = 0;
    let lowMaxWhileUrgent = 0;
    let lowMaxAfter = 0;
    let urgentRunning = false;
    const lowGate: Array<() => void> = [];
    const worker = new Worker(
      queue,
      {
        urgent: async () => {
          urgentRunning = true;
          await urgentDone;
          urgentRunning = false;
        },
        low: async () => {
          lowActive++;
          lowStarted++;
          if (urgentRunning) lowMaxWhileUrgent = Math.max(lowMaxWhileUrgent, lowActive);
          else lowMaxAfter = Math.max(lowMaxAfter, lowActive);
          await new Promise<void>((resolve) => lowGate.push(resolve));
          lowActive--;
        },
      },
      { concurrency: 8, leaseMs: 5_000, pollIntervalMs: 5, urgent: { priority: 90, maxShare: 0.25 } },
    );
    worker.start();
    await waitFor(() => urgentRunning && lowStarted === 2, 'the urgent job and two low ones to run');
    // a low job that finishes is replaced, never more than the share (8 × 0.25 = 2) at once
    lowGate.shift()!();
    await waitFor(() => lowStarted >= 3, 'a replacement');
    lowGate.shift()!();
    await waitFor(() => lowStarted >= 4, 'another replacement');
    expect(lowMaxWhileUrgent).toBe(2);
    releaseUrgent();
    await waitFor(() => lowStarted === 6, 'the rest of the low jobs at once');
    expect(lowMaxAfter).toBe(4);
    while (lowGate.length) lowGate.shift()!();
    await waitFor(() => lowActive === 0 && lowGate.length === 0, 'the low jobs to finish');
    await worker.drain();
    await worker.stop();
    expect((await queue.counts()).done).toBe(7);
  });

  it('runs every job once, several at a time, and drains', async () => {
    const ids = await queue.enqueueMany(Array.from({ length: 40 }, (_, i) => ({ kind: 'a', payload: i })));
    const seen: string[] = [];
    let active = 0;
    let maxActive = 0;
    await run({
      a: async (job) => {
        active++;
        maxActive = Math.max(maxActive, active);
        await sleep(2);
        seen.push(job.id);
        active--;
      },
    });
    expect(seen.sort()).toEqual([...ids].sort());
    expect(maxActive).toBeGreaterThan(1);
    expect(maxActive).toBeLessThanOrEqual(4);
    expect(await queue.counts()).toMatchObject({ done: 40, queued: 0, running: 0 });
  });

  it('never overlaps jobs of one key and runs them in enqueue order', async () => {
    const jobs = Array.from({ length: 30 }, (_, i) => ({ kind: 'a', key: `k${i % 3}`, payload: i, priority: i % 5 }));
    const ids = await queue.enqueueMany(jobs);
    const order = new Map<string, string[]>();
    const activeByKey = new Map<string, number>();
    let overlap = false;
    await run(
      {
        a: async (job) => {
          const key = job.key as string;
          if (activeByKey.get(key)) overlap = true;
          activeByKey.set(key, 1);
          await sleep(1);
          order.set(key, [...(order.get(key) ?? []), job.id]);
          activeByKey.set(key, 0);
        },
      },
      { concurrency: 6 },
    );
    expect(overlap).toBe(false);
    for (const key of ['k0', 'k1', 'k2']) {
      expect(order.get(key)).toEqual(ids.filter((_, i) => `k${i % 3}` === key));
    }
  });

  it('retries retryable failures, dead-letters permanent ones and bugs, keeping payload and message', async () => {
    const flaky = await queue.enqueue({ kind: 'flaky', payload: { n: 1 }, backoff: FAST });
    const bad = await queue.enqueue({ kind: 'bad', payload: { sku: '' }, backoff: FAST });
    const bug = await queue.enqueue({ kind: 'bug', payload: null, backoff: FAST });
    let tries = 0;
    await runUntilSettled({
      flaky: async () => {
        if (++tries < 3) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      },
      bad: async () => {
        throw new SyncError('invalid_data', 'SKU is required', { system: 'odoo', field: 'default_code' });
      },
      bug: async () => {
        throw new TypeError('cannot read properties of undefined');
      },
    });
    expect(await queue.get(flaky)).toMatchObject({ state: 'done', attempts: 3 });
    expect(await queue.get(bad)).toMatchObject({ state: 'dead', attempts: 1, payload: { sku: '' }, lastError: { kind: 'invalid_data', message: 'SKU is required', field: 'default_code' } });
    expect(await queue.get(bug)).toMatchObject({ state: 'dead', attempts: 1, lastError: { message: 'cannot read properties of undefined', retryable: false } });
  });

  it('a handler that completes inside its transaction is not completed again; a rolled back one is retried', async () => {
    const id = await queue.enqueue({ kind: 'tx', payload: null, backoff: FAST });
    let calls = 0;
    const results: boolean[] = [];
    await runUntilSettled({
      tx: async (job: Job, ctx) => {
        calls++;
        await store.transaction(async (tx) => {
          await sql`insert into effects (job_id) values (${job.id})`.execute(tx);
          results.push(await ctx.complete(tx));
          if (calls === 1) throw new SyncError('unavailable', 'commit failed'); // rolls back effect and completion
        });
      },
    });
    expect(calls).toBe(2);
    expect(results).toEqual([true, true]);
    expect(await queue.get(id)).toMatchObject({ state: 'done', attempts: 2 });
    const effects = await sql<{ job_id: string }>`select job_id from effects`.execute(store.db);
    expect(effects.rows).toEqual([{ job_id: id }]);
  });

  it('a job whose lease renewals keep failing is aborted before the lease may run out, and released (s17-dup)', async () => {
    const id = await queue.enqueue({ kind: 'a', payload: 1, key: 'order:1' });
    const realHeartbeat = queue.heartbeat.bind(queue);
    queue.heartbeat = async () => {
      throw new SyncError('unavailable', 'no PostgreSQL connection became free within 5 s');
    };
    let aborted: unknown;
    let started = 0;
    const worker = new Worker(queue, {
      a: async (_job, ctx) => {
        started += 1;
        if (started > 1) return;
        // a long run (an order import at high load) that checks its signal before each write
        await waitFor(() => ctx.signal.aborted, 'the abort', 5_000, 5).catch(() => undefined);
        aborted = ctx.signal.reason;
        ctx.signal.throwIfAborted();
      },
    }, { concurrency: 1, leaseMs: 300, pollIntervalMs: 10 });
    try {
      worker.start();
      await waitFor(() => aborted !== undefined, 'the run to stop', 5_000);
      expect(String((aborted as Error).message)).toMatch(/lease could not be renewed in time/);
      queue.heartbeat = realHeartbeat;
      await waitFor(async () => (await queue.get(id))?.state === 'done', 'the job to run again and finish');
      expect(started).toBe(2);
      expect((await queue.get(id))?.attempts).toBe(1); // released, not a failed attempt
    } finally {
      queue.heartbeat = realHeartbeat;
      await worker.stop();
    }
  });

  it('runs a job reclaimed after its worker died even at maxAttempts 1: a lost run is not a failure (lost-runs.test.ts)', async () => {
    const id = await queue.enqueue({ kind: 'a', payload: null, maxAttempts: 1 });
    await queue.claim('crashed-worker', { limit: 1, leaseMs: 1 }); // attempt 1, never finished
    await sleep(5);
    let ran = false;
    await run({
      a: async () => {
        ran = true;
      },
    });
    expect(ran).toBe(true);
    expect(await queue.get(id)).toMatchObject({ state: 'done', attempts: 2, failedAttempts: 0 });
  });

  it('stop waits for running jobs, then aborts and releases what is left', async () => {
    const quick = await queue.enqueue({ kind: 'quick', payload: null });
    const slow = await queue.enqueue({ kind: 'slow', payload: null });
    let aborted = false;
    let release: () => void = () => undefined;
    const worker = new Worker(
      queue,
      {
        quick: async () => sleep(20),
        slow: async (_job, ctx) => {
          ctx.signal.addEventListener('abort', () => (aborted = true));
          await new Promise<void>((resolve) => (release = resolve));
        },
      },
      { concurrency: 2, leaseMs: 5_000, pollIntervalMs: 10 },
    );
    worker.start();
    await waitFor(async () => (await queue.counts()).running === 2 || undefined, 'both jobs to run');
    await worker.stop({ timeoutMs: 100 });
    expect(aborted).toBe(true);
    expect(await queue.get(quick)).toMatchObject({ state: 'done' });
    expect(await queue.get(slow)).toMatchObject({ state: 'queued', attempts: 0, lockedBy: null });
    release();
  });

  it('aborts a job whose lease was taken over by another worker', async () => {
    const id = await queue.enqueue({ kind: 'long', payload: null });
    let signal: AbortSignal | undefined;
    let finish: () => void = () => undefined;
    const worker = new Worker(
      queue,
      {
        long: async (_job, ctx) => {
          signal = ctx.signal;
          await new Promise<void>((resolve) => (finish = resolve));
        },
      },
      { concurrency: 1, leaseMs: 60, pollIntervalMs: 10 },
    );
    worker.start();
    await waitFor(() => signal, 'the job to start');
    // Another worker takes the job over (as if this one had missed its lease).
    await store.db.updateTable('jobs').set({ locked_by: 'other', locked_until: Date.now() + 60_000 }).where('id', '=', Number(id)).execute();
    await waitFor(() => signal?.aborted, 'the abort');
    finish();
    await worker.stop();
    expect(await queue.get(id)).toMatchObject({ state: 'running', lockedBy: 'other' }); // not completed by the first worker
  });
});
