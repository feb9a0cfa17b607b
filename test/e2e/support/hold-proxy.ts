/**
 * An HTTP proxy in front of a simulator that holds (never forwards) the requests `hold` picks, so a test
 * can freeze one call in flight — the system never sees it — while every other call goes through.
 * `lastActivityAt` tells when a request was last forwarded (for waiting until the client is quiet).
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldProxy {
  url: string;
  /** Requests held so far. */
  held: number;
  lastActivityAt: number;
  close(): Promise<void>;
}

export async function startHoldProxy(target: string, hold: (body: string, n: { held: number }) => boolean): Promise<HoldProxy> {
  const upstream = new URL(target);
  const parked: ServerResponse[] = [];
  const proxy: HoldProxy = { url: '', held: 0, lastActivityAt: Date.now(), close: async () => undefined };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (hold(body.toString('utf8'), proxy)) {
        proxy.held += 1;
        parked.push(res);
        return;
      }
      proxy.lastActivityAt = Date.now();
      const out = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        up.on('end', () => (proxy.lastActivityAt = Date.now()));
      });
      out.on('error', () => res.destroy());
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = async () => {
    for (const res of parked) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return proxy;
}
