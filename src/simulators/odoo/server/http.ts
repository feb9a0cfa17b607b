/**
 * The in-process HTTP server: routes /jsonrpc, /web/version, /json/version, /json/2/…, adds latency and
 * holds responses for timeout faults.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleJsonRpc, type HttpReply } from './jsonrpc.js';
import { handleJson2, NOT_FOUND_HTML } from './json2.js';
import { sleep } from './faults.js';
import type { SimState } from './state.js';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const notFound = (): HttpReply => ({ status: 404, headers: { 'content-type': 'text/html; charset=utf-8' }, body: NOT_FOUND_HTML });

async function route(state: SimState, req: IncomingMessage, body: string): Promise<HttpReply> {
  const t = state.db.traits;
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path === '/jsonrpc') {
    if (req.method !== 'POST') return { status: 405, headers: { 'content-type': 'text/html; charset=utf-8' }, body: 'Method Not Allowed' };
    return handleJsonRpc(state, body);
  }
  if ((path === '/web/version' && t.webVersion) || (path === '/json/version' && t.jsonVersion)) {
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ version_info: [t.version, 0, 0, 'final', 0, ''], version: `${t.version}.0` }) };
  }
  if (path === '/web/webclient/version_info') {
    let id: unknown = null;
    try {
      id = (JSON.parse(body || '{}') as { id?: unknown }).id ?? null;
    } catch {
      /* ignore */
    }
    const info = { server_version: t.serverVersion, server_version_info: [t.version, 0, 0, 'final', 0, ''], server_serie: t.serverSerie, protocol_version: 1 };
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ jsonrpc: '2.0', id, result: info }) };
  }
  if (t.json2 && (path === '/json/2' || path.startsWith('/json/2/'))) {
    return handleJson2(state, { method: req.method ?? 'GET', path, headers: req.headers, body });
  }
  return notFound();
}

export async function startHttp(state: SimState, port: number): Promise<{ server: Server; url: string }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      try {
        const body = await readBody(req);
        if (state.faults.latencyMs > 0) await sleep(state.faults.latencyMs);
        const reply = await route(state, req, body);
        if (reply.holdMs) await sleep(reply.holdMs);
        if (res.destroyed) return;
        res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
        res.end(reply.body);
      } catch (e) {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: actual } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${actual}` };
}
