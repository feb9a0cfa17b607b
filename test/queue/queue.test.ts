/** The queue on SQLite and PostgreSQL, with a clock the tests move. */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { retryDelayMs } from '../../src/queue/index.js';
import type { Job, Queue } from '../../src/queue/index.js';
import type { Store } from '../../src/store/index.js';
import { SyncError } from '../../src/shared/errors.js';
import { testStoreKinds } from '../helpers/db.js';
import { useQueueStore } from '../helpers/queue-store.js';

const T0 = 1_800_000_000_000;
const LEASE = 60_000;

describe.each(testStoreKinds())('queue on %s', (kind) => {
  let store: Store;
  let queue: Queue;
  let now = T0;

  const ctx = useQueueStore(kind, { now: () => now });
  beforeAll(() => ({ store, queue } = ctx));
  beforeEach(() => {
    now = T0;
  });

  const claimIds = async (limit = 10, worker = 'w1') => (await queue.claim(worker, { limit, leaseMs: LEASE })).map((j) => j.id);
  const claimOne = async (worker = 'w1'): Promise<Job> => {
    const [job] = await queue.claim(worker, { limit: 1, leaseMs: LEASE });
    if (!job) throw new Error('nothing claimed');
    return job;
  };

  it('enqueues and claims with the claim recorded on the job', async () => {
    const id = await queue.enqueue({ kind: 'a', payload: { x: [1, 'two', null] } });
    const [job] = await queue.claim('w1', { limit: 5, leaseMs: LEASE });
    expect(job).toMatchObject({ id, kind: 'a', key: null, payload: { x: [1, 'two', null] }, state: 'running', attempts: 1, lockedBy: 'w1', lockedUntil: T0 + LEASE, maxAttempts: 8, runAt: T0 });
    expect(await claimIds()).toEqual([]);
    expect(await queue.complete(job!)).toBe(true);
    expect((await queue.get(id))?.state).toBe('done');
    expect(await queue.counts()).toEqual({ queued: 0, running: 0, done: 1, dead: 0 });
  });

  it('claims by priority, then run_at, then id; not before run_at; only the kinds asked for', async () => {
    const low = await queue.enqueue({ kind: 'a', payload: 1 });
    const high = await queue.enqueue({ kind: 'a', payload: 2, priority: 5 });
    const later = await queue.enqueue({ kind: 'a', payload: 3, runAt: T0 + 1000 });
    const other = await queue.enqueue({ kind: 'b', payload: 4 });
    expect(await queue.claim('w', { limit: 10, leaseMs: LEASE, kinds: ['a'] }).then((js) => js.map((j) => j.id))).toEqual([high, low]);
    now = T0 + 1000;
    expect(await claimIds()).toEqual([other, later]); // run_at before id
  });

  it('runs jobs of one key one at a time, in order', async () => {
    const k1 = await queue.enqueueMany([
      { kind: 'a', key: 'k', payload: 1 },
      { kind: 'a', key: 'k', payload: 2, priority: 9 },
      { kind: 'a', key: 'k', payload: 3 },
    ]);
    const free = await queue.enqueue({ kind: 'a', payload: 'free' });
    const first = await queue.claim('w1', { limit: 10, leaseMs: LEASE });
    expect(first.map((j) => j.id).sort()).toEqual([k1[0], free].sort());
    expect(await claimIds(10, 'w2')).toEqual([]); // k1[1] waits although its priority is higher
    await queue.complete(first.find((j) => j.id === k1[0])!);
    expect(await claimIds(10, 'w2')).toEqual([k1[1]]);
  });

  it('a retrying head job holds back its key; a dead one does not', async () => {
    const [a, b, c] = await queue.enqueueMany([0, 1, 2].map((i) => ({ kind: 'a', key: 'k', payload: i, backoff: { initialMs: 1000, maxMs: 1000, factor: 1 } })));
    const jobA = await claimOne();
    expect(await queue.fail(jobA, new SyncError('network', 'reset'))).toBe('retry');
    expect(await claimIds()).toEqual([]); // a is not due yet, b and c wait behind it
    now += 1000;
    const again = await claimOne();
    expect(again).toMatchObject({ id: a, attempts: 2 });
    expect(await queue.fail(again, new SyncError('invalid_data', 'bad SKU'))).toBe('dead');
    expect(await claimIds()).toEqual([b]);
    expect(await claimIds()).toEqual([]);
    expect(c).toBeDefined();
  });

  it('reclaims a job whose lease expired; the first claim can then neither complete nor fail it', async () => {
    const id = await queue.enqueue({ kind: 'a', key: 'k', payload: null });
    const behind = await queue.enqueue({ kind: 'a', key: 'k', payload: null });
    const first = await claimOne('w1');
    now += LEASE - 1;
    expect(await claimIds(10, 'w2')).toEqual([]);
    expect(await queue.heartbeat([id], 'w2', LEASE)).toEqual([]); // not w2's job
    expect(await queue.heartbeat([id], 'w1', LEASE)).toEqual([id]);
    now += LEASE; // within the renewed lease
    expect(await claimIds(10, 'w2')).toEqual([]);
    now += 2;
    const second = await claimOne('w2');
    expect(second).toMatchObject({ id, attempts: 2, lockedBy: 'w2' });
    expect(await queue.complete(first)).toBe(false);
    expect(await queue.fail(first, new SyncError('network', 'x'))).toBe('lost');
    await queue.release(first);
    expect(await queue.get(id)).toMatchObject({ state: 'running', lockedBy: 'w2', attempts: 2 });
    expect(await claimIds(10, 'w3')).toEqual([]); // behind still waits for the running head
    expect(await queue.complete(second)).toBe(true);
    expect(await claimIds(10, 'w3')).toEqual([behind]);
  });

  it('completeMany completes claimed jobs in one call, leaving out the ones whose claim was lost', async () => {
    const ids = await queue.enqueueMany([1, 2, 3].map((n) => ({ kind: 'a', payload: n })));
    const old = await queue.claim('w1', { limit: 3, leaseMs: LEASE });
    now += LEASE + 1;
    const [stolen] = await queue.claim('w2', { limit: 1, leaseMs: LEASE }); // the lease of ids[0] expired: w2 has it now
    expect(stolen?.id).toBe(ids[0]);
    expect((await queue.completeMany(old)).sort()).toEqual([ids[1], ids[2]].sort());
    expect((await queue.list({ state: 'done' })).map((j) => j.id).sort()).toEqual([ids[1], ids[2]].sort());
    expect(await queue.get(ids[0]!)).toMatchObject({ state: 'running', lockedBy: 'w2' });
    expect(await queue.completeMany([stolen!])).toEqual([ids[0]]);
    expect(await queue.completeMany([])).toEqual([]);
  });

  it('backs off exponentially with jitter, honours retryAfterMs, and goes dead after maxAttempts keeping payload and error', async () => {
    const backoff = { initialMs: 1000, maxMs: 5000, factor: 2 };
    const id = await queue.enqueue({ kind: 'a', payload: { order: 'SO42' }, maxAttempts: 4, backoff });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const job = await claimOne();
      expect(job.attempts).toBe(attempt);
      expect(await queue.fail(job, new SyncError('unavailable', `down ${attempt}`))).toBe('retry');
      const stored = (await queue.get(id))!;
      delays.push(stored.runAt - now);
      expect(stored).toMatchObject({ state: 'queued', lockedBy: null, lastError: { kind: 'unavailable', message: `down ${attempt}` } });
      now = stored.runAt;
    }
    // equal jitter: between half and all of min(maxMs, initialMs * factor^(attempt-1))
    expect(delays[0]).toBeGreaterThanOrEqual(500);
    expect(delays[0]).toBeLessThanOrEqual(1000);
    expect(delays[1]).toBeGreaterThanOrEqual(1000);
    expect(delays[1]).toBeLessThanOrEqual(2000);
    expect(delays[2]).toBeGreaterThanOrEqual(2000);
    expect(delays[2]).toBeLessThanOrEqual(4000);
    const last = await claimOne();
    expect(await queue.fail(last, new SyncError('unavailable', 'still down', { retryAfterMs: 30_000 }))).toBe('dead');
    expect(await queue.get(id)).toMatchObject({ state: 'dead', attempts: 4, payload: { order: 'SO42' }, lastError: { kind: 'unavailable', message: 'still down', retryAfterMs: 30_000 } });
  });

  it('a throttled job (rate_limited) gets three times its attempts before it goes dead; other errors do not', async () => {
    const id = await queue.enqueue({ kind: 'a', payload: { order: 'SO43' }, maxAttempts: 2 });
    for (let attempt = 1; attempt <= 5; attempt++) {
      const job = await claimOne();
      expect(job.attempts).toBe(attempt);
      expect(await queue.fail(job, new SyncError('rate_limited', '429', { retryAfterMs: 1_000 }))).toBe('retry');
      now = (await queue.get(id))!.runAt;
    }
    expect(await queue.fail(await claimOne(), new SyncError('rate_limited', '429', { retryAfterMs: 1_000 }))).toBe('dead');
    expect(await queue.get(id)).toMatchObject({ state: 'dead', attempts: 6, lastError: { kind: 'rate_limited' } });
    const other = await queue.enqueue({ kind: 'a', payload: { order: 'SO44' }, maxAttempts: 2 });
    expect(await queue.fail(await claimOne(), new SyncError('rate_limited', '429', { retryAfterMs: 1_000 }))).toBe('retry');
    now = (await queue.get(other))!.runAt;
    expect(await queue.fail(await claimOne(), new SyncError('network', 'reset'))).toBe('dead');
  });

  it('retryAfterMs wins over the backoff; a permanent error is dead at once', async () => {
    const id = await queue.enqueue({ kind: 'a', payload: 1 });
    expect(await queue.fail(await claimOne(), new SyncError('rate_limited', '429', { retryAfterMs: 12_345 }))).toBe('retry');
    expect((await queue.get(id))!.runAt).toBe(T0 + 12_345);
    now += 12_345;
    expect(await queue.fail(await claimOne(), new SyncError('permission', 'no access to account.move', { system: 'odoo' }))).toBe('dead');
    expect(await queue.get(id)).toMatchObject({ state: 'dead', attempts: 2, lastError: { kind: 'permission', system: 'odoo', retryable: false } });
  });

  it('replays a dead job with attempts reset, optionally with an edited payload; refuses other states', async () => {
    const id = await queue.enqueue({ kind: 'a', payload: { sku: 'bad' }, maxAttempts: 1 });
    expect(await queue.fail(await claimOne(), new SyncError('network', 'x'))).toBe('dead');
    await queue.replay(id, { payload: { sku: 'good' } });
    expect(await queue.get(id)).toMatchObject({ state: 'queued', attempts: 0, payload: { sku: 'good' } });
    await expect(queue.replay(id)).rejects.toMatchObject({ kind: 'invalid_data', message: `job ${id} is queued: only dead jobs can be replayed` });
    await expect(queue.replay('999999')).rejects.toMatchObject({ kind: 'not_found' });
    const job = await claimOne();
    expect(job).toMatchObject({ id, attempts: 1, payload: { sku: 'good' } });
    await expect(queue.discard(id)).rejects.toMatchObject({ kind: 'invalid_data' });
    await queue.complete(job);
    await queue.discard(id);
    expect(await queue.get(id)).toBeUndefined();
  });

  it('release gives the attempt back and makes the job claimable again', async () => {
    const id = await queue.enqueue({ kind: 'a', payload: 1 });
    await queue.release(await claimOne());
    expect(await queue.get(id)).toMatchObject({ state: 'queued', attempts: 0, lockedBy: null });
    expect(await claimIds()).toEqual([id]);
  });

  it('dedupes on kind+key among queued jobs only', async () => {
    const a = await queue.enqueue({ kind: 'tick', key: 'schedule:x', payload: 1, dedupe: true });
    expect(await queue.enqueue({ kind: 'tick', key: 'schedule:x', payload: 2, dedupe: true })).toBe(a);
    const otherKind = await queue.enqueue({ kind: 'tock', key: 'schedule:x', payload: 3, dedupe: true });
    expect(otherKind).not.toBe(a);
    const running = await claimOne();
    expect(running.id).toBe(a);
    const next = await queue.enqueue({ kind: 'tick', key: 'schedule:x', payload: 4, dedupe: true });
    expect(next).not.toBe(a);
    expect(await queue.enqueue({ kind: 'tick', key: 'schedule:x', payload: 5, dedupe: true })).toBe(next);
    // the running one fails and is queued again: no unique clash, and dedupe still finds one queued job
    expect(await queue.fail(running, new SyncError('network', 'x'))).toBe('retry');
    expect([a, next]).toContain(await queue.enqueue({ kind: 'tick', key: 'schedule:x', payload: 6, dedupe: true }));
    expect((await queue.list({ kind: 'tick' })).map((j) => j.payload)).toEqual([1, 4]);
    await expect(queue.enqueue({ kind: 'tick', payload: 1, dedupe: true })).rejects.toMatchObject({ kind: 'invalid_data' });
  });

  it('dedupe holds under concurrent enqueues', async () => {
    const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => queue.enqueue({ kind: 'tick', key: 'k', payload: i, dedupe: true })));
    expect(new Set(ids).size).toBe(1);
    expect(await queue.counts()).toMatchObject({ queued: 1 });
  });

  it('enqueueMany returns ids in input order across chunks, mixing dedupe jobs', async () => {
    const jobs = Array.from({ length: 1203 }, (_, i) => ({ kind: 'a', payload: { i }, ...(i % 400 === 0 && { key: 'd', dedupe: true }) }));
    const ids = await queue.enqueueMany(jobs);
    expect(ids).toHaveLength(1203);
    const dedupeIds = new Set(ids.filter((_, i) => i % 400 === 0));
    expect(dedupeIds.size).toBe(1);
    for (const i of [1, 2, 399, 401, 800 + 1, 1202]) expect((await queue.get(ids[i]!))?.payload).toEqual({ i });
    expect((await queue.counts()).queued).toBe(1203 - 3);
  });

  it('bury stores a dead job with its error, ready for replay', async () => {
    const id = await queue.bury({ kind: 'record.sync', key: 'product:shop:7', payload: { ids: ['7'] }, maxAttempts: 1 }, new SyncError('invalid_data', 'SKU missing', { entity: 'product', record: '7' }));
    expect(await queue.get(id)).toMatchObject({ state: 'dead', attempts: 0, lastError: { kind: 'invalid_data', message: 'SKU missing', record: '7' } });
    expect((await queue.list({ state: 'dead' })).map((j) => j.id)).toEqual([id]);
    await queue.replay(id);
    expect(await claimIds()).toEqual([id]);
  });

  it('lists by state, kind and key with paging; prunes old done jobs', async () => {
    const ids = await queue.enqueueMany(Array.from({ length: 5 }, (_, i) => ({ kind: i % 2 ? 'odd' : 'even', key: `k${i}`, payload: i })));
    expect((await queue.list({ kind: 'even' })).map((j) => j.id)).toEqual([ids[0], ids[2], ids[4]]);
    expect((await queue.list({ key: 'k3' })).map((j) => j.id)).toEqual([ids[3]]);
    expect((await queue.list({ state: 'queued', limit: 2, offset: 1 })).map((j) => j.id)).toEqual([ids[1], ids[2]]);
    for (const job of await queue.claim('w', { limit: 2, leaseMs: LEASE })) await queue.complete(job);
    now += 10;
    expect(await queue.prune(T0 + 5)).toBe(2);
    expect(await queue.counts()).toEqual({ queued: 3, running: 0, done: 0, dead: 0 });
  });

  it('concurrent claims never hand out a job twice', async () => {
    await queue.enqueueMany(Array.from({ length: 200 }, (_, i) => ({ kind: 'a', payload: i, ...(i % 4 === 0 && { key: `k${i % 8}` }) })));
    const seen: string[] = [];
    for (let round = 0; round < 30; round++) {
      const batches = await Promise.all(Array.from({ length: 6 }, (_, w) => queue.claim(`w${w}`, { limit: 7, leaseMs: LEASE })));
      const jobs = batches.flat();
      if (jobs.length === 0) break;
      seen.push(...jobs.map((j) => j.id));
      const keys = jobs.filter((j) => j.key).map((j) => j.key);
      expect(new Set(keys).size).toBe(keys.length); // never two running jobs of one key
      for (const job of jobs) await queue.complete(job);
    }
    expect(seen).toHaveLength(200);
    expect(new Set(seen).size).toBe(200);
  });

  it('stores epoch-ms times as numbers on both dialects', async () => {
    const id = await queue.enqueue({ kind: 'a', payload: null, runAt: 253_402_300_799_000 });
    const row = await sql<{ run_at: unknown; id: unknown }>`select run_at, id from jobs where id = ${Number(id)}`.execute(store.db);
    expect(row.rows[0]).toEqual({ run_at: 253_402_300_799_000, id: Number(id) });
  });
});

describe('retryDelayMs', () => {
  it('caps the exponential delay at maxMs and keeps at least half of it', () => {
    const backoff = { initialMs: 100, maxMs: 1000, factor: 10 };
    for (let i = 0; i < 50; i++) {
      const d = retryDelayMs(5, backoff);
      expect(d).toBeGreaterThanOrEqual(500);
      expect(d).toBeLessThanOrEqual(1000);
    }
    const spread = new Set(Array.from({ length: 50 }, () => retryDelayMs(1, { initialMs: 10_000, maxMs: 10_000, factor: 2 })));
    expect(spread.size).toBeGreaterThan(1); // jittered
    expect(retryDelayMs(3, backoff, 250)).toBe(250);
    expect(retryDelayMs(1, { initialMs: 0, maxMs: 0, factor: 2 })).toBe(0);
  });
});
