/**
 * Walks a list endpoint page by page in the shop's pagination style:
 * - laravel: `{data, meta:{current_page,last_page}, links:{next}}` (paginate / simplePaginate) or the
 *   cursor variant `meta.next_cursor` (cursorPaginate); the top-level (non-resource) forms too;
 * - page: `?page=N&per_page=M` until a short page; offset: `?offset=N&limit=M` until a short page;
 * - cursor: next cursor read from the response (JSONata, default meta.next_cursor) → `?cursor=`;
 * - link: the `Link: <…>; rel="next"` header.
 */
import { SyncError } from '../../shared/errors.js';
import { SYSTEM } from './errors.js';
import type { CompiledShape } from './shapes.js';
import type { Query, RestShopTransport } from './transport.js';
import { obj } from './wire-values.js';

export interface PageRequest {
  shape: CompiledShape;
  query: Query;
  pageSize: number;
  signal?: AbortSignal;
  /** Stop after this many pages (lookups by id need one page per chunk). */
  maxPages?: number;
}

export interface Page {
  items: unknown[];
  total?: number;
}

/** Items of a list response: the configured JSONata, else `data`, else the body when it is an array. */
export async function extractItems(shape: CompiledShape, body: unknown): Promise<unknown[]> {
  if (shape.items) {
    const v: unknown = await shape.items.evaluate(body);
    return v === undefined || v === null ? [] : Array.isArray(v) ? [...(v as unknown[])] : [v];
  }
  if (Array.isArray(body)) return body;
  const data = obj(body).data;
  return Array.isArray(data) ? data : [];
}

/** The URL of rel="next" in an RFC 8288 Link header. */
export function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (m && /\brel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(m[2] as string)) return m[1] as string;
  }
  return null;
}

async function nextCursor(shape: CompiledShape, body: unknown): Promise<string | null> {
  const v: unknown = shape.nextCursor ? await shape.nextCursor.evaluate(body) : obj(obj(body).meta).next_cursor ?? obj(body).next_cursor;
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
}

export async function* listPages(t: RestShopTransport, req: PageRequest): AsyncGenerator<Page> {
  const { shape } = req;
  let target = shape.path;
  let query: Query = { ...req.query, [shape.pageSizeParam]: req.pageSize };
  if (shape.pagination === 'page') query.page = 1;
  if (shape.pagination === 'offset') query.offset = 0;
  const seen = new Set<string>();
  for (let n = 1; ; n++) {
    const key = `${target}?${JSON.stringify(query)}`;
    if (seen.has(key)) {
      throw new SyncError('invalid_data', `the shop sent the same next page twice (${shape.pagination} pagination on ${shape.path}); stopping instead of looping`, {
        system: SYSTEM,
        entity: shape.entity,
        hint: `check systems.<name>.entities.${shape.entity}.pagination matches what the shop does`,
      });
    }
    seen.add(key);
    const res = await t.json('GET', target, { query, signal: req.signal, entity: shape.entity });
    const items = await extractItems(shape, res.body);
    const body = obj(res.body);
    const meta = body.meta !== undefined ? obj(body.meta) : body;
    const total = typeof meta.total === 'number' ? meta.total : undefined;
    yield { items, total };
    if (items.length === 0 || (req.maxPages !== undefined && n >= req.maxPages)) return;

    switch (shape.pagination) {
      case 'laravel': {
        if ('next_cursor' in meta) {
          const c = await nextCursor(shape, res.body);
          if (!c) return;
          query = { ...query, [shape.cursorParam]: c };
        } else if (typeof meta.current_page === 'number') {
          const hasNext = typeof meta.last_page === 'number'
            ? meta.current_page < meta.last_page
            : Boolean(obj(body.links).next ?? body.next_page_url);
          if (!hasNext) return;
          query = { ...query, page: meta.current_page + 1 };
        } else {
          return;
        }
        break;
      }
      case 'page':
        if (items.length < req.pageSize) return;
        query = { ...query, page: Number(query.page) + 1 };
        break;
      case 'offset':
        if (items.length < req.pageSize) return;
        query = { ...query, offset: Number(query.offset) + items.length };
        break;
      case 'cursor': {
        const c = await nextCursor(shape, res.body);
        if (!c) return;
        query = { ...query, [shape.cursorParam]: c };
        break;
      }
      case 'link': {
        const next = nextLink(res.headers.get('link'));
        if (!next) return;
        target = new URL(next, res.url).toString();
        query = {};
        break;
      }
    }
  }
}
