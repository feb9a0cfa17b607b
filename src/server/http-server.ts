/**
 * The HTTP side of `tandem serve`: dispatches requests over a route table (routes.ts) — finds the route,
 * authenticates the caller, checks the route's role and the CSRF token of cookie sessions, runs the
 * handler, turns errors into statuses. No credential is read from the URL.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { BlockList } from 'node:net';
import type { Json } from '../connectors/contract.js';
import type { Engine } from '../engine/context.js';
import { SyncError, UsageError, toSyncError } from '../shared/errors.js';
import { BodyTooLarge, readBody } from './read-body.js';
import { authenticate } from './auth/authenticate.js';
import { clientInfo, trustedProxyList, type ClientInfo } from './auth/client-info.js';
import type { Principal } from './auth/principal.js';
import { allows } from './auth/roles.js';
import { clearedSessionCookie } from './auth/session-cookie.js';
import { HttpError, routeMatcher, type Reply, type RequestContext, type Route } from './route-table.js';
import { ROUTES } from './routes.js';

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
  /** Default: ROUTES (the main listener). */
  routes?: readonly Route[];
}

/** The largest JSON body of an API call (an edited dead letter payload, a login). */
const MAX_API_BODY_BYTES = 1024 * 1024;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

function send(res: ServerResponse, status: number, body: Json | string | Buffer, type = 'application/json', headers: Record<string, string | string[]> = {}): void {
  const text = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, ...headers });
  res.end(text);
}

function csrfMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

interface ServerState {
  engine: Engine;
  match: ReturnType<typeof routeMatcher>;
  proxies: BlockList;
  touched: Map<string, number>;
  pending: Set<Promise<unknown>>;
  streams: Set<ServerResponse>;
  ready: () => boolean;
}

function context(state: ServerState, req: IncomingMessage, url: URL, params: Record<string, string>, principal: Principal | null, client: ClientInfo): RequestContext {
  let body: Promise<Buffer> | undefined;
  const raw = (limit: number) => (body ??= readBody(req, limit));
  return {
    engine: state.engine,
    req,
    url,
    params,
    principal,
    client,
    raw,
    async json(limit = MAX_API_BODY_BYTES) {
      const buf = await raw(limit);
      if (buf.length === 0) return {};
      let value: unknown;
      try {
        value = JSON.parse(buf.toString('utf8'));
      } catch (e) {
        throw new HttpError(400, `the body is not valid JSON: ${(e as Error).message}`);
      }
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw new HttpError(400, 'the body must be a JSON object');
      return value as { [key: string]: Json };
    },
    ready: state.ready,
    background(work) {
      const p = work.catch(() => undefined).finally(() => state.pending.delete(p));
      state.pending.add(p);
    },
  };
}

async function dispatch(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { engine } = state;
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://localhost');
  const found = state.match(method, url.pathname);
  if (!found) return send(res, 404, { error: `no route ${method} ${url.pathname}` });
  if ('allowed' in found) return send(res, 405, { error: `${method} is not allowed on ${url.pathname}` }, 'application/json', { allow: found.allowed.join(', ') });
  const { route, params } = found;
  const client = clientInfo(req, state.proxies, engine.config.server.publicUrl);
  let principal: Principal | null = null;
  if (route.access !== 'public') {
    const who = await authenticate(engine, req, state.touched);
    if (who === null || who === 'invalid') {
      const headers: Record<string, string> = { 'www-authenticate': 'Bearer realm="tandem"' };
      if (who === 'invalid' && !req.headers.authorization) headers['set-cookie'] = clearedSessionCookie(client.secure);
      const error = who === 'invalid' ? 'the token is not valid, or the session has ended: sign in again' : 'sign in (POST /api/session) or send Authorization: Bearer <API token> (tandem token create)';
      return send(res, 401, { error }, 'application/json', headers);
    }
    if (!allows(who.role, route.access)) return send(res, 403, { error: `${method} ${route.path} needs the ${route.access} role; ${who.kind === 'session' ? 'user' : 'token'} "${who.name}" is ${who.role}` });
    if (who.session && !SAFE_METHODS.has(method) && !csrfMatches(req.headers['x-csrf-token'], who.session.csrfToken)) {
      engine.log.warn({ path: url.pathname, user: who.name, ip: client.ip }, 'request refused: missing or wrong CSRF token');
      return send(res, 403, { error: 'missing or wrong x-csrf-token header: send the csrfToken of GET /api/session with every change' });
    }
    principal = who;
  }
  const reply: Reply = await route.handler(context(state, req, url, params, principal, client));
  if (reply.stream) {
    res.writeHead(reply.status ?? 200, { ...SECURITY_HEADERS, 'content-type': reply.type ?? 'text/event-stream', ...reply.headers });
    state.streams.add(res);
    res.on('close', () => state.streams.delete(res));
    return reply.stream(res);
  }
  send(res, reply.status ?? 200, reply.body, reply.type ?? 'application/json', reply.headers ?? {});
}

function failure(e: unknown): { status: number; error: string; headers: Record<string, string>; log: boolean } {
  if (e instanceof HttpError) return { status: e.status, error: e.message, headers: e.headers, log: false };
  if (e instanceof BodyTooLarge) return { status: 413, error: e.message, headers: { connection: 'close' }, log: false };
  if (e instanceof UsageError) return { status: 400, error: e.message, headers: {}, log: false };
  if (e instanceof SyncError && ['not_found', 'invalid_data', 'mapping', 'conflict'].includes(e.kind)) {
    return { status: e.kind === 'not_found' ? 404 : e.kind === 'conflict' ? 409 : 400, error: e.describe(), headers: {}, log: false };
  }
  return { status: 500, error: 'internal error: see the server log', headers: {}, log: true };
}

export async function startHttpServer(engine: Engine, opts: ServerOptions = {}): Promise<HttpServer> {
  const state: ServerState = {
    engine,
    match: routeMatcher(opts.routes ?? ROUTES),
    proxies: trustedProxyList(engine.config.server.trustedProxies),
    touched: new Map(),
    pending: new Set(),
    streams: new Set(),
    ready: opts.ready ?? (() => true),
  };
  const server = createServer((req, res) => {
    dispatch(state, req, res).catch((e: unknown) => {
      const f = failure(e);
      if (f.log) engine.log.error({ err: toSyncError(e).toJSON(), path: req.url?.split('?')[0] }, 'request failed');
      if (!res.headersSent) send(res, f.status, { error: f.error }, 'application/json', f.headers);
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
    close: async () => {
      for (const s of state.streams) s.end();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await Promise.all([...state.pending]);
    },
  };
}
