import { describe, expect, it } from 'vitest';
import { AdaptiveWriteSize } from '../../../src/engine/records/adaptive-write-size.js';
import { writeBatches } from '../../../src/engine/records/write-batches.js';
import type { WriteOp, WriteResult } from '../../../src/connectors/contract.js';
import { SyncError } from '../../../src/shared/errors.js';

/** A target like Odoo: a fixed cost per write and a cost per record (ms). */
const odooLike = (n: number) => 600 + 3.5 * n;

function sizer(over: Partial<ConstructorParameters<typeof AdaptiveWriteSize>[0]> = {}) {
  return new AdaptiveWriteSize({ system: 'erp', min: 100, max: 5_000, initial: 500, ...over });
}

/** Writes of the current size, timed by `cost`, `n` times; the sizes used, in order. */
function drive(s: AdaptiveWriteSize, cost: (n: number) => number, n: number): number[] {
  const sizes: number[] = [];
  for (let i = 0; i < n; i++) {
    sizes.push(s.size);
    s.observe(s.size, cost(s.size));
  }
  return sizes;
}

describe('AdaptiveWriteSize', () => {
  it.each([
    // [what, cost of a write of n records (ms), budget, sizes of the first writes]
    ['grows by doubling while the time per record holds, up to max', odooLike, 60_000, [500, 1_000, 2_000, 4_000, 5_000, 5_000]],
    ['stops where the next size would not fit the budget (75 % of 10 s)', odooLike, 10_000, [500, 1_000, 1_829, 1_829, 1_829]],
    ['holds at the start when even the start is slow per record and near the budget', (n: number) => 14 * n, 10_000, [500, 500, 500, 500]],
  ] as const)('%s', (_what, cost, budgetMs, expected) => {
    const s = sizer({ budgetMs });
    expect(drive(s, cost, expected.length)).toEqual(expected);
  });

  it('goes back to the size before when the bigger one is slower per record, and holds there', () => {
    // fast per record up to 1,000, then 3× slower per record (a server that swaps on big transactions)
    const cost = (n: number) => (n <= 1_000 ? 500 + 2 * n : 10 * n);
    const s = sizer({ budgetMs: 60_000, holdWrites: 5 });
    expect(drive(s, cost, 4)).toEqual([500, 1_000, 2_000, 1_000]);
    // held at 1,000 for the hold period (5 writes), then it tries again (and comes back again)
    expect(drive(s, cost, 6)).toEqual([1_000, 1_000, 1_000, 1_000, 2_000, 1_000]);
    expect(s.size).toBe(1_000);
  });

  it('shrinks to what fits the budget after a write that took too long', () => {
    const s = sizer({ initial: 4_000, budgetMs: 10_000 });
    s.observe(4_000, 16_000);
    expect(s.size).toBe(2_500);
  });

  it('halves on an overload (timeout, 5xx) and holds before growing again', () => {
    const s = sizer({ initial: 2_000, budgetMs: 60_000, holdWrites: 3 });
    s.overloaded(2_000);
    expect(s.size).toBe(1_000);
    expect(drive(s, odooLike, 4)).toEqual([1_000, 1_000, 1_000, 2_000]);
    s.overloaded(2_000);
    s.overloaded(1_000);
    s.overloaded(100);
    expect(s.size).toBe(100); // never below min
  });

  it('ignores writes well below the current size (a tail group, a few updates)', () => {
    const s = sizer({ budgetMs: 60_000 });
    for (let i = 0; i < 10; i++) s.observe(40, odooLike(40));
    expect(s.size).toBe(500);
    s.observe(40, 70_000); // ... unless such a write blows the budget
    expect(s.size).toBe(100);
  });

  it('a fixed size (min = max) never moves', () => {
    const s = new AdaptiveWriteSize({ system: 'erp', min: 500, max: 500 });
    s.observe(500, 10);
    s.observe(500, 10);
    s.overloaded(500);
    s.observe(500, 99_000);
    expect(s.size).toBe(500);
    expect(s.fixed).toBe(true);
  });
});

describe('writeBatches with an adaptive size', () => {
  const ops = (n: number): WriteOp<'customer'>[] => Array.from({ length: n }, (_, i) => ({ kind: 'create', key: String(i), record: {} as never }));
  const fakeTarget = (fail?: (n: number) => Error | null, delayMs = 0) => {
    const calls: number[] = [];
    return {
      calls,
      conn: {
        name: 'erp',
        write: async (_e: string, batch: WriteOp[]): Promise<WriteResult[]> => {
          calls.push(batch.length);
          if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
          const err = fail?.(batch.length);
          if (err) throw err;
          return batch.map((o) => ({ ok: true, key: o.key, id: o.key, created: true }));
        },
      },
    };
  };

  it('writes a group a little over the size in one call, and a bigger one in calls of the size', async () => {
    const s = sizer({ budgetMs: 60_000 });
    const t = fakeTarget();
    await writeBatches(t.conn, 'customer', ops(600), { lookup: () => undefined }, s);
    expect(t.calls).toEqual([600]);
    const s2 = sizer({ budgetMs: 1 }); // every write (≥ 5 ms) blows the budget: the size shrinks between calls
    const t2 = fakeTarget(undefined, 5);
    await writeBatches(t2.conn, 'customer', ops(1_000), { lookup: () => undefined }, s2);
    expect(t2.calls[0]).toBe(500);
    // calls of the shrunk size (100); where the rest is cut depends on when each write's time is known, and a
    // piece a little over the size goes in one call (e.g. [500, 107, 100, 100, 100, 93]): never near 500 again
    expect(t2.calls.slice(1).every((n) => n <= 120), JSON.stringify(t2.calls)).toBe(true);
    expect(t2.calls.length, JSON.stringify(t2.calls)).toBeGreaterThanOrEqual(5);
    expect(t2.calls.reduce((a, b) => a + b, 0)).toBe(1_000);
  });

  it('a fixed number stays a hard limit', async () => {
    const t = fakeTarget();
    await writeBatches(t.conn, 'customer', ops(600), { lookup: () => undefined }, 500);
    expect(t.calls).toEqual([500, 100]);
  });

  it('a timeout of a write halves the size; a refused record (permanent) does not change it', async () => {
    const s = sizer({ initial: 1_000 });
    const timeout = fakeTarget(() => new SyncError('unavailable', 'request timed out'));
    await expect(writeBatches(timeout.conn, 'customer', ops(1_000), { lookup: () => undefined }, s)).rejects.toThrow('timed out');
    expect(s.size).toBe(500);
    const refusing = fakeTarget((n) => (n > 1 ? new SyncError('invalid_data', 'one bad record') : null));
    await writeBatches(refusing.conn, 'customer', ops(500), { lookup: () => undefined }, s);
    expect(s.size).toBe(500);
  });
});
