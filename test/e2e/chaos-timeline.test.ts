/**
 * The chaos suite's drain analysis (bench/chaos/timeline.ts) on planted job histories: the time after
 * the last kill is split into backoff / due / running / dead lease, retries are counted by error with
 * their gaps, and a release (breaker deferral) is not a retry.
 */
import { describe, expect, it } from 'vitest';
import { analyzeDrain, describeKey, record, type Histories, type JobSample } from '../../bench/chaos/timeline.js';

const row = (id: number, state: string, attempts: number, runAt: number, lockedBy: string | null, lastError: string | null = null): JobSample => ({
  id,
  kind: 'order.sync',
  key: `order:${id}`,
  state,
  attempts,
  run_at: runAt,
  locked_by: lockedBy,
  last_error: lastError,
});

const timeout = JSON.stringify({ kind: 'unavailable', code: 'timeout', system: 'odoo' });

describe('chaos drain timeline', () => {
  it('splits the time after the last kill by what each job waited for', () => {
    const h: Histories = new Map();
    // job 1: running on the killed worker (pid 111) from before the kill until reaped at 15 s, re-run, done at 17 s
    record(h, [row(1, 'running', 1, 0, 'host:111:a')], -5_000);
    record(h, [row(1, 'running', 2, 0, 'host:222:b')], 15_000);
    record(h, [row(1, 'done', 2, 0, null)], 17_000);
    // job 2: fails at 1 s (timeout), backs off until 9 s, waits for a worker until 10 s, runs, done at 11 s
    record(h, [row(2, 'running', 1, 0, 'host:222:b')], 0);
    record(h, [row(2, 'queued', 1, 9_000, null, timeout)], 1_000);
    record(h, [row(2, 'running', 2, 9_000, 'host:222:b', timeout)], 10_000);
    record(h, [row(2, 'done', 2, 9_000, null, timeout)], 11_000);
    // job 3: released (a deferral: the attempt is given back) at 2 s, claimed again at 3 s, done at 4 s
    record(h, [row(3, 'running', 1, 0, 'host:222:b')], 0);
    record(h, [row(3, 'queued', 0, 0, null)], 2_000);
    record(h, [row(3, 'running', 1, 0, 'host:333:c')], 3_000);
    record(h, [row(3, 'done', 1, 0, null)], 4_000);
    // job 4: done before the kill: not part of the drain
    record(h, [row(4, 'running', 1, 0, 'host:222:b')], -3_000);
    record(h, [row(4, 'done', 1, 0, null)], -1_000);
    // the same sample again changes nothing
    record(h, [row(4, 'done', 1, 0, null)], 5_000);
    expect(h.get(4)!.events).toHaveLength(2);

    const dead = (lockedBy: string, t: number) => lockedBy.split(':')[1] === '111' && t >= -1_000;
    const a = analyzeDrain(h, 0, 20_000, dead);
    expect(a.kinds).toEqual([
      {
        kind: 'order.sync',
        open: 3,
        lastDoneMs: 17_000,
        attemptsAfter: 3,
        waited: { deadLease: 15_000, running: 2_000 + 1_000 + 1_000 + 2_000 + 1_000, backoff: 8_000, due: 1_000 + 1_000 },
      },
    ]);
    expect(a.retries.byError).toEqual({ 'unavailable/timeout/odoo': 1 });
    expect(a.retries.gapsMs).toEqual({ p50: 8_000, max: 8_000, over10s: 0 });
    expect(a.releases).toBe(1);
    expect(describeKey(h, 'order:2', 0)).toEqual([
      'job 2 order.sync: 0.0s running#1 on 222 → 1.0s queued#1 until 9.0 (unavailable/timeout/odoo) → 10.0s running#2 on 222 → 11.0s done#2',
    ]);
  });

  it('tells the due time spent behind an older job of the key from the due time spent waiting for a worker', () => {
    const h: Histories = new Map();
    const keyed = (id: number, state: string, lockedBy: string | null): JobSample => ({ ...row(id, state, 1, 0, lockedBy), key: 'order:9' });
    // job 6 runs 0–4 s; job 7 (same key) is queued and due from 0 s, runs at 6 s: 4 s behind its key, 2 s waiting for a worker
    record(h, [keyed(6, 'running', 'host:222:b'), { ...keyed(7, 'queued', null), attempts: 0 }], 0);
    record(h, [keyed(6, 'done', null)], 4_000);
    record(h, [keyed(7, 'running', 'host:222:b')], 6_000);
    record(h, [keyed(7, 'done', null)], 7_000);
    // job 8, another key, queued 0–3 s: all of it waits for a worker
    record(h, [{ ...row(8, 'queued', 0, 0, null), key: 'order:10' }], 0);
    record(h, [{ ...row(8, 'running', 1, 0, 'host:222:b'), key: 'order:10' }], 3_000);
    record(h, [{ ...row(8, 'done', 1, 0, null), key: 'order:10' }], 4_000);
    const a = analyzeDrain(h, 0, 10_000, () => false);
    expect(a.kinds[0]?.waited.due).toBe(6_000 + 3_000);
    expect(a.dueBehindKey).toEqual({ 'order.sync': 4_000 });
  });

  it('a job not finished while tracked has no last-done time', () => {
    const h: Histories = new Map();
    record(h, [row(5, 'queued', 0, 0, null)], 1_000);
    const a = analyzeDrain(h, 0, 4_000, () => false);
    expect(a.kinds[0]).toMatchObject({ open: 1, lastDoneMs: null, waited: { due: 3_000, backoff: 0, running: 0, deadLease: 0 } });
  });
});
