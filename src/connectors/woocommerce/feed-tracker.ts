/**
 * The position of a WooCommerce change feed (products, prices, orders, customers).
 *
 * WordPress orders `orderby=modified` by the date alone, to the second, with no tie-breaker, so the
 * records of one batch (same second) come back in a different order on every page request and offset
 * pages skip some and repeat others (issue 11: 999 of 1,000 products arrived). The feed therefore pages
 * in a total order (`orderby=id`) over `modified_after = t − overlap`, and:
 *
 * - `t` moves only to the START of a completed read (the server's Date header of its first page), never
 *   to the newest record seen: anything modified while the read ran is read again next time;
 * - an unfinished read (crash, abort) keeps its start and the last id it delivered (`run`); the rerun
 *   skips those ids and ends with the same start, so a resume neither repeats nor loses records;
 * - `seen` (id → "modified|hash") drops what an overlapping read delivered already in the same state;
 *   the hash ignores fields WooCommerce changes on every request (`related_ids` is shuffled, `_links`).
 */
import { createHash } from 'node:crypto';
import type { Cursor } from '../contract.js';

export interface FeedCursor {
  /** Start of the last completed read ("YYYY-MM-DDTHH:MM:SS", GMT); null = never read. */
  t: string | null;
  /** id → "modified|hash" of records delivered inside the overlap window. */
  seen: Record<string, string>;
  /** An unfinished read: its start and the highest id it delivered. */
  run?: { start: string; after: number };
}

/** Fields that change from one request to the next without the record changing. */
const NOISE = new Set(['related_ids', '_links']);

export function parseCursor(c: Cursor | null): FeedCursor {
  if (c && typeof c === 'object' && !Array.isArray(c) && 'seen' in c) {
    const t = typeof c.t === 'string' ? c.t : null;
    const seen = c.seen && typeof c.seen === 'object' && !Array.isArray(c.seen) ? (c.seen as Record<string, string>) : {};
    const r = c.run;
    const run = r && typeof r === 'object' && !Array.isArray(r) && typeof r.start === 'string' && typeof r.after === 'number' ? { start: r.start, after: r.after } : undefined;
    return { t, seen: { ...seen }, ...(run && { run }) };
  }
  return { t: null, seen: {} };
}

export function wooTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19);
}

function minus(t: string, seconds: number): string {
  return wooTime(Date.parse(`${t}Z`) - seconds * 1000);
}

function stable(raw: unknown): unknown {
  if (Array.isArray(raw)) return raw.map(stable);
  if (!raw || typeof raw !== 'object') return raw;
  return Object.fromEntries(Object.entries(raw).filter(([k]) => !NOISE.has(k)));
}

/** Hash of a record's state without the per-request noise (related_ids, _links). */
export function stateHash(raw: unknown): string {
  return createHash('sha1').update(JSON.stringify(stable(raw))).digest('base64').slice(0, 12);
}

export class FeedTracker {
  private readonly cur: FeedCursor;

  constructor(
    cursor: Cursor | null,
    private readonly overlapS: number,
  ) {
    this.cur = parseCursor(cursor);
  }

  /** modified_after for the query: the cursor minus the overlap window (null = from the start). */
  since(): string | null {
    return this.cur.t ? minus(this.cur.t, this.overlapS) : null;
  }

  /** The read starts at this server time (kept when resuming an unfinished read). */
  begin(serverNow: string): void {
    this.cur.run ??= { start: serverNow.slice(0, 19), after: 0 };
  }

  /** Delivered by this read already (a resumed or restarted read passes over it). */
  passed(id: number): boolean {
    return this.cur.run !== undefined && id <= this.cur.run.after;
  }

  /** True when the record must be delivered: not delivered by this read yet, and new or changed. */
  admit(id: number, modified: string | null, raw: unknown): boolean {
    const run = this.cur.run;
    if (this.passed(id)) return false;
    const mark = `${modified ?? ''}|${stateHash(raw)}`;
    const key = String(id);
    if (this.cur.seen[key] === mark) return false;
    // Only what the next read can return again (modified after start − overlap) needs remembering.
    if (!run || !modified || modified.slice(0, 19) > minus(run.start, this.overlapS)) this.cur.seen[key] = mark;
    else delete this.cur.seen[key];
    return true;
  }

  /** Every id up to `lastId` has been handed over (pages come in ascending id order). */
  delivered(lastId: number): void {
    if (this.cur.run && lastId > this.cur.run.after) this.cur.run.after = lastId;
  }

  /** Position after a batch of an unfinished read. */
  cursor(): Cursor {
    return { t: this.cur.t, seen: { ...this.cur.seen }, ...(this.cur.run && { run: { ...this.cur.run } }) };
  }

  /** Position after the whole read: the cursor moves to the read's start. */
  finish(): Cursor {
    if (this.cur.run) this.cur.t = this.cur.run.start;
    delete this.cur.run;
    if (this.cur.t) {
      const floor = minus(this.cur.t, this.overlapS);
      for (const [id, mark] of Object.entries(this.cur.seen)) if (mark.split('|')[0]! <= floor) delete this.cur.seen[id];
    }
    return { t: this.cur.t, seen: { ...this.cur.seen } };
  }
}
