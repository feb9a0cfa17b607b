/**
 * The one HTTP helper connectors use: fetch (keep-alive by default in Node 20) with a timeout, an
 * optional rate limiter, and network failures turned into SyncErrors. Status codes are NOT interpreted
 * here: each connector maps its system's error shapes to SyncError kinds itself.
 */
import { SyncError } from './errors.js';
import type { RateLimiter } from './rate-limit.js';

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
  /** Injected for tests and the benchmark's call counting. */
  fetch?: typeof fetch;
}

export class HttpClient {
  /** Number of requests sent (for benchmarks: API calls used). */
  calls = 0;

  constructor(private readonly opts: HttpClientOptions) {}

  async request(req: HttpRequest): Promise<HttpResponse> {
    await this.opts.limiter?.take(req.signal);
    const timeout = AbortSignal.timeout(req.timeoutMs ?? this.opts.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    this.calls += 1;
    let res: Response;
    try {
      res = await (this.opts.fetch ?? fetch)(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal,
      });
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
  return new SyncError('network', `${where} failed: ${cause?.message ?? (err as Error).message}`, {
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
