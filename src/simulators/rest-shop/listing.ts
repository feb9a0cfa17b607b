/**
 * Laravel's list responses: the length-aware paginator (`?page=`) and the cursor variant
 * (`cursorPaginate`: `meta.next_cursor`, `?cursor=`) used for change feeds (`updated_since`, `after_id`).
 */
import type { ChangeFeed, FeedPos } from './feed.js';
import { isoMicros, parseIsoMicros } from './feed.js';
import { HttpError, Validator } from './validate.js';

export const MAX_PER_PAGE = 500;

export interface ListQuery {
  perPage: number;
  page: number;
  /** Keyset start (exclusive) when the request is a change feed. */
  start: FeedPos | null;
  feed: boolean;
}

export function encodeCursor(pos: FeedPos): string {
  return Buffer.from(JSON.stringify({ updated_at: isoMicros(pos.t), id: pos.id, _pointsToNextItems: true })).toString('base64url');
}

function decodeCursor(text: string): FeedPos | null {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { updated_at?: unknown; id?: unknown };
    const t = typeof c.updated_at === 'string' ? parseIsoMicros(c.updated_at) : null;
    return t !== null && typeof c.id === 'number' ? { t, id: c.id } : null;
  } catch {
    return null;
  }
}

export function parseListQuery(params: URLSearchParams): ListQuery {
  const v = new Validator();
  const perPage = Number(params.get('per_page') ?? '15');
  const page = Number(params.get('page') ?? '1');
  if (!Number.isInteger(perPage) || perPage < 1) v.add('per_page', 'The per page field must be an integer.');
  else if (perPage > MAX_PER_PAGE) v.add('per_page', `The per page field must not be greater than ${MAX_PER_PAGE}.`);
  if (!Number.isInteger(page) || page < 1) v.add('page', 'The page field must be at least 1.');
  const sinceText = params.get('updated_since');
  const since = sinceText ? parseIsoMicros(sinceText) : null;
  if (sinceText && since === null) v.add('updated_since', 'The updated since field must be a valid date.');
  const afterText = params.get('after_id');
  const afterId = afterText ? Number(afterText) : null;
  if (afterText && !Number.isInteger(afterId)) v.add('after_id', 'The after id field must be an integer.');
  const cursorText = params.get('cursor');
  const cursor = cursorText ? decodeCursor(cursorText) : null;
  if (cursorText && !cursor) v.add('cursor', 'The cursor is invalid.');
  v.check();
  let start: FeedPos | null = null;
  if (cursor) start = cursor;
  else if (since !== null) start = { t: since, id: afterId ?? -1 };
  else if (afterId !== null) start = { t: -1, id: afterId };
  return { perPage, page, start, feed: Boolean(cursorText || sinceText || afterText) };
}

function pageUrl(url: URL, set: Record<string, string | null>): string {
  const u = new URL(url.toString());
  for (const [k, v] of Object.entries(set)) {
    if (v === null) u.searchParams.delete(k);
    else u.searchParams.set(k, v);
  }
  return u.toString();
}

export function lengthAware(data: unknown[], q: ListQuery, total: number, url: URL): object {
  const lastPage = Math.max(1, Math.ceil(total / q.perPage));
  const from = total === 0 ? null : (q.page - 1) * q.perPage + 1;
  const link = (p: number) => pageUrl(url, { page: String(p) });
  return {
    data,
    links: { first: link(1), last: link(lastPage), prev: q.page > 1 ? link(q.page - 1) : null, next: q.page < lastPage ? link(q.page + 1) : null },
    meta: { current_page: q.page, from, last_page: lastPage, path: pageUrl(url, { page: null }).split('?')[0], per_page: q.perPage, to: from === null ? null : from + data.length - 1, total },
  };
}

export function cursorPage(data: unknown[], q: ListQuery, next: FeedPos | null, url: URL): object {
  const nextCursor = next ? encodeCursor(next) : null;
  return {
    data,
    links: { first: null, last: null, prev: null, next: nextCursor ? pageUrl(url, { cursor: nextCursor }) : null },
    meta: { path: url.toString().split('?')[0], per_page: q.perPage, next_cursor: nextCursor, prev_cursor: null },
  };
}

/** A list over a change feed: cursor variant for feeds, length-aware otherwise. */
export function listFeed<T extends { id: number; updatedAt: number }>(feed: ChangeFeed, q: ListQuery, load: (id: number) => T | undefined, toJson: (row: T) => unknown, url: URL): object {
  if (q.feed) {
    const ids = feed.after(q.start, q.perPage + 1);
    const rows = ids.slice(0, q.perPage).map(load).filter((r): r is T => r !== undefined);
    const last = rows[rows.length - 1];
    const next = ids.length > q.perPage && last ? { t: last.updatedAt, id: last.id } : null;
    return cursorPage(rows.map(toJson), q, next, url);
  }
  const rows = feed.slice((q.page - 1) * q.perPage, q.perPage).map(load).filter((r): r is T => r !== undefined);
  return lengthAware(rows.map(toJson), q, feed.size, url);
}

/** A list of rows found through an index (ids=, skus=, emails=…), in feed order, length-aware. */
export function listRows<T extends { id: number; updatedAt: number }>(rows: T[], q: ListQuery, toJson: (row: T) => unknown, url: URL): object {
  const sorted = [...new Set(rows)].sort((a, b) => a.updatedAt - b.updatedAt || a.id - b.id);
  const page = sorted.slice((q.page - 1) * q.perPage, q.page * q.perPage);
  return lengthAware(page.map(toJson), q, sorted.length, url);
}

/** Comma-separated filter values of a query parameter, or null when absent. */
export function listParam(params: URLSearchParams, name: string): string[] | null {
  const raw = params.get(name);
  if (raw === null) return null;
  const values = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (values.length > 100) throw new HttpError(422, `The ${name} field must not have more than 100 items.`, { [name]: [`The ${name} field must not have more than 100 items.`] });
  return values;
}
