/**
 * Incremental reads: one or more change feeds (feed.ts) → the records they touch → batches with a cursor.
 *
 * Cursor (opaque to the engine, JSON):
 *   { v: 1, feeds: { <feed>: "<last write_date second seen>" }, seen: { <record id>: [<content hash>, <second>] } }
 *
 * A new read restarts every feed `overlapSeconds` before its last second (late commits of long
 * transactions carry an older write_date) and skips a record whose content hash equals the one delivered
 * before. The hash, not write_date, decides: 17 shows write_date in whole seconds, so two changes within one
 * second look identical by date. `seen` keeps only the overlap window (and at most MAX_SEEN entries).
 */
import { createHash } from 'node:crypto';
import type { Batch, Cursor, Json, SourceRecord } from '../contract.js';
import type { EntityType } from '../../model/index.js';
import type { OdooTransport } from './transport.js';
import { readFeed, type FeedSpec } from './feed.js';
import { addSeconds, type OdooRecord } from './values.js';

export const MAX_SEEN = 20_000;

export interface ChangeCursor {
  v: 1;
  feeds: Record<string, string | null>;
  seen: Record<string, [string, string]>;
}

export interface Feed {
  key: string;
  spec: FeedSpec;
  /** Ids of the output records a page of feed rows touches (e.g. variant rows → their template ids). */
  outIds: (rows: OdooRecord[]) => string[];
}

export interface ChangeReadOptions<E extends EntityType> {
  transport: OdooTransport;
  feeds: Feed[];
  cursor: Cursor | null;
  overlapSeconds: number;
  pageSize: number;
  signal?: AbortSignal;
  /** Current state of the given output records (missing ones are absent). */
  load: (ids: string[]) => Promise<SourceRecord<E>[]>;
}

export function decodeCursor(cursor: Cursor | null): ChangeCursor | null {
  if (!cursor || typeof cursor !== 'object' || Array.isArray(cursor)) return null;
  const c = cursor as Record<string, Json>;
  if (c.v !== 1 || !c.feeds || typeof c.feeds !== 'object' || Array.isArray(c.feeds)) return null;
  const seen = c.seen && typeof c.seen === 'object' && !Array.isArray(c.seen) ? (c.seen as Record<string, [string, string]>) : {};
  return { v: 1, feeds: { ...(c.feeds as Record<string, string | null>) }, seen: { ...seen } };
}

export function contentHash(raw: unknown): string {
  return createHash('sha256').update(JSON.stringify(raw) ?? 'null').digest('hex').slice(0, 16);
}

/** The cursor to store: seen entries older than the overlap window (or beyond MAX_SEEN) dropped. */
export function snapshot(state: ChangeCursor, overlapSeconds: number): ChangeCursor {
  const max = Object.values(state.feeds).reduce<string | null>((a, b) => (b && (!a || b > a) ? b : a), null);
  const floor = max ? addSeconds(max, -overlapSeconds) : null;
  let entries = Object.entries(state.seen).filter(([, [, s]]) => !floor || s >= floor);
  if (entries.length > MAX_SEEN) entries = entries.sort((a, b) => (a[1][1] < b[1][1] ? 1 : -1)).slice(0, MAX_SEEN);
  return { v: 1, feeds: { ...state.feeds }, seen: Object.fromEntries(entries) };
}

export async function* readChanges<E extends EntityType>(o: ChangeReadOptions<E>): AsyncGenerator<Batch<E>> {
  const state: ChangeCursor = decodeCursor(o.cursor) ?? { v: 1, feeds: {}, seen: {} };
  const delivered = new Set<string>();
  for (const feed of o.feeds) {
    const last = state.feeds[feed.key] ?? null;
    const start = last ? addSeconds(last, -o.overlapSeconds) : null;
    for await (const page of readFeed(o.transport, feed.spec, start, o.pageSize, o.signal)) {
      const touched = [...new Set(feed.outIds(page.rows))].filter((id) => !delivered.has(id));
      const records: SourceRecord<E>[] = [];
      if (touched.length > 0) {
        for (const rec of await o.load(touched)) {
          delivered.add(rec.id);
          const h = contentHash([rec.raw, rec.deleted ?? false]);
          const second = page.maxSecond ?? last ?? '1970-01-01 00:00:00';
          if (state.seen[rec.id]?.[0] === h) {
            state.seen[rec.id] = [h, second];
            continue;
          }
          state.seen[rec.id] = [h, second];
          records.push(rec);
        }
      }
      if (page.maxSecond && (!state.feeds[feed.key] || page.maxSecond > (state.feeds[feed.key] as string))) state.feeds[feed.key] = page.maxSecond;
      else if (!(feed.key in state.feeds)) state.feeds[feed.key] = last;
      yield { records, cursor: snapshot(state, o.overlapSeconds) as unknown as Json };
    }
  }
}
