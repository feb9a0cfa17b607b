/**
 * The one transport to the WooCommerce REST API v3: Basic auth over https, OAuth 1.0a (HMAC-SHA256,
 * parameters in the query string, signed with the `oauth-1.0a` library) over plain http; JSON in and
 * out; pagination by X-WP-TotalPages / Link; error mapping.
 *
 * Why fetch + oauth-1.0a and not the official `@woocommerce/woocommerce-rest-api` client (axios):
 * the official client has no per-request AbortSignal, bypasses the shared HttpClient (timeouts,
 * rate limiter, network errors as SyncError, injected fetch for call counting and fault injection)
 * and its CommonJS default export needs interop shims under ESM. We sign exactly as it does: the
 * same library, HMAC-SHA256, oauth_* parameters appended to the query string. `deps.fetch` is used.
 */
import { createHmac, randomBytes } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { HttpClient, redactUrl } from '../../shared/http.js';
import type { HttpResponse } from '../../shared/http.js';
import type { Logger } from '../../shared/log.js';
import { SYSTEM, errorFromStatus, errorFromWoo, isWooError } from './errors.js';
import type { WooCommerceSettings } from './settings.js';

export type Query = Record<string, string | number | boolean | undefined>;

export interface WooResponse<T = unknown> {
  status: number;
  headers: Headers;
  data: T;
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  entity?: string;
  record?: string;
}

export const MAX_PER_PAGE = 100;

export interface WooPage<T> {
  items: T[];
  /** X-WP-Total: records matching the query when this page was read. */
  total: number | undefined;
  /** The server's Date header (epoch ms, whole seconds), null when absent. */
  serverTime: number | null;
  /** No page follows. */
  last: boolean;
}

interface PageAnswer<T> {
  page: WooPage<T>;
  /** X-WP-TotalPages of this answer. */
  totalPages: number | undefined;
  hasNext: boolean;
}

export class WooTransport {
  private readonly http: HttpClient;
  private readonly base: string;
  private readonly mode: 'basic' | 'oauth1';
  private readonly oauth: OAuth;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly settings: Pick<WooCommerceSettings, 'url' | 'consumerKey' | 'consumerSecret' | 'auth' | 'timeout' | 'rateLimit' | 'concurrency'>,
    log: Logger,
    fetchImpl?: typeof fetch,
    observe?: (method: string, url: string) => void,
  ) {
    this.base = `${settings.url.replace(/\/+$/, '')}/wp-json/wc/v3`;
    const https = /^https:/i.test(settings.url);
    this.mode = settings.auth === 'oauth1' ? 'oauth1' : settings.auth === 'basic' || https ? 'basic' : 'oauth1';
    this.http = HttpClient.fromSettings(SYSTEM, settings, { fetch: fetchImpl, observe });
    this.oauth = new OAuth({
      consumer: { key: settings.consumerKey, secret: settings.consumerSecret },
      signature_method: 'HMAC-SHA256',
      hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
    });
    // The library's nonce uses Math.random; a nonce must not be guessable.
    this.oauth.getNonce = () => randomBytes(16).toString('hex');
    this.headers = { accept: 'application/json' };
    if (this.mode === 'basic') {
      this.headers.authorization = `Basic ${Buffer.from(`${settings.consumerKey}:${settings.consumerSecret}`).toString('base64')}`;
      if (!https) {
        // WooCommerce accepts Basic auth only on a request it believes is https (is_ssl()).
        this.headers['x-forwarded-proto'] = 'https';
        if (!/^http:\/\/(127\.|localhost|\[::1\])/i.test(settings.url)) log.warn({ url: settings.url }, 'WooCommerce Basic auth over plain http: credentials are sent in clear');
      }
    }
  }

  /** HTTP requests sent so far (benchmarks: API calls used). */
  get calls(): number {
    return this.http.calls;
  }

  get authMode(): 'basic' | 'oauth1' {
    return this.mode;
  }

  private url(method: string, path: string, query: Query = {}): string {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
    const url = `${this.base}/${path.replace(/^\/+/, '')}${parts.length ? `?${parts.join('&')}` : ''}`;
    if (this.mode === 'basic') return url;
    const signed = this.oauth.authorize({ url, method });
    const oauthParams = Object.entries(signed).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
    return `${url}${parts.length ? '&' : '?'}${oauthParams.join('&')}`;
  }

  /** Sends a request; non-2xx → SyncError with Woo's code and message. */
  async request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<WooResponse<T>> {
    const res = await this.raw(method, path, opts);
    const where = `${method} ${path}`;
    const data = parseJson(res.text);
    if (res.status < 200 || res.status >= 300) {
      const retryAfter = res.headers.get('retry-after');
      throw isWooError(data) ? errorFromWoo(data, res.status, { where, entity: opts.entity, record: opts.record, retryAfter }) : errorFromStatus(res.status, res.text, { where, retryAfter });
    }
    if (data === undefined) throw errorFromStatus(502, `not JSON: ${res.text.slice(0, 120)}`, { where });
    return { status: res.status, headers: res.headers, data: data as T };
  }

  async raw(method: string, path: string, opts: RequestOptions = {}): Promise<HttpResponse> {
    const headers = opts.body === undefined ? this.headers : { ...this.headers, 'content-type': 'application/json' };
    return this.http.request({
      method,
      url: this.url(method, path, opts.query),
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  }

  /**
   * Every page of a collection (per_page ≤ 100), following X-WP-TotalPages / Link rel="next", handed out in
   * page order. `concurrency` > 1 (only for a listing in a total order, e.g. `orderby=id`): page 1 is read
   * alone (its X-WP-TotalPages says how many pages there are), then up to `concurrency` pages are in flight
   * at once — never past the highest X-WP-TotalPages any answer gave (a set that grows is followed page by
   * page as its answers announce more), each request still through the HttpClient's adaptive limit of this
   * system. Every page carries its own X-WP-Total: a caller comparing each page's total with the page before
   * it (in page order, as handed out) sees a record that left the set between those two pages whichever was
   * read first (id-pages.ts). A page read ahead that fails fails when its turn comes; pages still in flight
   * when the caller stops are aborted.
   */
  async *pages<T>(path: string, query: Query = {}, opts: { signal?: AbortSignal; perPage?: number; entity?: string; concurrency?: number } = {}): AsyncGenerator<WooPage<T>> {
    const perPage = Math.min(Math.max(opts.perPage ?? MAX_PER_PAGE, 1), MAX_PER_PAGE);
    const ahead = Math.max(1, Math.floor(opts.concurrency ?? 1));
    // requests read ahead stop when the caller stops (or when the caller's own signal aborts)
    const stop = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
    const inFlight = new Map<number, Promise<PageAnswer<T>>>();
    const get = (page: number): Promise<PageAnswer<T>> => {
      let p = inFlight.get(page);
      if (!p) {
        p = this.page<T>(path, query, perPage, page, signal, opts.entity);
        p.catch(() => undefined); // surfaces when its turn comes; not an unhandled rejection meanwhile
        inFlight.set(page, p);
      }
      return p;
    };
    let known = 1;
    try {
      for (let page = 1; ; page += 1) {
        if (page > 1) for (let next = page; next < page + ahead && next <= known; next += 1) get(next);
        const answer = await get(page);
        inFlight.delete(page);
        if (answer.totalPages !== undefined) known = Math.max(known, answer.totalPages);
        const last = !answer.hasNext || answer.page.items.length === 0;
        yield { ...answer.page, last };
        if (last) return;
        known = Math.max(known, page + 1);
      }
    } finally {
      if (inFlight.size) stop.abort(new Error('the caller stopped reading pages'));
    }
  }

  private async page<T>(path: string, query: Query, perPage: number, page: number, signal: AbortSignal, entity: string | undefined): Promise<PageAnswer<T>> {
    const res = await this.request<T[]>('GET', path, { query: { ...query, per_page: perPage, page }, signal, entity });
    const items = Array.isArray(res.data) ? res.data : [];
    const totalHeader = res.headers.get('x-wp-total');
    const totalPages = Number(res.headers.get('x-wp-totalpages') ?? NaN);
    const hasNext = /rel="next"/.test(res.headers.get('link') ?? '') || (Number.isFinite(totalPages) && page < totalPages);
    const date = Date.parse(res.headers.get('date') ?? '');
    return {
      page: { items, total: totalHeader === null ? undefined : Number(totalHeader), serverTime: Number.isNaN(date) ? null : date, last: !hasNext || items.length === 0 },
      totalPages: Number.isFinite(totalPages) ? totalPages : undefined,
      hasNext,
    };
  }

  describe(path: string): string {
    return redactUrl(`${this.base}/${path}`);
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // PHP notices printed before the JSON (a common misconfiguration): parse from the first bracket.
    const i = text.search(/[[{]/);
    if (i > 0) {
      try {
        return JSON.parse(text.slice(i));
      } catch {
        return undefined;
      }
    }
    return undefined;
  }
}
