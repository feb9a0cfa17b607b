/**
 * The HTTP side of `tandem serve`: webhook endpoints per system, /healthz, /readyz, /metrics, and the
 * dashboard with its small API. Routing and I/O only; the work is in intake.ts / api.ts and the engine.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { MAX_WEBHOOK_BODY_BYTES, type Json } from '../connectors/contract.js';
import type { Engine } from '../engine/context.js';
import { toSyncError } from '../shared/errors.js';
import { intakeWebhook } from './intake.js';
import { BodyTooLarge, readBody } from './read-body.js';
import * as api from './api.js';
import { DASHBOARD_HTML } from './dashboard.js';

export interface HttpServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  host?: string;
  port?: number;
  /** Reports whether the worker is running, for /readyz. */
  ready?: () => boolean;
}

function send(res: ServerResponse, status: number, body: Json | string, type = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(text);
}

function authorized(engine: Engine, req: IncomingMessage, url: URL): boolean {
  const token = engine.config.server.apiToken;
  if (!token) return true;
  const given = (req.headers.authorization ?? '').replace(/^bearer\s+/i, '') || url.searchParams.get('token') || '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function route(engine: Engine, opts: ServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  const webhook = /^\/webhooks\/([a-z][a-z0-9_-]*)\/?$/.exec(path);
  if (webhook && req.method === 'POST') {
    let body: Buffer;
    try {
      body = await readBody(req, MAX_WEBHOOK_BODY_BYTES);
    } catch (e) {
      if (e instanceof BodyTooLarge) {
        engine.metrics.webhooks.inc({ system: webhook[1] as string, result: 'rejected_413' });
        engine.log.warn({ system: webhook[1], limit: e.limit }, 'webhook rejected: body too large');
        res.setHeader('connection', 'close');
        return send(res, 413, { error: `body larger than ${MAX_WEBHOOK_BODY_BYTES} bytes` });
      }
      throw e;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    const r = await intakeWebhook(engine, webhook[1] as string, { method: 'POST', path, headers, body, receivedAt: new Date() });
    return send(res, r.status, r.body);
  }
  if (req.method === 'GET' && path === '/healthz') return send(res, 200, { ok: true });
  if (req.method === 'GET' && path === '/readyz') {
    try {
      await sql`select 1`.execute(engine.store.db);
    } catch (e) {
      return send(res, 503, { ok: false, reason: `store unreachable: ${(e as Error).message}` });
    }
    if (opts.ready && !opts.ready()) return send(res, 503, { ok: false, reason: 'worker not running' });
    return send(res, 200, { ok: true });
  }
  if (req.method === 'GET' && path === '/metrics') {
    const counts = await engine.queue.counts();
    for (const [state, n] of Object.entries(counts)) engine.metrics.jobs.set({ state }, n);
    return send(res, 200, await engine.metrics.registry.metrics(), engine.metrics.registry.contentType);
  }
  if (req.method === 'GET' && (path === '/' || path === '/dashboard')) return send(res, 200, DASHBOARD_HTML, 'text/html; charset=utf-8');
  if (path.startsWith('/api/')) {
    if (!authorized(engine, req, url)) return send(res, 401, { error: 'missing or wrong API token (Authorization: Bearer <server.apiToken>)' });
    if (req.method === 'GET' && path === '/api/status') return send(res, 200, await api.status(engine));
    if (req.method === 'GET' && path === '/api/dead-letters') return send(res, 200, await api.deadLetters(engine));
    const dl = /^\/api\/dead-letters\/(\d+)\/(replay|discard)$/.exec(path);
    if (dl && req.method === 'POST') {
      const body = await readBody(req, MAX_WEBHOOK_BODY_BYTES);
      const payload = body.length ? (JSON.parse(body.toString('utf8')) as { payload?: Json }).payload : undefined;
      return send(res, 200, dl[2] === 'replay' ? await api.replay(engine, dl[1] as string, payload) : await api.discard(engine, dl[1] as string));
    }
    const tr = /^\/api\/orders\/([^/]+)\/trace$/.exec(path);
    if (tr && req.method === 'GET') return send(res, 200, await api.trace(engine, decodeURIComponent(tr[1] as string)));
  }
  return send(res, 404, { error: `no route ${req.method} ${path}` });
}

export async function startHttpServer(engine: Engine, opts: ServerOptions = {}): Promise<HttpServer> {
  const server = createServer((req, res) => {
    route(engine, opts, req, res).catch((e: unknown) => {
      const err = toSyncError(e);
      engine.log.error({ err: err.toJSON(), path: req.url }, 'request failed');
      if (!res.headersSent) send(res, err.kind === 'invalid_data' || err.kind === 'not_found' ? (err.kind === 'not_found' ? 404 : 400) : 500, { error: err.describe() });
      else res.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? engine.config.server.port, opts.host ?? engine.config.server.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return {
    server,
    url: `http://${addr.address.includes(':') ? `[${addr.address}]` : addr.address}:${addr.port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    }),
  };
}
