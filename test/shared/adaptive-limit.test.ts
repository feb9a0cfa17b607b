/**
 * The adaptive concurrency limit (shared/adaptive-limit.ts) on a driven clock: it grows while answers
 * come as fast as usual and the limit is used, shrinks when they slow down, halves once per burst of
 * overload answers, stays within [min, max], hands out slots in arrival order and never more than the
 * limit, and holds requests back for a Retry-After (a long one fails them as rate limited at once).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AdaptiveLimit, outcomeOfStatus, type Permit } from '../../src/shared/adaptive-limit.js';
import { concurrencyLimit } from '../../src/shared/http.js';
import { SyncError } from '../../src/shared/errors.js';

let clock = 0;
const now = () => clock;

beforeEach(() => {
  clock = 0;
});
afterEach(() => {
  vi.useRealTimers();
});

/** One round: fill the limit, let `rttMs` pass, release every permit with `outcome`. Returns how many ran. */
async function round(l: AdaptiveLimit, rttMs: number, outcome: 'ok' | 'overload' = 'ok', n = l.limit): Promise<number> {
  // a limit past its bounds would make the round hang (0) or run away (huge): fail at once instead
  if (l.limit < l.min || l.limit > l.max) throw new Error(`limit ${l.limit} outside [${l.min}, ${l.max}]`);
  const permits: Permit[] = [];
  for (let i = 0; i < n; i++) permits.push(await l.acquire());
  clock += rttMs;
  for (const p of permits) p.release(outcome);
  return permits.length;
}

describe('AdaptiveLimit', () => {
  it('grows while the latency holds and the limit is used, up to max and never above it', async () => {
    const l = new AdaptiveLimit({ system: 'erp', min: 2, max: 40, initial: 8, now });
    const seen: number[] = [];
    for (let i = 0; i < 30; i++) {
      await round(l, 16);
      seen.push(l.limit);
    }
    expect(seen[4]).toBeGreaterThan(8);
    expect(Math.max(...seen)).toBe(40);
    expect(seen.every((v) => v <= 40)).toBe(true);
    expect(seen.at(-1)).toBe(40);
  });

  it('does not grow when the callers use less than half of it', async () => {
    const l = new AdaptiveLimit({ system: 'erp', min: 2, max: 64, initial: 16, now });
    for (let i = 0; i < 100; i++) await round(l, 16, 'ok', 3);
    expect(l.limit).toBe(16);
  });

  it('shrinks when answers get much slower than usual, never below min', async () => {
    const l = new AdaptiveLimit({ system: 'erp', min: 4, max: 64, initial: 32, now });
    for (let i = 0; i < 3; i++) await round(l, 16);
    const before = l.limit;
    for (let i = 0; i < 5; i++) await round(l, 200);
    expect(l.limit).toBeLessThan(before);
    for (let i = 0; i < 20; i++) await round(l, 200);
    expect(l.limit).toBe(4);
  });

  it('halves on overload, once per burst: answers to requests sent before the decrease do not halve it again', async () => {
    const l = new AdaptiveLimit({ system: 'erp', min: 2, max: 64, initial: 32, now });
    const permits: Permit[] = [];
    for (let i = 0; i < 32; i++) permits.push(await l.acquire());
    clock += 10;
    for (const p of permits) p.release('overload'); // 32 answers of 429 to requests sent together
    expect(l.limit).toBe(16);
    await round(l, 10, 'overload', 1); // a request sent after the decrease
    expect(l.limit).toBe(8);
    for (let i = 0; i < 10; i++) await round(l, 10, 'overload', 1);
    expect(l.limit).toBe(2);
  });

  it('a fixed setting stays where it is; 429 and 5xx are overload, other statuses are answers', async () => {
    const fixed = concurrencyLimit('shop', 6);
    for (let i = 0; i < 30; i++) await round(fixed, 16);
    await round(fixed, 16, 'overload');
    expect(fixed.limit).toBe(6);
    expect(concurrencyLimit('shop', undefined)).toMatchObject({ min: 2, max: 32, limit: 8 });
    expect(concurrencyLimit('shop', { max: 4 })).toMatchObject({ min: 2, max: 4, limit: 4 });
    expect([200, 404, 422, 429, 500, 502, 503].map(outcomeOfStatus)).toEqual(['ok', 'ok', 'ok', 'overload', 'overload', 'overload', 'overload']);
  });

  it('never more in flight than the limit; waiting requests get their slot in arrival order', async () => {
    const l = new AdaptiveLimit({ system: 'erp', min: 3, max: 3, now });
    const order: number[] = [];
    const held: Permit[] = [];
    const all = Array.from({ length: 7 }, (_, i) => l.acquire().then((p) => (order.push(i), held.push(p), p)));
    await Promise.resolve();
    await Promise.resolve();
    expect(l.inFlight).toBe(3);
    expect(l.waiting).toBe(4);
    while (order.length < 7) {
      held.shift()!.release('ok');
      await new Promise((r) => setImmediate(r));
      expect(l.inFlight).toBeLessThanOrEqual(3);
    }
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('waits out a Retry-After; a long one fails the next requests as rate limited, with the wait', async () => {
    vi.useFakeTimers();
    const l = new AdaptiveLimit({ system: 'erp', min: 2, max: 8, initial: 8, now, maxPauseWaitMs: 5_000 });
    (await l.acquire()).release('overload', { retryAfterMs: 1_000 });
    let got = false;
    const next = l.acquire().then((p) => {
      got = true;
      return p;
    });
    // the timer fires while the clock still says 1 ms to go (timers may run early): it must wait again, not give up
    clock += 999;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(got).toBe(false);
    clock += 2;
    await vi.advanceTimersByTimeAsync(2);
    expect(got).toBe(true);
    (await next).release('overload', { retryAfterMs: 60_000 });
    const refused = await l.acquire().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SyncError);
    expect(refused).toMatchObject({ kind: 'rate_limited', retryable: true });
    expect((refused as SyncError).retryAfterMs).toBeGreaterThan(59_000);
  });
});
