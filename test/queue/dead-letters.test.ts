/**
 * One dead letter per record (entity + side + id): repeated failures of a record — jobs dying, records
 * buried by a batch, a replay failing again, two processes at once — update ONE dead letter with a count
 * and the time of the last failure. On SQLite and PostgreSQL.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Job, NewJob, Queue } from '../../src/queue/index.js';
import { SyncError } from '../../src/shared/errors.js';
import { testStoreKinds } from '../helpers/db.js';
import { useQueueStore } from '../helpers/queue-store.js';

const T0 = 1_800_000_000_000;
const LEASE = 60_000;
const bad = (n: number) => new SyncError('not_found', `order 404 does not exist in the shop (#${n})`);
const orderJob = (reason: string): NewJob => ({ kind: 'order.sync', key: 'order:404', payload: { shopId: '404', reason }, recordKey: 'order:shop:404', maxAttempts: 1 });

describe.each(testStoreKinds())('dead letters on %s', (kind) => {
  let queue: Queue;
  let now = T0;

  const ctx = useQueueStore(kind, { now: () => now });
  beforeAll(() => ({ queue } = ctx));
  beforeEach(() => {
    now = T0;
  });

  const runAndFail = async (job: NewJob, n: number, worker = 'w1'): Promise<void> => {
    await queue.enqueue(job);
    const [claimed] = await queue.claim(worker, { limit: 1, leaseMs: LEASE });
    expect(await queue.fail(claimed as Job, bad(n))).toBe('dead');
  };
  const dead = () => queue.list({ state: 'dead' });

  it('deliveries about one bad record: one dead letter counting every failure, newest error and payload', async () => {
    for (let n = 1; n <= 5; n++) {
      now = T0 + n * 1000;
      await runAndFail(orderJob(`webhook:${n}`), n);
    }
    const letters = await dead();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ recordKey: 'order:shop:404', failures: 5, lastFailedAt: T0 + 5000, payload: { reason: 'webhook:5' } });
    expect(letters[0]!.lastError?.message).toMatch(/#5/);
    expect(await queue.counts()).toEqual({ queued: 0, running: 0, done: 0, dead: 1 });
  });

  it('another record is another dead letter; a job without a record key is its own', async () => {
    await runAndFail(orderJob('a'), 1);
    await runAndFail({ ...orderJob('b'), key: 'order:405', recordKey: 'order:shop:405', payload: { shopId: '405' } }, 2);
    await runAndFail({ kind: 'flow.run', payload: {}, maxAttempts: 1 }, 3);
    await runAndFail({ kind: 'flow.run', payload: {}, maxAttempts: 1 }, 4);
    expect((await dead()).map((j) => [j.recordKey, j.failures])).toEqual([['order:shop:404', 1], ['order:shop:405', 1], [null, 1], [null, 1]]);
  });

  it('a buried record and a dying job of the same record share the dead letter', async () => {
    const rec: NewJob = { kind: 'record.sync', key: 'product:shop:7', payload: { ids: ['7'] }, recordKey: 'product:shop:7', maxAttempts: 1 };
    const first = await queue.bury(rec, bad(1));
    now += 1000;
    expect(await queue.bury(rec, bad(2))).toBe(first);
    now += 1000;
    await runAndFail({ ...rec, key: 'sync:product' }, 3);
    const letters = await dead();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ id: first, failures: 3, lastFailedAt: T0 + 2000 });
  });

  it('a replayed dead letter that fails again is the same dead letter, one failure more', async () => {
    await runAndFail(orderJob('first'), 1);
    const [letter] = await dead();
    await queue.replay(letter!.id);
    now += 5000;
    const [claimed] = await queue.claim('w1', { limit: 1, leaseMs: LEASE });
    expect(claimed!.id).toBe(letter!.id);
    expect(await queue.fail(claimed!, bad(2))).toBe('dead');
    expect(await dead()).toEqual([expect.objectContaining({ id: letter!.id, failures: 2, lastFailedAt: T0 + 5000 })]);
  });

  it('two workers failing jobs of one record at the same moment leave one dead letter', async () => {
    for (let round = 0; round < 5; round++) {
      await queue.enqueue({ ...orderJob(`x${round}`), key: `a${round}` });
      await queue.enqueue({ ...orderJob(`y${round}`), key: `b${round}` });
      const jobs = await queue.claim(`w${round}`, { limit: 2, leaseMs: LEASE });
      expect(jobs).toHaveLength(2);
      expect(await Promise.all(jobs.map((j, i) => queue.fail(j, bad(i))))).toEqual(['dead', 'dead']);
    }
    const letters = await dead();
    expect(letters).toHaveLength(1);
    expect(letters[0]!.failures).toBe(10);
  });
});
