/**
 * Records per write call to one system, found while running instead of fixed (the pattern of
 * shared/adaptive-limit.ts, which does the same for requests in flight). A target such as Odoo pays a large
 * fixed cost per write (several calls, ~0.5 s of a product `create` alone) and a small one per record, so
 * bigger writes cost fewer calls and less time per record — up to the point where the server slows down per
 * record or a call gets long enough to risk the HTTP timeout. The size:
 *
 * - starts at `initial` (the measured sweet spot, write-sizing.ts);
 * - grows (doubles, at most to `max`, by 10 % at least) after a write of about the current size whose
 *   time per record held (≤ `tolerance` × the time per record at the size before the last growth: noise on
 *   a loaded machine is easily 25 %) and whose time at the next size, at that rate, stays within
 *   `headroom` × `budgetMs`;
 * - goes back to the size before the last growth when the time per record got worse than `tolerance` ×
 *   it, and holds there for `holdWrites` writes before it tries to grow again;
 * - shrinks to what fits the budget when a write took longer than `budgetMs`;
 * - halves when a write failed for the system's load (a timeout, a 5xx, a 429, a lost connection), and
 *   holds for `holdWrites` writes.
 *
 * A fixed setting (`min === max`) never moves. Writes much smaller than the current size (a tail group, a
 * handful of updates) say nothing about bigger ones: they only shrink the size when they blow the budget.
 */

export interface WriteSizeOptions {
  /** Name of the system (logs, errors). */
  system: string;
  min: number;
  max: number;
  /** Size at the start (default: min). */
  initial?: number;
  /** Longest a write may take (default 10 s: well below the default HTTP timeout of 30 s). */
  budgetMs?: number;
  /** How much worse the time per record may get at a bigger size before it counts as a slowdown (default 1.5). */
  tolerance?: number;
  /** The predicted time of the next size must stay within headroom × budget to grow (default 0.75). */
  headroom?: number;
  /** Writes to hold a size after a slowdown or a failure before growing again (default 20). */
  holdWrites?: number;
  /** Told of every change of size, and why (the engine logs it). */
  onResize?: (change: { system: string; from: number; to: number; why: 'grew' | 'slower per record' | 'over budget' | 'overloaded'; ms?: number; records?: number }) => void;
}

/** A system's `writeBatchSize` setting (tandem.yaml): a fixed number, or the bounds of the adaptive size. */
export type WriteSizeSetting = number | { min?: number; max?: number; initial?: number };

export class AdaptiveWriteSize {
  readonly system: string;
  readonly min: number;
  readonly max: number;
  private current: number;
  private readonly o: Required<Omit<WriteSizeOptions, 'system' | 'min' | 'max' | 'initial' | 'onResize'>>;
  private readonly onResize: WriteSizeOptions['onResize'];
  /** Time per record (ms) at the current size, averaged over its writes; null before the first. */
  private perRecord: number | null = null;
  /** The size before the last growth and its time per record: where a slowdown goes back to. */
  private before: { size: number; perRecord: number } | null = null;
  /** Writes left before growing is allowed again. */
  private hold = 0;

  constructor(opts: WriteSizeOptions) {
    this.system = opts.system;
    this.min = Math.max(1, Math.floor(opts.min));
    this.max = Math.max(this.min, Math.floor(opts.max));
    this.current = clamp(Math.floor(opts.initial ?? this.min), this.min, this.max);
    this.o = {
      budgetMs: opts.budgetMs ?? 10_000,
      tolerance: opts.tolerance ?? 1.5,
      headroom: opts.headroom ?? 0.75,
      holdWrites: opts.holdWrites ?? 20,
    };
    this.onResize = opts.onResize;
  }

  /** Records per write call now. */
  get size(): number {
    return this.current;
  }

  get fixed(): boolean {
    return this.min === this.max;
  }

  /**
   * The size just grew and no write of it has been seen yet: a writer that can wait (batch-pipeline.ts)
   * waits for the write in flight before it cuts the next group, so each step of the growth costs one
   * write, not one per write in flight. The initial size is not a probe: its first writes go out side by
   * side as with a fixed size (a catalog of two or three groups keeps its writes in flight at once).
   */
  get probing(): boolean {
    return !this.fixed && this.perRecord === null && this.before !== null && this.hold === 0 && this.current < this.max;
  }

  /** A write of `records` records answered (whatever each record's own result) after `ms` milliseconds. */
  observe(records: number, ms: number): void {
    if (this.fixed || records <= 0) return;
    if (this.hold > 0) this.hold -= 1;
    if (ms > this.o.budgetMs) {
      // too long a call: the size whose time at this rate fits the budget
      this.resize(Math.min(this.current - 1, Math.floor((records * this.o.budgetMs) / ms)), 'over budget', ms, records);
      this.before = null;
      this.hold = this.o.holdWrites;
      return;
    }
    // a write well below the current size (a tail, a few updates) says nothing about the current size
    if (records < this.current * 0.9) return;
    const rate = ms / records;
    this.perRecord = this.perRecord === null ? rate : (this.perRecord + rate) / 2;
    if (this.before && this.perRecord > this.before.perRecord * this.o.tolerance) {
      // the bigger size is slower per record: back to the size before, and stay there for a while
      const back = this.before.size;
      this.before = null;
      this.resize(back, 'slower per record', ms, records);
      this.hold = this.o.holdWrites;
      return;
    }
    if (this.hold > 0 || this.current >= this.max) return;
    const next = Math.min(this.max, this.current * 2, Math.floor((this.o.budgetMs * this.o.headroom) / this.perRecord));
    // a step of a few records is noise, not worth a change of size
    if (next < this.current * 1.1) return;
    this.before = { size: this.current, perRecord: this.perRecord };
    this.resize(next, 'grew', ms, records);
  }

  /** A write of `records` records failed for the system's load (timeout, 5xx, 429, connection lost). */
  overloaded(records: number): void {
    if (this.fixed) return;
    this.resize(Math.floor(Math.min(this.current, Math.max(1, records)) / 2), 'overloaded', undefined, records);
    this.before = null;
    this.hold = this.o.holdWrites;
  }

  private resize(size: number, why: 'grew' | 'slower per record' | 'over budget' | 'overloaded', ms: number | undefined, records: number): void {
    const next = clamp(size, this.min, this.max);
    if (next === this.current) return;
    const from = this.current;
    this.current = next;
    this.perRecord = null;
    this.onResize?.({ system: this.system, from, to: next, why, records, ...(ms !== undefined && { ms: Math.round(ms) }) });
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
