/**
 * `tandem serve` fails loudly (issue 14, point 3): a busy port is exit 1 with the port and how to change
 * it, before anything started (nothing polls, the store is closed); /readyz is 503 when a system does not
 * answer (within ~2 s, then cached), /healthz stays 200; the console URL is printed on start.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { consoleUrl } from '../../src/cli/commands/serve.js';
import { startHttpServer } from '../../src/server/http-server.js';
import { tempDir } from '../helpers/db.js';
import { startSims, type Sims } from '../e2e/support/sims.js';
import { e2eConfig, secretEnv, writeConfigFile } from '../e2e/support/config.js';
import { openEngine } from '../e2e/support/engine.js';
import { captureIO } from '../e2e/support/cli.js';

function listenOn(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

describe('tandem serve start', () => {
  let sims: Sims;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  const hung: Server = createServer(() => {}); // accepts connections, never answers

  beforeAll(async () => {
    sims = await startSims();
    tmp = await tempDir('tandem-serve-start-');
    writeConfigFile(tmp.dir, sims, { storeUrl: 'sqlite:tandem.db' });
  });

  afterAll(async () => {
    hung.close();
    await sims?.close();
    await tmp?.cleanup();
  });

  it('a busy port: exit 1, "port N is in use; set server.port or --port", and nothing started', async () => {
    const busy = createServer();
    const port = await listenOn(busy);
    try {
      const io = captureIO({ cwd: tmp.dir, env: secretEnv(sims) });
      const started = Date.now();
      const code = await run(['node', 'tandem', 'serve', '--host', '127.0.0.1', '--port', String(port)], io);
      expect(code).toBe(1);
      expect(io.stderrText()).toContain(`port ${port} is in use; set server.port or --port to a free port`);
      expect(io.stderrText()).not.toMatch(/unexpected error|EADDRINUSE|listening on/);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      busy.close();
    }
  });

  it('/readyz: 200 with both systems up; 503 "erp unreachable" within ~2 s when the ERP hangs; /healthz 200 all along', async () => {
    const up = await openEngine(e2eConfig(sims, { storeUrl: 'sqlite::memory:' }));
    const upHttp = await startHttpServer(up, { host: '127.0.0.1', port: 0 });
    try {
      expect(await (await fetch(`${upHttp.url}/readyz`)).json()).toEqual({ ok: true });
    } finally {
      await upHttp.close();
      await up.close();
    }
    const hungPort = await listenOn(hung);
    const config = e2eConfig(sims, { storeUrl: 'sqlite::memory:' });
    const down = await openEngine({ ...config, systems: { ...config.systems, erp: { ...config.systems.erp, url: `http://127.0.0.1:${hungPort}` } } as typeof config.systems });
    const http = await startHttpServer(down, { host: '127.0.0.1', port: 0 });
    try {
      const t0 = Date.now();
      const res = await fetch(`${http.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ ok: false, reason: 'erp unreachable' });
      expect(Date.now() - t0).toBeLessThan(4_000);
      const t1 = Date.now();
      expect((await fetch(`${http.url}/readyz`)).status).toBe(503); // cached: no second 2 s wait
      expect(Date.now() - t1).toBeLessThan(500);
      expect(await (await fetch(`${http.url}/healthz`)).json()).toEqual({ ok: true });
    } finally {
      await http.close();
      await down.close();
    }
  });

  it.each([
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/'],
    ['http://0.0.0.0:8080', 'http://localhost:8080/'],
    ['http://[::]:8080', 'http://localhost:8080/'],
  ])('console URL of %s is %s', (url, console) => expect(consoleUrl(url)).toBe(console));
});
