/**
 * The access commands and the safe start: `tandem user`, `tandem token`, `tandem audit`; `tandem serve`
 * on a non-loopback address refuses to start without a user or token (exit 1, says how to create one),
 * and once there is one it starts, with /metrics behind a viewer token on the main port and open on the
 * configured loopback-only metrics port.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { openStore } from '../../src/store/index.js';
import { verifyPassword } from '../../src/server/auth/hash-password.js';
import { spawnTandem, until } from '../e2e/support/spawn-tandem.js';

let dir: string;
const ME = `cli:${userInfo().username}`;

async function cli(args: string[], env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const code = await run(['node', 'tandem', ...args], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, env, cwd: dir });
  return { code, out, err };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-access-'));
  writeFileSync(join(dir, 'tandem.yaml'), `store: { url: "sqlite:tandem.db" }
log: { level: warn }
server:
  metrics: { listen: "127.0.0.1:0" }
systems:
  shop: { type: rest-shop, url: "http://127.0.0.1:9", auth: { type: bearer, token: "t" }, currency: EUR }
  erp: { type: odoo, url: "http://127.0.0.1:9", db: x, user: x, apiKey: "k" }
flows:
  - { entity: product, direction: shop->erp, schedule: 1h, webhooks: false }
reconcile: { schedule: null }
`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('unsafe start', () => {
  it('serve on 0.0.0.0 without any user or token refuses to start, exit 1, and says how to create one', async () => {
    const r = await cli(['serve', '--host', '0.0.0.0', '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/refusing to listen on 0\.0\.0\.0: there is no user and no API token/);
    expect(r.err).toContain('tandem user add admin --role admin');
    expect(r.err).toContain('tandem token create --role viewer --name prometheus');
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});

describe('tandem user / token / audit', () => {
  it('user add reads the password from an environment variable (never argv) and stores a hash', async () => {
    const r = await cli(['user', 'add', 'alice', '--role', 'admin', '--password-env', 'PW'], { PW: 'alice has a long password' });
    expect(r).toMatchObject({ code: 0, out: 'added user alice (admin)\n' });
    const store = await openStore(`sqlite:${dir}/tandem.db`);
    try {
      const u = await store.users.get('alice');
      expect(await verifyPassword('alice has a long password', u!.passwordHash)).toBe(true);
    } finally {
      await store.close();
    }
    expect((await cli(['user', 'add', 'alice', '--role', 'viewer', '--password-env', 'PW'], { PW: 'another long password' })).err).toMatch(/there is a user "alice" already/);
    expect((await cli(['user', 'add', 'bob', '--role', 'viewer', '--password-env', 'PW'], { PW: 'short' })).err).toMatch(/at least 12 characters/);
    expect((await cli(['user', 'add', 'bob', '--role', 'boss', '--password-env', 'PW'], { PW: 'long enough password' })).err).toMatch(/--role must be one of viewer, operator, admin/);
    expect((await cli(['user', 'add', 'b o b', '--role', 'viewer', '--password-env', 'PW'], { PW: 'long enough password' })).err).toMatch(/is not allowed/);
  });

  it('user add reads the password from stdin when it is piped', async () => {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const main = fileURLToPath(new URL('../e2e/support/tandem-main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', tsx, main, 'user', 'add', 'carol', '--role', 'operator'], { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdin.end('carol types this in\n');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, err).toBe(0);
    expect(out).toBe('added user carol (operator)\n');
    const list = await cli(['user', 'list']);
    expect(list.out).toMatch(/^alice\s+admin\s+\S+$/m);
    expect(list.out).toMatch(/^carol\s+operator\s+\S+$/m);
  });

  it('token create prints the token once; list shows its first characters only; revoke', async () => {
    const created = await cli(['token', 'create', '--role', 'viewer', '--name', 'prometheus']);
    expect(created.code).toBe(0);
    const token = created.out.trim();
    expect(token).toMatch(/^tdm_[A-Za-z0-9_-]{43}$/);
    expect(created.err).toMatch(/shown only now/);
    const list = await cli(['token', 'list']);
    expect(list.out).toContain(`${token.slice(0, 12)}…`);
    expect(list.out).not.toContain(token.slice(12));
    await cli(['token', 'create', '--role', 'admin', '--name', 'old-script']);
    expect((await cli(['token', 'revoke', 'old-script'])).out).toMatch(/^revoked token old-script \(tdm_/);
    expect((await cli(['token', 'revoke', 'old-script'])).err).toMatch(/no token "old-script"/);
    expect((await cli(['token', 'list'])).out).not.toContain('old-script');
  });

  it('user remove', async () => {
    await cli(['user', 'add', 'dave', '--role', 'viewer', '--password-env', 'PW'], { PW: 'dave dave dave dave' });
    expect((await cli(['user', 'remove', 'dave'])).out).toMatch(/removed user dave/);
    expect((await cli(['user', 'list'])).out).not.toContain('dave');
  });

  it('tandem audit: who did what, filtered by action family, actor and time', async () => {
    const all = await cli(['audit']);
    expect(all.code).toBe(0);
    for (const line of ['user:add', 'token:create', 'token:revoke', 'user:remove']) expect(all.out).toMatch(new RegExp(`${ME}\\s+${line}`));
    const tokens = await cli(['audit', '--action', 'token', '--json']);
    const rows = JSON.parse(tokens.out) as Array<{ action: string; actor: string; detail: { name: string } }>;
    expect(rows.map((r) => `${r.action} ${r.detail.name}`)).toEqual(['token:create prometheus', 'token:create old-script', 'token:revoke old-script']);
    expect(rows.every((r) => r.actor === ME)).toBe(true);
    expect((await cli(['audit', '--actor', 'user:nobody'])).out).toBe('no audit events match\n');
    expect((await cli(['audit', '--since', '2099-01-01'])).out).toBe('no audit events match\n');
    expect((await cli(['audit', '--since', '1h', '--action', 'user:remove'])).out).toMatch(/user:remove\s+user\s+name=dave/);
    const bad = await cli(['audit', '--since', 'last week']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--since "last week" is neither a duration/);
  });
});

describe('serve with a user on 0.0.0.0', () => {
  it('starts; /metrics needs a viewer token on the main port and is open on the loopback metrics port', async () => {
    const token = (await cli(['token', 'create', '--role', 'viewer', '--name', 'scraper'])).out.trim();
    const serve = spawnTandem(['serve', '--host', '0.0.0.0', '--port', '0'], { cwd: dir, env: {} });
    try {
      await until(() => /metrics without credentials on (http:\/\/\S+)\/metrics/.test(serve.stderr()) && /listening on (http:\/\/\S+) /.test(serve.stderr()), { what: 'tandem serve to listen', process: serve, timeoutMs: 60_000 });
      const main = /listening on http:\/\/[^:]+:(\d+) /.exec(serve.stderr())![1]!;
      const metricsUrl = /metrics without credentials on (http:\/\/\S+)\/metrics/.exec(serve.stderr())![1]!;
      expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(serve.stderr()).toMatch(/plain http: put a TLS reverse proxy in front/);
      const base = `http://127.0.0.1:${main}`;
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      expect((await fetch(`${base}/api/status`)).status).toBe(401);
      const withToken = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(withToken.status).toBe(200);
      expect(await withToken.text()).toMatch(/^tandem_jobs\{state="queued"\} \d+$/m);
      const open = await fetch(`${metricsUrl}/metrics`);
      expect(open.status).toBe(200);
      expect((await fetch(`${metricsUrl}/api/status`)).status).toBe(404); // nothing but /metrics there
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      // both systems of this config are unreachable (port 9): not ready, though alive
      expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ ok: false, reason: 'shop unreachable' });
    } finally {
      serve.child.kill('SIGTERM');
      const exit = await serve.exited;
      expect(exit.code).toBe(0);
    }
  }, 90_000);
});
