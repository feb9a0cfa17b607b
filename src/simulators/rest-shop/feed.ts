/**
 * A change feed ordered by (updated_at, id): the index a shop's `ORDER BY updated_at, id` would use.
 * Updates append (the clock is strictly monotonic, so appends stay sorted); the old entry of a touched
 * record turns stale and is dropped by a lazy compaction before the next read.
 */
export interface FeedPos {
  t: number;
  id: number;
}

function after(a: FeedPos, b: FeedPos): boolean {
  return a.t > b.t || (a.t === b.t && a.id > b.id);
}

export class ChangeFeed {
  private entries: FeedPos[] = [];
  private readonly current = new Map<number, number>();
  private stale = 0;

  touch(id: number, t: number): void {
    if (this.current.get(id) === t) return;
    if (this.current.has(id)) this.stale += 1;
    this.current.set(id, t);
    const e = { t, id };
    const last = this.entries[this.entries.length - 1];
    if (!last || after(e, last)) {
      this.entries.push(e);
      return;
    }
    this.entries.splice(this.firstAfter(e, true), 0, e);
  }

  remove(id: number): void {
    if (this.current.delete(id)) this.stale += 1;
  }

  get size(): number {
    return this.current.size;
  }

  private compact(): void {
    if (this.stale === 0) return;
    const kept = new Set<number>();
    this.entries = this.entries.filter((e) => this.current.get(e.id) === e.t && !kept.has(e.id) && Boolean(kept.add(e.id)));
    this.stale = 0;
  }

  /** Index of the first entry after `pos` (or at/after it when `inclusive`). */
  private firstAfter(pos: FeedPos, inclusive: boolean): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = this.entries[mid] as FeedPos;
      const past = inclusive ? !after(pos, e) : after(e, pos);
      if (past) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Ids strictly after `pos` (keyset), oldest first. */
  after(pos: FeedPos | null, limit: number): number[] {
    this.compact();
    const start = pos ? this.firstAfter(pos, false) : 0;
    return this.entries.slice(start, start + limit).map((e) => e.id);
  }

  /** Ids in feed order, by offset (length-aware pages). */
  slice(offset: number, limit: number): number[] {
    this.compact();
    return this.entries.slice(offset, offset + limit).map((e) => e.id);
  }

  /** Number of records strictly after `pos`. */
  countAfter(pos: FeedPos | null): number {
    this.compact();
    return this.entries.length - (pos ? this.firstAfter(pos, false) : 0);
  }
}

/** Strictly increasing microsecond clock (two changes never share an updated_at). */
export class MicroClock {
  private last = 0;
  now(): number {
    const t = Math.max(Date.now() * 1000, this.last + 1);
    this.last = t;
    return t;
  }
}

/** Microseconds → Laravel's JSON time: 2026-11-26T14:25:00.123456Z. */
export function isoMicros(micros: number): string {
  const ms = Math.floor(micros / 1000);
  return `${new Date(ms).toISOString().slice(0, 23)}${String(micros - ms * 1000).padStart(3, '0')}Z`;
}

/** ISO 8601 (up to microseconds; offset or Z; "Y-m-d H:i:s" as UTC) → microseconds; null when unreadable. */
export function parseIsoMicros(text: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/.exec(text.trim());
  if (!m) return null;
  const ms = Date.parse(`${m[1]}T${m[2]}${m[4] ?? 'Z'}`);
  return Number.isNaN(ms) ? null : ms * 1000 + Number((m[3] ?? '').padEnd(6, '0').slice(0, 6));
}
