/**
 * Change feeds by keyset on (write_date, id), correct despite Odoo's write_date quirks:
 *
 * - Odoo stamps write_date with the TRANSACTION start, and 17 stores microseconds but shows seconds
 *   (03_incremental_sync: `write_date = <shown>` matches nothing, `> <shown>` matches the record itself).
 *   So `write_date > cursor` can neither be trusted to exclude what we saw nor to include a late commit.
 * - One batch create gives 1,000 records the same write_date: a page boundary inside one second must not
 *   lose or loop.
 *
 * Paging: pages ordered by 'write_date asc, id asc'; a full page is cut before its last second, which the
 * next page starts with. When a whole page falls in one second, that second is read by id (`id > last`)
 * with an upper bound, which is a total order. Sessions restart `overlapSeconds` before the last second
 * seen, and the reader de-duplicates what it re-reads (see changes.ts).
 */
import type { Json } from '../contract.js';
import type { OdooTransport } from './transport.js';
import { addSeconds, toSecond, type OdooRecord } from './values.js';

export interface FeedSpec {
  model: string;
  /** Extra domain terms (ANDed). */
  domain: Json[];
  fields: string[];
  context?: Record<string, Json>;
}

export interface FeedPage {
  rows: OdooRecord[];
  /** Highest write_date second among the rows (null when the page is empty). */
  maxSecond: string | null;
}

export function secondOf(r: OdooRecord): string {
  return typeof r.write_date === 'string' ? toSecond(r.write_date) : '1970-01-01 00:00:00';
}

/** Pages of changed rows since `start` (a write_date second, inclusive), oldest first. */
export async function* readFeed(t: OdooTransport, spec: FeedSpec, start: string | null, pageSize: number, signal?: AbortSignal): AsyncGenerator<FeedPage> {
  const fields = spec.fields.includes('write_date') ? spec.fields : [...spec.fields, 'write_date'];
  let from = start;
  for (;;) {
    signal?.throwIfAborted();
    const domain: Json[] = [...spec.domain, ...(from ? [['write_date', '>=', from]] : [])];
    const rows = await t.call<OdooRecord[]>(spec.model, 'search_read', {
      kwargs: { domain, fields, order: 'write_date asc, id asc', limit: pageSize },
      context: spec.context,
      signal,
    });
    if (rows.length < pageSize) {
      yield { rows, maxSecond: rows.length ? secondOf(rows[rows.length - 1]!) : null };
      return;
    }
    const last = secondOf(rows[rows.length - 1]!);
    const before = rows.filter((r) => secondOf(r) < last);
    if (before.length > 0) {
      yield { rows: before, maxSecond: secondOf(before[before.length - 1]!) };
      from = last;
      continue;
    }
    // The whole page is one second: walk that second by id, then go on after it.
    yield* readSecond(t, spec, fields, last, pageSize, signal);
    from = addSeconds(last, 1);
  }
}

async function* readSecond(t: OdooTransport, spec: FeedSpec, fields: string[], second: string, pageSize: number, signal?: AbortSignal): AsyncGenerator<FeedPage> {
  let lastId = 0;
  const next = addSeconds(second, 1);
  for (;;) {
    signal?.throwIfAborted();
    const rows = await t.call<OdooRecord[]>(spec.model, 'search_read', {
      kwargs: {
        domain: [...spec.domain, ['write_date', '>=', second], ['write_date', '<', next], ['id', '>', lastId]],
        fields,
        order: 'id asc',
        limit: pageSize,
      },
      context: spec.context,
      signal,
    });
    if (rows.length > 0) {
      lastId = rows[rows.length - 1]!.id;
      yield { rows, maxSecond: second };
    }
    if (rows.length < pageSize) return;
  }
}
