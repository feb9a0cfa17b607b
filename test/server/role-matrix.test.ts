/**
 * Every route of the route table × every caller (nobody, viewer, operator, admin; with an API token and
 * with a session cookie): refused (401 / 403) or let through exactly as its access says. Data-driven
 * from ROUTES, so a route added later is checked too. On SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../src/server/routes.js';
import { allows, type Role } from '../../src/server/auth/roles.js';
import type { Route } from '../../src/server/route-table.js';
import { testStoreUrls } from '../helpers/db.js';
import { ROLES, startTestServer, type TestServer } from './support/test-server.js';

const stores = await testStoreUrls();
afterAll(() => Promise.all(stores.map((s) => s.cleanup())));

/** A concrete path for a pattern: ids that do not exist, so allowed calls change nothing. */
const samplePath = (p: string) => p.replace(':id', '999999').replace(':name', 'nobody').replace(':ref', 'no-such-order').replace(':system', 'nosuch').replace('*', 'x.js');

/** Bodies that are refused after the access check (400 / 404), so no allowed call starts real work. */
function sampleBody(r: Route): string | undefined {
  if (r.method === 'GET' || r.method === 'DELETE') return undefined;
  if (r.path === '/api/syncs') return JSON.stringify({ entity: 'nope' });
  if (r.path === '/api/reconcile') return JSON.stringify({ entities: ['nope'] });
  if (r.path === '/api/users' || r.path === '/api/tokens') return JSON.stringify({ name: 'not a valid name!' });
  if (r.path === '/api/session') return JSON.stringify({ username: '' }); // a login without credentials: 400
  return JSON.stringify({});
}

type Caller = 'nobody' | Role;
const CALLERS: Caller[] = ['nobody', ...ROLES];

function expected(r: Route, caller: Caller): 'allowed' | 401 | 403 {
  if (r.access === 'public') return 'allowed';
  if (caller === 'nobody') return 401;
  return allows(caller, r.access) ? 'allowed' : 403;
}

describe('the route table', () => {
  it('every /api/ route but the login needs a role; public routes are only webhooks, probes, the login and the console pages and assets', () => {
    const publicRoutes = ROUTES.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.path}`);
    const consolePages = ['/', '/dashboard', '/orders', '/orders/:ref', '/records', '/reconcile', '/dead-letters', '/runs', '/settings', '/audit', '/assets/*'].map((p) => `GET ${p}`);
    expect(publicRoutes.sort()).toEqual([...consolePages, 'GET /healthz', 'GET /readyz', 'POST /api/session', 'POST /webhooks/:system'].sort());
    expect(ROUTES.find((r) => r.path === '/metrics')?.access).toBe('viewer');
    for (const r of ROUTES.filter((x) => x.path.startsWith('/api/') && !(x.path === '/api/session' && x.method === 'POST'))) expect(r.access, `${r.method} ${r.path}`).not.toBe('public');
    // the roles of the issue: viewer reads, operator acts on data, admin manages access
    const access = (m: string, p: string) => ROUTES.find((r) => r.method === m && r.path === p)?.access;
    expect(access('GET', '/api/dead-letters')).toBe('viewer');
    expect(access('GET', '/api/orders/:ref/trace')).toBe('viewer');
    expect(access('POST', '/api/dead-letters/:id/replay')).toBe('operator');
    expect(access('POST', '/api/dead-letters/:id/discard')).toBe('operator');
    expect(access('POST', '/api/syncs')).toBe('operator');
    expect(access('POST', '/api/reconcile')).toBe('operator');
    expect(access('POST', '/api/users')).toBe('admin');
    expect(access('POST', '/api/tokens')).toBe('admin');
  });
});

describe.each(stores)('role matrix on $name', ({ url: storeUrl }) => {
  let t: TestServer;
  const sessions = {} as Record<Role, { cookie: string; csrf: string }>;

  beforeAll(async () => {
    t = await startTestServer(storeUrl);
    for (const role of ROLES) sessions[role] = await t.login(role);
  });
  afterAll(() => t?.close());

  async function call(r: Route, headers: Record<string, string>): Promise<{ status: number; text: string }> {
    const body = sampleBody(r);
    const res = await fetch(`${t.url}${samplePath(r.path)}`, { method: r.method, headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers }, ...(body !== undefined && { body }) });
    if (r.path === '/api/events') {
      await res.body?.cancel(); // a stream that stays open: the status says it all
      return { status: res.status, text: '' };
    }
    return { status: res.status, text: await res.text() };
  }

  function check(r: Route, caller: Caller, got: { status: number; text: string }): void {
    const want = expected(r, caller);
    const what = `${r.method} ${r.path} as ${caller}: ${got.status} ${got.text.slice(0, 200)}`;
    if (want === 'allowed') {
      expect([401, 403], what).not.toContain(got.status);
      // /readyz is 503 here by design: the test server's systems are not reachable (access is what counts)
      if (r.path === '/readyz') expect([200, 503], what).toContain(got.status);
      else expect(got.status, what).toBeLessThan(500);
    } else {
      expect(got.status, what).toBe(want);
    }
  }

  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('%s with an API token of each role', async (_name, r) => {
    for (const caller of CALLERS) {
      check(r, caller, await call(r, caller === 'nobody' ? {} : { authorization: `Bearer ${t.tokens[caller]}` }));
    }
  });

  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('%s with a session of each role', async (_name, r) => {
    for (const role of ROLES) {
      const s = sessions[role];
      check(r, role, await call(r, { cookie: s.cookie, ...(r.method !== 'GET' && { 'x-csrf-token': s.csrf }) }));
      if (r.method === 'DELETE' && r.path === '/api/session') sessions[role] = await t.login(role); // that was a logout
    }
  });

  it('no credential in the URL: ?token= is not accepted', async () => {
    const res = await fetch(`${t.url}/api/status?token=${encodeURIComponent(t.tokens.admin)}`);
    expect(res.status).toBe(401);
  });

  it('a wrong or revoked token is refused', async () => {
    expect((await fetch(`${t.url}/api/status`, { headers: { authorization: 'Bearer tdm_not-a-token' } })).status).toBe(401);
    const created = await fetch(`${t.url}/api/tokens`, { method: 'POST', headers: { authorization: `Bearer ${t.tokens.admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'short-lived', role: 'viewer' }) });
    expect(created.status).toBe(201);
    const { token, id } = (await created.json()) as { token: string; id: string };
    expect(token).toMatch(/^tdm_[A-Za-z0-9_-]{43}$/);
    expect((await fetch(`${t.url}/api/status`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${t.url}/api/tokens/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${t.tokens.admin}` } })).status).toBe(200);
    expect((await fetch(`${t.url}/api/status`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });
});
