/**
 * Change feeds: records changed after a keyset cursor (updated_at, id), oldest first. The shop filters
 * with `updated_since` (≥) and `after_id` (the contract's keyset); records at or before the cursor that
 * a shop without `after_id` sends again are dropped here, so the feed is exact either way. With
 * `overlapSeconds` the read starts that much earlier and re-delivers on purpose.
 */
import type { Batch, Cursor, ReadOptions, SourceRecord } from '../contract.js';
import { compareKeysets, cursorToKeyset, formatMicros, keysetToCursor, parseShopTime, type Keyset } from './keyset.js';
import { mapRecord } from './map-record.js';
import type { RestShopContext } from './context.js';
import { listPages } from './paginate.js';
import type { CompiledShape, ShopEntity } from './shapes.js';
import type { Query } from './transport.js';

export const DEFAULT_PAGE_SIZE = 250;

export type ReadDeps = Pick<RestShopContext, 'transport' | 'mapper' | 'overlapSeconds'>;

export function pageSize(shape: CompiledShape, requested: number | undefined): number {
  return Math.max(1, Math.min(requested ?? DEFAULT_PAGE_SIZE, shape.maxPageSize));
}

function startQuery(shape: CompiledShape, start: Keyset | null, overlapSeconds: number): Query {
  if (!start) return {};
  if (overlapSeconds > 0) {
    const micros = parseShopTime(start.since);
    const since = micros === null ? start.since : formatMicros(micros - overlapSeconds * 1_000_000);
    return { [shape.sinceParam]: since };
  }
  return { [shape.sinceParam]: start.since, ...(shape.afterIdParam && { [shape.afterIdParam]: start.id }) };
}

export async function* readFeed<E extends ShopEntity>(deps: ReadDeps, shape: CompiledShape, cursor: Cursor | null, opts: ReadOptions = {}): AsyncGenerator<Batch<E>> {
  const start = cursorToKeyset(cursor);
  const exact = deps.overlapSeconds === 0;
  let last = start;
  for await (const page of listPages(deps.transport, { shape, query: startQuery(shape, start, deps.overlapSeconds), pageSize: pageSize(shape, opts.pageSize), signal: opts.signal })) {
    const records: SourceRecord<E>[] = [];
    for (const raw of page.items) {
      const mapped = mapRecord(shape.entity as E, raw, shape, deps.mapper);
      const { record, keyset } = mapped instanceof Promise ? await mapped : mapped;
      if (keyset && start && exact && compareKeysets(keyset, start) <= 0) continue;
      records.push(record);
      if (keyset && (!last || compareKeysets(keyset, last) > 0)) last = keyset;
    }
    if (records.length === 0) continue;
    yield { records, cursor: last ? keysetToCursor(last) : (cursor ?? null), ...(page.total !== undefined && { total: page.total }) };
  }
}
