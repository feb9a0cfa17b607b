/**
 * The one HTTP helper connectors use: keep-alive requests with a timeout, an optional rate limiter, and
 * network failures turned into SyncErrors. Status codes are NOT interpreted here: each connector maps its
 * system's error shapes to SyncError kinds itself.
 *
 * Requests go through node:http(s) with keep-alive agents: about a fifth of the CPU of the global fetch per
 * request (measured here: 0.12 vs 0.68 ms), which is most of Tandem's own cost when it moves data in batches.
 * An injected `fetch` (tests, fault injection) is used instead when given.
 */
import http from 'node:http';
import https from 'node:https';
import { SyncError } from './errors.js';
import { RateLimiter } from './rate-limit.js';
import { parseInterval } from './interval.js';
import { AdaptiveLimit, DEFAULT_CONCURRENCY, outcomeOfStatus, type ConcurrencySetting, type Permit } from './adaptive-limit.js';

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

export interface HttpClientOptions {
  system: string;
  timeoutMs: number;
  limiter?: RateLimiter;
  /** Requests in flight to the system at once (adaptive or fixed): requests beyond it wait their turn. */
  concurrency?: AdaptiveLimit;
  /** Injected for tests and fault injection; default: node:http(s) with keep-alive. */
  fetch?: typeof fetch;
  /** Told about every request sent (benchmarks count API calls by method). */
  observe?: (method: string, url: string) => void;
}

const AGENTS = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
};
const MAX_REDIRECTS = 3;

/**
 * How a request in flight is stopped: by the timeout (a plain timer, cleared when the request ends) or the
 * caller's signal. Requests do not get an AbortSignal of their own: AbortSignal.timeout() and the signal
 * option of http.request cost about a third of the CPU of a keep-alive request (measured: ~115 → ~75 µs).
 */
interface Cancel {
  /** Set once the request is cancelled. */
  reason?: Error;
  /** Stops the current hop (set by nodeRequest). */
  stop?: (reason: Error) => void;
}

function cancel(c: Cancel, reason: Error): void {
  if (c.reason) return;
  c.reason = reason;
  c.stop?.(reason);
}

function abortError(reason: unknown): Error {
  const e = new Error('The operation was aborted', { cause: reason });
  e.name = 'AbortError';
  (e as NodeJS.ErrnoException).code = 'ABORT_ERR';
  return e;
}

function nodeRequest(req: HttpRequest, c: Cancel, redirects = 0): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    if (c.reason) return reject(c.reason);
    const url = new URL(req.url);
    const mod = url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    const r = mod.request(url, { method: req.method, headers, agent: AGENTS[url.protocol as 'http:' | 'https:'] }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      // like fetch: follow redirects of reads (a site moved to https); writes are never replayed elsewhere
      if (location && status >= 300 && status < 400 && (req.method === 'GET' || req.method === 'HEAD') && redirects < MAX_REDIRECTS) {
        res.resume();
        resolve(nodeRequest({ ...req, url: new URL(location, url).toString() }, c, redirects + 1));
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        // built when asked for: most callers only read the status and the body
        let h: Headers | undefined;
        const raw = res.headers;
        resolve({
          status,
          get headers() {
            if (!h) {
              h = new Headers();
              for (const [k, v] of Object.entries(raw)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
            }
            return h;
          },
          text: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    c.stop = (reason) => {
      r.destroy(reason);
      reject(reason);
    };
    r.on('error', reject);
    r.end(req.body);
  });
}

export class HttpClient {
  /** Number of requests sent (for benchmarks: API calls used). */
  calls = 0;

  constructor(private readonly opts: HttpClientOptions) {}

  /** A client from a system's `timeout`, `rateLimit` and `concurrency` settings (tandem.yaml) and the connector deps. */
  static fromSettings(system: string, settings: { timeout: string; rateLimit?: { perSecond: number; burst?: number }; concurrency?: ConcurrencySetting }, deps: Pick<HttpClientOptions, 'fetch' | 'observe'> = {}): HttpClient {
    return new HttpClient({
      system,
      timeoutMs: parseInterval(settings.timeout) ?? 30_000,
      ...(settings.rateLimit && { limiter: new RateLimiter(settings.rateLimit.perSecond, settings.rateLimit.burst) }),
      concurrency: concurrencyLimit(system, settings.concurrency),
      ...deps,
    });
  }

  /** The adaptive limit of requests in flight (undefined: none). */
  get concurrency(): AdaptiveLimit | undefined {
    return this.opts.concurrency;
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    await this.opts.limiter?.take(req.signal);
    const permit = await this.opts.concurrency?.acquire(req.signal);
    if (!permit) return this.send(req);
    let res: HttpResponse;
    try {
      res = await this.send(req);
    } catch (err) {
      // a timeout is the system overloaded; a refused connection or a reset says nothing about its load
      permit.release(err instanceof SyncError && err.code === 'timeout' ? 'overload' : 'ignore');
      throw err;
    }
    release(permit, res);
    return res;
  }

  private async send(req: HttpRequest): Promise<HttpResponse> {
    const timeoutMs = req.timeoutMs ?? this.opts.timeoutMs;
    this.calls += 1;
    this.opts.observe?.(req.method, req.url);
    if (!this.opts.fetch) {
      const c: Cancel = {};
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        cancel(c, new Error(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const onAbort = () => cancel(c, abortError(req.signal?.reason));
      if (req.signal?.aborted) onAbort();
      else req.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        return await nodeRequest(req, c);
      } catch (err) {
        throw networkError(this.opts.system, req, err, timedOut);
      } finally {
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
      }
    }
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await this.opts.fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal });
    } catch (err) {
      throw networkError(this.opts.system, req, err, timeout.aborted);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw networkError(this.opts.system, req, err, timeout.aborted);
    }
    return { status: res.status, headers: res.headers, text };
  }
}

function release(permit: Permit, res: HttpResponse): void {
  const waitMs = res.status === 429 || res.status === 503 ? parseRetryAfter(res.headers.get('retry-after')) : undefined;
  permit.release(outcomeOfStatus(res.status), waitMs !== undefined ? { retryAfterMs: waitMs } : {});
}

/**
 * The limit of a system's `concurrency` setting: a number is a fixed limit; {min, max} or nothing is
 * adaptive (DEFAULT_CONCURRENCY when not set).
 */
export function concurrencyLimit(system: string, setting: ConcurrencySetting | undefined): AdaptiveLimit {
  if (typeof setting === 'number') return new AdaptiveLimit({ system, min: setting, max: setting, initial: setting });
  const min = setting?.min ?? DEFAULT_CONCURRENCY.min;
  const max = setting?.max ?? DEFAULT_CONCURRENCY.max;
  return new AdaptiveLimit({ system, min, max, initial: setting?.initial ?? Math.min(max, Math.max(min, DEFAULT_CONCURRENCY.initial)) });
}

function networkError(system: string, req: HttpRequest, err: unknown, timedOut: boolean): SyncError {
  const where = `${req.method} ${redactUrl(req.url)}`;
  if (timedOut) {
    return new SyncError('unavailable', `${where} timed out after ${req.timeoutMs ?? 'the configured'} ms`, {
      system,
      code: 'timeout',
      hint: 'the server is slow or down; Tandem retries with backoff',
      cause: err,
    });
  }
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (err as { code?: string }).code;
  // the query (OAuth parameters, filters) says nothing about why a server cannot be reached
  return new SyncError('network', `${req.method} ${redactUrl(req.url).split('?')[0]} failed: ${cause?.message ?? (err as Error).message}`, {
    system,
    code,
    hint: 'check the URL and that the server is reachable from this machine',
    cause: err,
  });
}

/** Removes credentials from a URL before it is logged or put in an error message. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = u.username ? '***' : '';
      u.password = u.password ? '***' : '';
    }
    for (const k of [...u.searchParams.keys()]) {
      if (/key|secret|token|password|signature/i.test(k)) u.searchParams.set(k, '***');
    }
    return u.toString();
  } catch {
    return url;
  }
}

/** Retry-After as milliseconds: seconds ("120") or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Maps an HTTP status without a more specific meaning to a SyncError kind. */
export function kindForStatus(status: number): SyncError['kind'] {
  if (status === 401) return 'auth';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status === 408 || status >= 500) return 'unavailable';
  return 'invalid_data';
}
