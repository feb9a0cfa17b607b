/**
 * A timer tick of an interval schedule is skipped while the flow's previous run runs (src/queue/scheduler.ts):
 * no poll queued behind a long one (nor behind a run whose worker died: that one is re-run); cron and
 * manual ticks still queue one run behind it.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseSchedule } from '../../src/config/duration.js';
import type { Schedule } from '../../src/config/duration.js';
import { Scheduler, scheduleKey } from '../../src/queue/index.js';
import type { Job, Queue } from '../../src/queue/index.js';
import { testStoreKinds } from '../helpers/db.js';
import { useQueueStore } from '../helpers/queue-store.js';

const T0 = 1_800_000_000_000;
const LEASE = 20_000;
const schedule = (text: string): Schedule => {
  const s = parseSchedule(text);
  if (!s) throw new Error(`bad schedule ${text}`);
  return s;
};

describe.each(testStoreKinds())('scheduler ticks while a run runs, on %s', (kind) => {
  let queue: Queue;
  let now = T0;

  const ctx = useQueueStore(kind, { now: () => now });
  beforeAll(() => ({ queue } = ctx));
  beforeEach(() => {
    now = T0;
  });

  const claimRun = async (): Promise<Job> => {
    const jobs = await queue.claim('node-a', { limit: 5, leaseMs: LEASE });
    expect(jobs).toHaveLength(1);
    return jobs[0] as Job;
  };
  const queued = async (name: string) => (await queue.list({ key: scheduleKey(name), state: 'queued' })).map((j) => j.id);

  it('an interval tick is skipped while the previous run runs, and starts the next run once it is done', async () => {
    const scheduler = new Scheduler(queue);
    scheduler.add('flow:order', schedule('3s'), { kind: 'flow.run', payload: { entity: 'order' } });
    const first = await scheduler.tick('flow:order', T0);
    expect(first).toBeDefined();
    const running = await claimRun();
    for (let i = 1; i <= 10; i++) {
      now = T0 + i * 3_000; // the run takes 30 s, its worker renews the lease
      await queue.heartbeat([running.id], 'node-a', LEASE);
      expect(await scheduler.tick('flow:order', now)).toBeUndefined();
    }
    expect(await queued('flow:order')).toEqual([]); // nothing waits behind it
    await queue.complete(running);
    const next = await scheduler.tick('flow:order', now + 3_000);
    expect(next).toBeDefined();
    expect(await queued('flow:order')).toEqual([next]);
  });

  it('a run whose worker died is the next run: ticks queue nothing behind it, it is re-run, then ticks start runs again', async () => {
    const scheduler = new Scheduler(queue);
    scheduler.add('flow:stock', schedule('3s'), { kind: 'flow.run', payload: { entity: 'stock' } });
    const first = await scheduler.tick('flow:stock', T0);
    await claimRun(); // node-a dies with it
    now = T0 + LEASE + 1; // its lease ran out (or the reaper ended it): the next claim re-runs it
    expect(await scheduler.tick('flow:stock', now)).toBeUndefined();
    expect(await queued('flow:stock')).toEqual([]);
    const rerun = (await queue.claim('node-b', { limit: 5, leaseMs: LEASE }))[0] as Job;
    expect(rerun).toMatchObject({ id: first, attempts: 2 });
    expect(await scheduler.tick('flow:stock', now + 3_000)).toBeUndefined();
    await queue.complete(rerun);
    const next = await scheduler.tick('flow:stock', now + 6_000);
    expect(next).toBeDefined();
    expect(await queued('flow:stock')).toEqual([next]);
  });

  it('cron ticks and manual ticks still queue one run behind the running one', async () => {
    const scheduler = new Scheduler(queue);
    scheduler.add('flow:product', schedule('0 * * * *'), { kind: 'flow.run', payload: { entity: 'product' } });
    scheduler.add('flow:order', schedule('3s'), { kind: 'flow.run', payload: { entity: 'order' } });
    await scheduler.tick('flow:product', T0);
    await claimRun();
    const behind = await scheduler.tick('flow:product', T0 + 3_600_000 - LEASE / 2);
    expect(await queued('flow:product')).toEqual([behind]);
    await scheduler.tick('flow:order', T0);
    const orderRun = (await queue.claim('node-b', { limit: 5, leaseMs: LEASE })).find((j) => j.key === scheduleKey('flow:order'));
    expect(orderRun).toBeDefined();
    const manual = await scheduler.tick('flow:order'); // a person asked: after the running one
    expect(manual).toBeDefined();
    expect(await queued('flow:order')).toEqual([manual]);
  });
});
