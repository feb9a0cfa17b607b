/**
 * A seeded, fault-injecting HTTP proxy in front of any simulator: what a flaky network and an overloaded
 * system do to a client. Per request, from a PRNG seeded by `seed` (the same seed gives the same sequence
 * of decisions): a 5xx before the system sees the call, a 429 with Retry-After, a dropped connection before
 * the call, a lost reply AFTER the system executed the call (connection reset), or a reply held past the
 * client's timeout AFTER the system executed it. `setDown()` plays an outage: every connection refused
 * (reset) or answered 503 like a proxy whose upstream is gone. `counts` says what was injected.
 * With `keyed`, a decision depends on the request itself (method, path, body, how often that same request
 * came before) instead of its place in the arrival order, so the same seed gives the same call the same
 * fault however concurrent calls interleave.
 */
import { createHash } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultRates {
  /** 503 before the call reaches the system. */
  error5xx?: number;
  /** 429 with Retry-After: `retryAfterSeconds`. */
  rateLimit?: number;
  /** Connection reset before the call reaches the system. */
  drop?: number;
  /** The system executes the call, the reply is lost (connection reset). */
  lostReply?: number;
  /** The system executes the call, the reply is held `holdMs` (past the client's timeout), then dropped. */
  timeout?: number;
}

export interface FaultProxyOptions {
  seed?: number;
  rates?: FaultRates;
  retryAfterSeconds?: number;
  holdMs?: number;
  /** Only requests whose "METHOD path" matches are subject to faults (default: all). */
  only?: RegExp;
  /**
   * Decide per request identity: method + path + body (a JSON-RPC `id`, a client counter, left out) + the
   * number of earlier identical requests. Calls whose content depends on the clock (a cursor, a timestamp)
   * still differ between runs.
   */
  keyed?: boolean;
}

export type FaultKind = keyof FaultRates | 'down';

export interface FaultProxy {
  url: string;
  counts: Record<FaultKind | 'passed', number>;
  setRates(rates: FaultRates): void;
  setDown(mode: false | 'refuse' | '503'): void;
  close(): Promise<void>;
}

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS: Array<keyof FaultRates> = ['error5xx', 'rateLimit', 'drop', 'lostReply', 'timeout'];

export async function startFaultProxy(targetUrl: string, opts: FaultProxyOptions = {}): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const random = seededRandom(opts.seed ?? 1);
  let rates: FaultRates = { ...opts.rates };
  let down: false | 'refuse' | '503' = false;
  const counts = { error5xx: 0, rateLimit: 0, drop: 0, lostReply: 0, timeout: 0, down: 0, passed: 0 };
  const held = new Set<ServerResponse>();

  const seen = new Map<string, number>();
  const keyedRandom = (req: IncomingMessage, body: Buffer): number => {
    const key = `${req.method ?? 'GET'} ${req.url ?? ''} ${withoutRpcId(body)}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return createHash('sha256').update(`${opts.seed ?? 1}|${n}|${key}`).digest().readUInt32BE(0) / 4294967296;
  };

  const pick = (req: IncomingMessage, body: Buffer | null): keyof FaultRates | null => {
    if (opts.only && !opts.only.test(`${req.method ?? 'GET'} ${req.url ?? ''}`)) return null;
    const r = body ? keyedRandom(req, body) : random();
    let acc = 0;
    for (const k of KINDS) {
      acc += rates[k] ?? 0;
      if (r < acc) return k;
    }
    return null;
  };

  const forward = (req: IncomingMessage, res: ServerResponse, after: 'reply' | 'lose' | 'hold', body: Buffer | null) => {
    const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, (up) => {
      if (after === 'lose') {
        up.resume();
        up.on('end', () => res.socket?.destroy());
        return;
      }
      if (after === 'hold') {
        up.resume();
        held.add(res);
        up.on('end', () => setTimeout(() => (held.delete(res), res.socket?.destroy()), opts.holdMs ?? 5000).unref());
        return;
      }
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.socket?.destroy());
    if (body) upstream.end(body);
    else req.pipe(upstream);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer | null) => {
    if (down) {
      counts.down += 1;
      req.resume();
      if (down === 'refuse') res.socket?.destroy();
      else res.writeHead(503, { 'content-type': 'text/html', 'retry-after': '1' }).end('<h1>503 Service Unavailable</h1>');
      return;
    }
    const fault = pick(req, body);
    if (fault) counts[fault] += 1;
    else counts.passed += 1;
    switch (fault) {
      case 'error5xx':
        req.resume();
        res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>503 Service Unavailable</h1>');
        return;
      case 'rateLimit':
        req.resume();
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(opts.retryAfterSeconds ?? 1) }).end('{"message":"Too Many Requests"}');
        return;
      case 'drop':
        req.resume();
        res.socket?.destroy();
        return;
      case 'lostReply':
        return forward(req, res, 'lose', body);
      case 'timeout':
        return forward(req, res, 'hold', body);
      default:
        return forward(req, res, 'reply', body);
    }
  };
  const server: Server = createServer((req, res) => {
    if (!opts.keyed || down) return handle(req, res, null);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
    req.on('error', () => res.socket?.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname.replace(/\/$/, '')}`,
    counts,
    setRates(r) {
      rates = { ...r };
    },
    setDown(mode) {
      down = mode;
    },
    close() {
      for (const res of held) res.socket?.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The body as identity: a JSON-RPC envelope's `id` (a per-client counter) left out. */
function withoutRpcId(body: Buffer): string {
  const text = body.toString('utf8');
  if (!text.startsWith('{') || !text.includes('"jsonrpc"')) return text;
  try {
    const { id: _id, ...rest } = JSON.parse(text) as Record<string, unknown>;
    return JSON.stringify(rest);
  } catch {
    return text;
  }
}
