/** HTTP front of the simulator: base path, bearer auth, fault injection, JSON in/out, Laravel errors. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ROUTES, type SimState } from './routes.js';
import { HttpError } from './validate.js';
import { chance } from './webhooks.js';

export const BASE_PATH = '/api/tandem';
const MAX_BODY = 10 * 1024 * 1024;

export interface RestShopFaults {
  latencyMs: number;
  /** Share of requests answered 503/500. */
  errorRate: number;
  /** Share of requests answered 429 with Retry-After. */
  rateLimitRate: number;
  dropWebhookRate: number;
  duplicateWebhookRate: number;
}

export interface ServerDeps {
  state: SimState;
  token: string;
  faults: RestShopFaults;
  stats: { calls: number; serverErrors: string[] };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'The request entity is too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  deps.stats.calls += 1;
  const { faults } = deps;
  if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
  if (chance(faults.rateLimitRate)) {
    await readBody(req).catch(() => undefined);
    return send(res, 429, { message: 'Too Many Attempts.' }, { 'retry-after': '1', 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0' });
  }
  if (chance(faults.errorRate)) {
    await readBody(req).catch(() => undefined);
    return deps.stats.calls % 2 === 0 ? send(res, 503, { message: 'Service Unavailable' }) : send(res, 500, { message: 'Server Error' });
  }
  if (!url.pathname.startsWith(`${BASE_PATH}/`) && url.pathname !== BASE_PATH) {
    return send(res, 404, { message: `The route ${url.pathname.slice(1)} could not be found.` });
  }
  if (req.headers.authorization !== `Bearer ${deps.token}`) return send(res, 401, { message: 'Unauthenticated.' });
  const path = url.pathname.slice(BASE_PATH.length) || '/';
  const method = req.method ?? 'GET';
  let body: unknown = undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    const raw = await readBody(req);
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return send(res, 400, { message: 'The request body is not valid JSON.' });
      }
    }
  }
  let allowed = false;
  for (const [m, pattern, handler] of ROUTES) {
    const match = pattern.exec(path);
    if (!match) continue;
    allowed = true;
    if (m !== method) continue;
    const reply = handler({ state: deps.state, url, body, match });
    return send(res, reply.status, reply.body);
  }
  if (allowed) return send(res, 405, { message: `The ${method} method is not supported for route ${url.pathname.slice(1)}.` });
  return send(res, 404, { message: `The route ${url.pathname.slice(1)} could not be found.` });
}

export function createShopServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    handle(deps, req, res).catch((e: unknown) => {
      if (e instanceof HttpError) return send(res, e.status, e.body(), e.headers);
      deps.stats.serverErrors.push(e instanceof Error ? (e.stack ?? e.message) : String(e));
      send(res, 500, { message: 'Server Error' });
    });
  });
}
