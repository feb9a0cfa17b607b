/**
 * A Tandem HTTP server over a real store (SQLite or PostgreSQL) for the access-control tests, with one
 * API token per role and one user per role. The systems point nowhere: the routes under test read and
 * write Tandem's store only.
 */
import pino from 'pino';
import { Config, type ConfigInput } from '../../../src/config/schema.js';
import { createEngine, type RunningEngine } from '../../../src/engine/create-engine.js';
import { startHttpServer, type HttpServer } from '../../../src/server/http-server.js';
import { hashPassword } from '../../../src/server/auth/hash-password.js';
import { newApiToken } from '../../../src/server/auth/api-token.js';
import type { Role } from '../../../src/server/auth/roles.js';

export const ROLES: Role[] = ['viewer', 'operator', 'admin'];
export const PASSWORD = 'correct horse battery staple';

export interface TestServer {
  engine: RunningEngine;
  http: HttpServer;
  url: string;
  /** A bearer token per role. */
  tokens: Record<Role, string>;
  /** Signs in as the user of `role` (named like the role); the cookie header and the CSRF token. */
  login(role: Role, headers?: Record<string, string>): Promise<{ cookie: string; csrf: string; setCookie: string }>;
  close(): Promise<void>;
}

export function testConfig(storeUrl: string, extra: Partial<ConfigInput> = {}): Config {
  return Config.parse({
    store: { url: storeUrl },
    systems: {
      shop: { type: 'rest-shop', url: 'http://127.0.0.1:9/shop', auth: { type: 'bearer', token: 'shop-token' }, webhookSecret: 'hook-secret', currency: 'EUR' },
      erp: { type: 'odoo', url: 'http://127.0.0.1:9', db: 'odoo', user: 'admin', apiKey: 'odoo-key' },
    },
    flows: [
      { entity: 'product', direction: 'shop->erp' },
      { entity: 'customer', direction: 'shop->erp' },
    ],
    ...extra,
  } satisfies ConfigInput);
}

let cachedHash: Promise<string> | undefined;

/** `opts.config`: a config of your own (e.g. pointing at the simulators) instead of testConfig(storeUrl, extra). */
export async function startTestServer(storeUrl: string, extra: Partial<ConfigInput> = {}, opts: { now?: () => Date; config?: Config } = {}): Promise<TestServer> {
  const config = opts.config ?? testConfig(storeUrl, extra);
  const engine = await createEngine({ config, storeUrl, log: pino({ level: 'silent' }), ...(opts.now && { now: opts.now }) });
  const passwordHash = await (cachedHash ??= hashPassword(PASSWORD));
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) {
    const t = newApiToken();
    await engine.store.tokens.create({ name: `${role}-token`, role, hash: t.hash, prefix: t.prefix });
    tokens[role] = t.token;
    await engine.store.users.add({ name: role, role, passwordHash });
  }
  const http = await startHttpServer(engine, { host: '127.0.0.1', port: 0 });
  return {
    engine,
    http,
    url: http.url,
    tokens,
    async login(role, headers = {}) {
      const res = await fetch(`${http.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ username: role, password: PASSWORD }) });
      if (res.status !== 200) throw new Error(`login as ${role}: HTTP ${res.status} ${await res.text()}`);
      const setCookie = res.headers.get('set-cookie') ?? '';
      const body = (await res.json()) as { csrfToken: string };
      return { cookie: setCookie.split(';')[0]!, csrf: body.csrfToken, setCookie };
    },
    async close() {
      await http.close();
      await engine.close();
    },
  };
}
