/**
 * The worker completing jobs in batches (completion-batch.ts), on SQLite and PostgreSQL: fewer completion
 * statements, and a keyed job starts only once the one before it is written done. The crash between a
 * job's end and its batch is in processes.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Queue, Worker } from '../../src/queue/index.js';
import type { Job } from '../../src/queue/index.js';
import type { Store } from '../../src/store/index.js';
import { testStoreKinds } from '../helpers/db.js';
import { useQueueStore } from '../helpers/queue-store.js';
import { sleep } from './wait.js';

describe.each(testStoreKinds())('batched completion on %s', (kind) => {
  let store: Store;
  let queue: Queue;

  const ctx = useQueueStore(kind);
  beforeAll(() => ({ store, queue } = ctx));

  it('completes the jobs of several handlers in one statement, none one by one', async () => {
    await queue.enqueueMany(Array.from({ length: 40 }, (_, i) => ({ kind: 'a', payload: i })));
    const batches: number[] = [];
    let single = 0;
    const spy = new Queue(store);
    const completeMany = spy.completeMany.bind(spy);
    const complete = spy.complete.bind(spy);
    let inBatch = false; // SQLite's completeMany completes each job in its one transaction
    spy.completeMany = async (jobs: readonly Job[], db?: Parameters<Queue['completeMany']>[1]) => {
      batches.push(jobs.length);
      inBatch = true;
      try {
        return await completeMany(jobs, db);
      } finally {
        inBatch = false;
      }
    };
    spy.complete = (job: Job, db?: Parameters<Queue['complete']>[1]) => (inBatch || single++, complete(job, db));
    const worker = new Worker(spy, { a: () => sleep(2) }, { concurrency: 8, leaseMs: 5_000, pollIntervalMs: 10, completeBatch: { maxJobs: 8, maxWaitMs: 50 } });
    await worker.drain();
    await worker.stop();
    expect(await queue.counts()).toMatchObject({ done: 40, queued: 0, running: 0 });
    expect(single).toBe(0);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(40);
    expect(batches.length).toBeLessThan(40);
    expect(Math.max(...batches)).toBeGreaterThan(1);
  });

  it('a keyed job starts only after the one before it is written done; enqueue order per key is kept', async () => {
    const jobs = Array.from({ length: 30 }, (_, i) => ({ kind: 'a', key: `k${i % 3}`, payload: i }));
    const ids = await queue.enqueueMany(jobs);
    const order = new Map<string, string[]>();
    const notDoneBefore: string[] = [];
    const handler = async (job: Job) => {
      const key = job.key as string;
      const previous = order.get(key)?.at(-1);
      if (previous !== undefined && (await queue.get(previous))?.state !== 'done') notDoneBefore.push(`${previous} before ${job.id}`);
      order.set(key, [...(order.get(key) ?? []), job.id]);
      await sleep(1);
    };
    const worker = new Worker(queue, { a: handler }, { concurrency: 6, leaseMs: 5_000, pollIntervalMs: 5, completeBatch: { maxJobs: 50, maxWaitMs: 20 } });
    await worker.drain();
    await worker.stop();
    expect(notDoneBefore).toEqual([]);
    for (const key of ['k0', 'k1', 'k2']) expect(order.get(key)).toEqual(ids.filter((_, i) => `k${i % 3}` === key));
    expect(await queue.counts()).toMatchObject({ done: 30 });
  });
});
