/** Request/response plumbing of the simulated WP REST server: errors, pagination, Link, _fields. */
import { randomInt } from 'node:crypto';
import { parseWpDate, phpUrlencode } from './php.js';

export interface SimRequest {
  method: string;
  /** Path below /wp-json/wc/v3, e.g. "/products/32/variations". */
  route: string;
  /** Query parameters in request order (PHP-style `a[0]=x` kept as given). */
  params: Array<[string, string]>;
  query: Record<string, string>;
  body: Record<string, unknown>;
  /** Scheme + host WordPress builds absolute URLs with (https when X-Forwarded-Proto says so). */
  base: string;
  headers: Record<string, string | undefined>;
}

export interface SimResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A WP_Error: {code, message, data:{status,…}} with that HTTP status. */
export class WpError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly extra: Record<string, unknown> = {},
    /** Some WooCommerce errors put a bare number in `data` (the over-refund 500). */
    readonly bareData = false,
  ) {
    super(message);
  }

  toBody(): Record<string, unknown> {
    return { code: this.code, message: this.message, data: this.bareData ? this.status : { status: this.status, ...this.extra } };
  }
}

export function invalidParam(param: string, message: string, code: string, data: unknown = null): WpError {
  return new WpError('rest_invalid_param', `Invalid parameter(s): ${param}`, 400, {
    params: { [param]: message },
    details: { [param]: { code, message, data } },
  });
}

export function notFound(code: string, message = 'Invalid ID.'): WpError {
  return new WpError(code, message, 404);
}

/** Reads the `page` / `per_page` parameters with WordPress's validation. */
export function pageParams(req: SimRequest, defaultPerPage = 10): { page: number; perPage: number } {
  const perPage = req.query.per_page === undefined ? defaultPerPage : Number(req.query.per_page);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
    throw invalidParam('per_page', 'per_page must be between 1 (inclusive) and 100 (inclusive)', 'rest_out_of_bounds');
  }
  const page = req.query.page === undefined ? 1 : Number(req.query.page);
  if (!Number.isInteger(page) || page < 1) throw invalidParam('page', 'page must be greater than or equal to 1', 'rest_out_of_bounds');
  return { page, perPage };
}

export function dateParam(req: SimRequest, name: string): number | null {
  const v = req.query[name];
  if (v === undefined || v === '') return null;
  const t = parseWpDate(v);
  if (t === null) throw invalidParam(name, 'Invalid date.', 'rest_invalid_date');
  return t;
}

export function listParam(req: SimRequest, name: string): string[] | null {
  const direct = req.query[name];
  const indexed = req.params.filter(([k]) => k === `${name}[]` || k.startsWith(`${name}[`)).map(([, v]) => v);
  if (direct === undefined && indexed.length === 0) return null;
  const parts = [...(direct === undefined ? [] : direct.split(',')), ...indexed];
  return parts.map((s) => s.trim()).filter((s) => s !== '');
}

const API_LINK = (base: string) => `<${base}/wp-json/>; rel="https://api.w.org/"`;

/** Slices one page and sets X-WP-Total, X-WP-TotalPages and the prev/next Link header. */
export function paginate<T>(req: SimRequest, items: T[], defaultPerPage = 10): { page: T[]; headers: Record<string, string> } {
  const { page, perPage } = pageParams(req, defaultPerPage);
  const total = items.length;
  const totalPages = Math.ceil(total / perPage);
  const headers: Record<string, string> = { 'X-WP-Total': String(total), 'X-WP-TotalPages': String(totalPages) };
  const rels: string[] = [];
  if (page > 1) {
    const prev = Math.min(page - 1, Math.max(totalPages, 1));
    rels.push(`<${pageUrl(req, prev)}>; rel="prev"`);
  }
  if (totalPages > page) rels.push(`<${pageUrl(req, page + 1)}>; rel="next"`);
  if (rels.length > 0) headers.Link = rels.join(', ');
  return { page: items.slice((page - 1) * perPage, page * perPage), headers };
}

function pageUrl(req: SimRequest, page: number): string {
  const params = req.params.filter(([k]) => !k.startsWith('oauth_') && k !== 'consumer_key' && k !== 'consumer_secret');
  let replaced = false;
  const parts = params.map(([k, v]) => {
    if (k === 'page') {
      replaced = true;
      return `page=${page}`;
    }
    return `${phpUrlencode(k)}=${phpUrlencode(v)}`;
  });
  if (!replaced) parts.push(`page=${page}`);
  return `${req.base}/wp-json/wc/v3${req.route}?${parts.join('&')}`;
}

export function defaultHeaders(base: string, allow: string | null): Record<string, string> {
  const h: Record<string, string> = {
    'Content-Type': 'application/json; charset=UTF-8',
    'X-Robots-Tag': 'noindex',
    Link: API_LINK(base),
    'X-Content-Type-Options': 'nosniff',
    'Access-Control-Expose-Headers': 'X-WP-Total, X-WP-TotalPages, Link',
    'Access-Control-Allow-Headers': 'Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type',
    'Cache-Control': 'no-cache, must-revalidate, max-age=0',
  };
  if (allow) h.Allow = allow;
  return h;
}

/** `_fields=a,b`: keeps those keys in the object's own order; single objects keep `_links`. */
export function filterFields(body: unknown, fields: string | undefined): unknown {
  if (!fields) return body;
  const wanted = new Set(fields.split(',').map((f) => f.trim().split('.')[0]!));
  const pick = (o: unknown, keepLinks: boolean): unknown => {
    if (!o || typeof o !== 'object' || Array.isArray(o)) return o;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) if (wanted.has(k) || (keepLinks && k === '_links')) out[k] = v;
    return out;
  };
  return Array.isArray(body) ? body.map((o) => pick(o, false)) : pick(body, true);
}

/**
 * Applies `orderby`/`order` to records that expose id / date / modified / title. `ties: 'unstable'` is
 * WordPress's `ORDER BY post_modified` with no tie-breaker: MySQL returns rows of the same second in
 * an order that changes from one query (one page) to the next, so offset pages overlap and skip.
 */
export function sortBy<T>(items: T[], key: (t: T) => number | string, desc: boolean, id: (t: T) => number, ties: 'by-id' | 'unstable' = 'by-id'): T[] {
  const sorted = items.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const c = ka < kb ? -1 : ka > kb ? 1 : id(a) - id(b);
    return desc ? -c : c;
  });
  return ties === 'unstable' ? shuffleTies(sorted, key) : sorted;
}

/** A copy of a sorted list with every run of equal keys shuffled (Fisher–Yates, fresh per call). */
export function shuffleTies<T>(sorted: readonly T[], key: (t: T) => number | string): T[] {
  const out = [...sorted];
  for (let start = 0; start < out.length; ) {
    let end = start + 1;
    while (end < out.length && key(out[end]!) === key(out[start]!)) end += 1;
    for (let i = end - 1; i > start; i -= 1) {
      const j = start + randomInt(i - start + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    start = end;
  }
  return out;
}
