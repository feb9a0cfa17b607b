/**
 * An HTTP proxy in front of a simulator that counts requests by method, so a test can say "this run
 * wrote nothing" (no POST/PUT/PATCH/DELETE reached the shop) whoever made the calls — the engine of the
 * test, the CLI's own engine, or a child process.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A planned refusal: the next `times` requests matching method/path get this answer instead of the shop's. */
export interface InjectedFault {
  method?: string;
  path?: RegExp;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  times: number;
}

export interface CountingProxy {
  /** The proxied base URL (same path as the target's). */
  url: string;
  counts: Record<string, number>;
  /** Non-GET requests so far. */
  writes(): number;
  /** Paths of the write requests so far, e.g. "POST /api/tandem/products/batch". */
  writeLog: string[];
  /** Answers planned refusals (429, 503…) before the shop sees the request; `injected` counts them. */
  inject(fault: InjectedFault): void;
  injected: number;
  close(): Promise<void>;
}

export async function startCountingProxy(targetUrl: string): Promise<CountingProxy> {
  const target = new URL(targetUrl);
  const counts: Record<string, number> = {};
  const writeLog: string[] = [];
  const faults: InjectedFault[] = [];
  let injected = 0;
  const server: Server = createServer((req: IncomingMessage, res) => {
    const method = req.method ?? 'GET';
    const fault = faults.find((f) => f.times > 0 && (!f.method || f.method === method) && (!f.path || f.path.test(req.url ?? '')));
    if (fault) {
      fault.times -= 1;
      injected += 1;
      req.resume();
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(JSON.stringify(fault.body ?? { message: `injected ${fault.status}` }));
      return;
    }
    counts[method] = (counts[method] ?? 0) + 1;
    if (method !== 'GET' && method !== 'HEAD') writeLog.push(`${method} ${req.url ?? ''}`);
    const upstream = request({ host: target.hostname, port: target.port, method, path: req.url, headers: { ...req.headers, host: target.host } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `proxy: ${e.message}` }));
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname.replace(/\/$/, '')}`,
    counts,
    writeLog,
    inject: (f) => void faults.push({ ...f }),
    get injected() {
      return injected;
    },
    writes: () => Object.entries(counts).reduce((n, [m, c]) => (m === 'GET' || m === 'HEAD' ? n : n + c), 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
