/**
 * HTTP to the shop: base URL, auth header, JSON in and out, errors mapped from Laravel's shapes. Every
 * call goes through the shared HttpClient (timeout, rate limit, call counting, injected fetch).
 */
import { HttpClient, redactUrl, type HttpResponse } from '../../shared/http.js';
import { SyncError } from '../../shared/errors.js';
import { errorFromResponse, SYSTEM } from './errors.js';
import type { RestShopSettings } from './settings.js';

export type Query = Record<string, string | number | undefined>;

export interface JsonResponse {
  url: string;
  status: number;
  headers: Headers;
  body: unknown;
}

export class RestShopTransport {
  readonly http: HttpClient;
  private readonly base: URL;
  private readonly headers: Record<string, string>;

  constructor(
    readonly name: string,
    settings: RestShopSettings,
    fetchImpl?: typeof fetch,
    observe?: (method: string, url: string) => void,
  ) {
    this.base = new URL(settings.url.replace(/\/+$/, ''));
    this.http = HttpClient.fromSettings(SYSTEM, settings, { fetch: fetchImpl, observe });
    this.headers = { accept: 'application/json', ...authHeader(settings.auth) };
  }

  /** Absolute URL of a path under the base URL (or an absolute URL on the same origin, e.g. a `Link`). */
  url(pathOrUrl: string, query: Query = {}): string {
    let u: URL;
    if (/^https?:\/\//i.test(pathOrUrl)) {
      u = new URL(pathOrUrl);
      if (u.origin !== this.base.origin) {
        throw new SyncError('config', `the shop sent a link to another host (${u.origin}); Tandem only follows links on ${this.base.origin}`, {
          system: SYSTEM,
          hint: 'make the shop build pagination links from its own URL',
        });
      }
    } else {
      // A configured path may carry fixed parameters of its own: /goods?include=prices
      const [path = '', search = ''] = pathOrUrl.split('?', 2);
      u = new URL(this.base.toString());
      u.pathname = `${u.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
      for (const [k, v] of new URLSearchParams(search)) u.searchParams.set(k, v);
    }
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') u.searchParams.set(k, String(v));
    return u.toString();
  }

  /** Sends a request; returns any HTTP status (the caller decides what is an error). */
  async raw(method: string, pathOrUrl: string, opts: { query?: Query; body?: unknown; signal?: AbortSignal } = {}): Promise<HttpResponse & { url: string }> {
    const url = this.url(pathOrUrl, opts.query);
    const headers = opts.body === undefined ? this.headers : { ...this.headers, 'content-type': 'application/json' };
    const res = await this.http.request({
      method,
      url,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
    return { ...res, url };
  }

  /** Sends a request and parses the JSON answer; non-2xx → SyncError (Laravel shapes). */
  async json(method: string, pathOrUrl: string, opts: { query?: Query; body?: unknown; signal?: AbortSignal; entity?: string; record?: string } = {}): Promise<JsonResponse> {
    const res = await this.raw(method, pathOrUrl, opts);
    const where = `${method} ${redactUrl(res.url)}`;
    if (res.status < 200 || res.status >= 300) {
      throw errorFromResponse(res, { name: this.name, where, entity: opts.entity, record: opts.record });
    }
    return { url: res.url, status: res.status, headers: res.headers, body: parseJson(res.text, where) };
  }
}

export function parseJson(text: string, where: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const html = /^\s*</.test(text);
    throw new SyncError('config', `${where} did not answer JSON${html ? ' (got an HTML page)' : ''}: ${text.slice(0, 120)}`, {
      system: SYSTEM,
      hint: 'check systems.<name>.url: it must point at the shop\'s Tandem API base (e.g. https://shop.example.com/api/tandem), and the shop must answer Accept: application/json with JSON',
    });
  }
}

function authHeader(auth: RestShopSettings['auth']): Record<string, string> {
  switch (auth.type) {
    case 'bearer':
      return { authorization: `Bearer ${auth.token}` };
    case 'basic':
      return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
    case 'header':
      return { [auth.name.toLowerCase()]: auth.value };
  }
}
