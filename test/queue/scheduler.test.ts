/** The scheduler: ticks enqueue with dedupe on `schedule:<name>`, runs of one flow never overlap. */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSchedule } from '../../src/config/duration.js';
import type { Schedule } from '../../src/config/duration.js';
import { Scheduler, Worker, scheduleKey } from '../../src/queue/index.js';
import type { Queue } from '../../src/queue/index.js';
import { testStoreKinds } from '../helpers/db.js';
import { useQueueStore } from '../helpers/queue-store.js';
import { sleep, waitFor } from './wait.js';

const schedule = (text: string): Schedule => {
  const s = parseSchedule(text);
  if (!s) throw new Error(`bad schedule ${text}`);
  return s;
};

describe.each(testStoreKinds())('scheduler on %s', (kind) => {
  let queue: Queue;

  const ctx = useQueueStore(kind);
  beforeAll(() => ({ queue } = ctx));

  it('a tick while a run is queued adds nothing; while one runs, queues exactly one next run', async () => {
    const scheduler = new Scheduler(queue);
    scheduler.add('products', schedule('15m'), { kind: 'flow.run', payload: { flow: 'products' } });
    const first = await scheduler.tick('products');
    expect(await scheduler.tick('products')).toBe(first);
    const [running] = await queue.claim('w', { limit: 5, leaseMs: 60_000 });
    expect(running).toMatchObject({ id: first, key: scheduleKey('products') });
    const next = await scheduler.tick('products');
    expect(next).not.toBe(first);
    expect(await scheduler.tick('products')).toBe(next);
    expect(await queue.claim('w2', { limit: 5, leaseMs: 60_000 })).toEqual([]); // the next run waits for the running one
    await queue.complete(running!);
    expect((await queue.claim('w2', { limit: 5, leaseMs: 60_000 })).map((j) => j.id)).toEqual([next]);
    expect(() => scheduler.add('products', schedule('1h'), { kind: 'x', payload: null })).toThrow(/defined twice/);
    await expect(scheduler.tick('nope')).rejects.toMatchObject({ kind: 'config' });
  });

  it('timers tick on their own and runs of one flow never overlap, even with free worker slots', async () => {
    const scheduler = new Scheduler(queue);
    scheduler.add('fast', schedule('30ms'), { kind: 'flow.run', payload: { flow: 'fast' } });
    scheduler.add('cron', schedule('* * * * * *'), { kind: 'flow.run', payload: { flow: 'cron' } });
    let active = 0;
    let maxActive = 0;
    const runs = new Map<string, number>();
    const worker = new Worker(
      queue,
      {
        'flow.run': async (job) => {
          const flow = (job.payload as { flow: string }).flow;
          if (flow === 'fast') {
            active++;
            maxActive = Math.max(maxActive, active);
            await sleep(70); // longer than the interval: ticks arrive while it runs
            active--;
          }
          runs.set(flow, (runs.get(flow) ?? 0) + 1);
        },
      },
      { concurrency: 4, leaseMs: 5_000, pollIntervalMs: 5 },
    );
    worker.start();
    scheduler.start();
    try {
      await waitFor(() => (runs.get('fast') ?? 0) >= 4 && (runs.get('cron') ?? 0) >= 1, 'several interval runs and one cron run', 10_000);
    } finally {
      scheduler.stop();
      await worker.stop();
    }
    expect(maxActive).toBe(1);
    const fastJobs = await queue.list({ key: scheduleKey('fast'), limit: 1000 });
    expect(fastJobs.filter((j) => j.state === 'queued').length).toBeLessThanOrEqual(1); // never piled up
  });
});
