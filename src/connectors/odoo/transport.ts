/**
 * The Odoo transport: JSON-RPC (`/jsonrpc`, execute_kw; Odoo 16–18, deprecated in 19) and JSON-2
 * (`/json/2/<model>/<method>`, bearer API key, named arguments; 19+) behind ONE function, `call`.
 *
 * Callers always name their arguments ({ids, kwargs: {domain, fields…}, context}); for JSON-RPC the few
 * arguments Odoo's own clients pass by position (the recorded traffic) are moved into `args`, the rest stays
 * in kwargs — JSON-2 gets everything by name, never a JSON array (19 silently ignores an array body).
 *
 * Keep-alive: the shared HttpClient's agents pool and reuse connections per origin. Request ids are a process-wide
 * counter seeded from node:crypto, so two transports never share an id.
 */
import { randomInt } from 'node:crypto';
import type { Json } from '../contract.js';
import { HttpClient, type HttpResponse } from '../../shared/http.js';
import type { RateLimiter } from '../../shared/rate-limit.js';
import type { AdaptiveLimit } from '../../shared/adaptive-limit.js';
import type { Logger } from '../../shared/log.js';
import { SyncError } from '../../shared/errors.js';
import { faultToSyncError, httpFault, SYSTEM, type FaultContext } from './errors.js';
import { parseMajor, traitsFor } from './versions.js';

export interface OdooTransportOptions {
  url: string;
  db?: string;
  user: string;
  apiKey: string;
  protocol: 'auto' | 'jsonrpc' | 'json2';
  version: 'auto' | '16' | '17' | '18' | '19';
  company?: number;
  lang: string;
  tz: string;
  timeoutMs: number;
  limiter?: RateLimiter;
  /** Requests in flight at once (HttpClient). */
  concurrency?: AdaptiveLimit;
  fetch?: typeof fetch;
  observe?: (method: string, url: string) => void;
  log?: Logger;
}

export interface CallOptions {
  /** Record ids for record methods (write, read, action_*); omit for model methods (create, search_read). */
  ids?: number[];
  /** Named arguments, in the method's parameter order for the positional ones. */
  kwargs?: Record<string, Json>;
  /** Merged over the connector's base context (lang, tz, allowed_company_ids). */
  context?: Record<string, Json>;
  signal?: AbortSignal;
}

export interface ServerInfo {
  major: number;
  version: string;
  protocol: 'jsonrpc' | 'json2';
}

/** Arguments passed by position over JSON-RPC, as Odoo's own clients (and the recordings) do. */
const POSITIONAL: Record<string, string[]> = {
  create: ['vals_list'],
  write: ['vals'],
  read: ['fields'],
  search: ['domain'],
  search_read: ['domain'],
  search_count: ['domain'],
  name_search: ['name'],
  read_group: ['domain', 'fields', 'groupby'],
  check_access_rights: ['operation'],
  has_access: ['operation'],
};

let nextRequestId = randomInt(1, 2 ** 31);
function requestId(): number {
  nextRequestId = nextRequestId >= Number.MAX_SAFE_INTEGER ? 1 : nextRequestId + 1;
  return nextRequestId;
}

export function toJsonRpcArgs(method: string, opts: CallOptions): { args: Json[]; kwargs: Record<string, Json> } {
  const kwargs: Record<string, Json> = { ...(opts.kwargs ?? {}) };
  const args: Json[] = opts.ids !== undefined ? [opts.ids] : [];
  for (const name of POSITIONAL[method] ?? []) {
    if (!(name in kwargs)) break;
    args.push(kwargs[name] as Json);
    delete kwargs[name];
  }
  return { args, kwargs };
}

export class OdooTransport {
  readonly http: HttpClient;
  private readonly base: string;
  private serverInfo?: Promise<ServerInfo>;
  private uidPromise?: Promise<number>;
  private dbName?: string;

  constructor(private readonly o: OdooTransportOptions) {
    this.http = new HttpClient({ system: SYSTEM, timeoutMs: o.timeoutMs, limiter: o.limiter, concurrency: o.concurrency, fetch: o.fetch, observe: o.observe });
    this.base = o.url.replace(/\/+$/, '');
    this.dbName = o.db;
  }

  /** API calls sent so far (benchmarks). */
  get calls(): number {
    return this.http.calls;
  }

  get user(): string {
    return this.o.user;
  }

  /** Version and protocol; detected once (GET /web/version, else common.version), or taken from settings. */
  server(): Promise<ServerInfo> {
    if (!this.serverInfo) {
      this.serverInfo = this.detect();
      this.serverInfo.catch(() => (this.serverInfo = undefined));
    }
    return this.serverInfo;
  }

  private async detect(): Promise<ServerInfo> {
    const pick = (major: number, version: string): ServerInfo => ({
      major,
      version,
      protocol: this.o.protocol === 'auto' ? traitsFor(major).protocol : this.o.protocol,
    });
    if (this.o.version !== 'auto') return pick(Number(this.o.version), this.o.version);
    if (this.o.protocol !== 'jsonrpc') {
      const res = await this.http.request({ method: 'GET', url: `${this.base}/web/version` });
      if (res.status === 200) {
        const body = tryJson(res.text) as { version_info?: unknown; version?: string } | undefined;
        const major = parseMajor(body?.version_info) ?? parseMajor(body?.version);
        if (major !== null) return pick(major, body?.version ?? String(major));
      }
    }
    const v = (await this.rpc('common', 'version', [])) as { server_version?: string; server_version_info?: unknown } | null;
    const major = parseMajor(v?.server_version_info) ?? parseMajor(v?.server_version);
    if (major === null) {
      throw new SyncError('unavailable', `could not read the Odoo version from ${this.base}`, { system: SYSTEM, hint: 'is this URL an Odoo server?' });
    }
    return pick(major, v?.server_version ?? String(major));
  }

  /** Database name: from settings, or the only database the server lists (JSON-RPC needs one). */
  async db(): Promise<string> {
    if (this.dbName) return this.dbName;
    const list = (await this.rpc('db', 'list', [])) as string[] | null;
    if (Array.isArray(list) && list.length === 1 && typeof list[0] === 'string') {
      this.dbName = list[0];
      return this.dbName;
    }
    throw new SyncError('config', `the Odoo server has ${Array.isArray(list) ? list.length : 'an unknown number of'} databases and no \`db\` is set`, {
      system: SYSTEM,
      hint: `set db in tandem.yaml${Array.isArray(list) && list.length ? ` (one of: ${list.join(', ')})` : ''}`,
    });
  }

  /** The uid of the integration user (JSON-RPC authenticate, or JSON-2 context_get). Auth failure → kind 'auth'. */
  uid(): Promise<number> {
    if (!this.uidPromise) {
      this.uidPromise = this.login();
      this.uidPromise.catch(() => (this.uidPromise = undefined));
    }
    return this.uidPromise;
  }

  private async login(): Promise<number> {
    const info = await this.server();
    if (info.protocol === 'json2') {
      const ctx = await this.call<{ uid?: number }>('res.users', 'context_get', {});
      if (typeof ctx?.uid !== 'number') throw new SyncError('auth', 'Odoo did not say which user the API key belongs to', { system: SYSTEM });
      return ctx.uid;
    }
    const db = await this.db();
    const uid = await this.rpc('common', 'authenticate', [db, this.o.user, this.o.apiKey, {}]);
    if (typeof uid !== 'number' || uid <= 0) {
      throw new SyncError('auth', `Odoo refused the login "${this.o.user}" on database "${db}" (wrong login or API key, or the key expired)`, {
        system: SYSTEM,
        code: 'odoo.exceptions.AccessDenied',
        hint: 'check user and apiKey in tandem.yaml; create a new API key in Odoo under Preferences → Account Security',
      });
    }
    return uid;
  }

  baseContext(): Record<string, Json> {
    const ctx: Record<string, Json> = { lang: this.o.lang, tz: this.o.tz };
    if (this.o.company !== undefined) ctx.allowed_company_ids = [this.o.company];
    return ctx;
  }

  /** Calls `model.method` with named arguments on whichever protocol the server speaks. */
  async call<T = Json>(model: string, method: string, opts: CallOptions = {}): Promise<T> {
    const info = await this.server();
    const context = { ...this.baseContext(), ...(opts.context ?? {}) };
    const started = performance.now();
    try {
      if (info.protocol === 'json2') return (await this.json2(model, method, opts, context)) as T;
      const [db, uid] = [await this.db(), await this.uid()];
      const { args, kwargs } = toJsonRpcArgs(method, opts);
      kwargs.context = context;
      return (await this.rpc('object', 'execute_kw', [db, uid, this.o.apiKey, model, method, args, kwargs], { model, method }, opts.signal)) as T;
    } finally {
      this.o.log?.debug({ model, method, ms: Math.round(performance.now() - started) }, 'odoo call');
    }
  }

  private async json2(model: string, method: string, opts: CallOptions, context: Record<string, Json>): Promise<Json> {
    const body: Record<string, Json> = { ...(opts.kwargs ?? {}), context };
    if (opts.ids !== undefined) body.ids = opts.ids;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      Authorization: `bearer ${this.o.apiKey}`,
    };
    if (this.dbName) headers['X-Odoo-Database'] = this.dbName;
    const res = await this.http.request({
      method: 'POST',
      url: `${this.base}/json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`,
      headers,
      body: JSON.stringify(body),
      signal: opts.signal,
    });
    return parseJson2(res, { model, method, user: this.o.user });
  }

  /** One JSON-RPC call to a service (common, db, object). */
  async rpc(service: string, method: string, args: Json[], ctx: FaultContext = {}, signal?: AbortSignal): Promise<Json> {
    const id = requestId();
    const res = await this.http.request({
      method: 'POST',
      url: `${this.base}/jsonrpc`,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id }),
      signal,
    });
    return parseJsonRpc(res, id, { ...ctx, user: this.o.user });
  }
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** JSON-RPC envelope → result. A response without `result` is a valid None (→ null). */
export function parseJsonRpc(res: HttpResponse, id: number | string | null, ctx: FaultContext = {}): Json {
  const body = tryJson(res.text) as { id?: unknown; result?: Json; error?: { code?: number; message?: string; data?: { name?: string; message?: string } } } | undefined;
  if (res.status !== 200 || body === undefined || body === null || typeof body !== 'object') {
    throw faultToSyncError(httpFault(res.status, res.text, res.headers.get('retry-after')), ctx);
  }
  if (body.error) {
    throw faultToSyncError(
      {
        name: body.error.data?.name,
        message: body.error.data?.message ?? body.error.message,
        rpcCode: body.error.code,
        status: res.status,
      },
      ctx,
    );
  }
  if (id !== null && body.id !== undefined && body.id !== id) {
    throw new SyncError('unavailable', `Odoo answered request ${String(body.id)} instead of ${id}`, { system: SYSTEM });
  }
  return 'result' in body ? (body.result as Json) : null;
}

/** JSON-2 response → result (the bare JSON value, `null` for None), or the mapped error. */
export function parseJson2(res: HttpResponse, ctx: FaultContext = {}): Json {
  const parsed = res.text.trim() === '' ? null : tryJson(res.text);
  if (res.status >= 200 && res.status < 300) {
    if (parsed === undefined) throw new SyncError('unavailable', `Odoo sent a body that is not JSON (HTTP ${res.status})`, { system: SYSTEM });
    return parsed as Json;
  }
  const err = parsed as { name?: string; message?: string } | undefined;
  if (err && typeof err === 'object' && typeof err.name === 'string') {
    throw faultToSyncError({ name: err.name, message: err.message, status: res.status, retryAfter: res.headers.get('retry-after') }, ctx);
  }
  throw faultToSyncError(httpFault(res.status, res.text, res.headers.get('retry-after')), ctx);
}
