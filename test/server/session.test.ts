/**
 * Dashboard sessions: the cookie's flags (HttpOnly, SameSite=Strict, Secure behind https), CSRF on every
 * change made with a cookie, logout, idle and absolute expiry, and the login rate limit (per user name
 * and per client address, 429 with Retry-After). On SQLite and PostgreSQL.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testStoreUrls } from '../helpers/db.js';
import { PASSWORD, startTestServer, type TestServer } from './support/test-server.js';

const stores = await testStoreUrls();
afterAll(() => Promise.all(stores.map((s) => s.cleanup())));

const attrs = (setCookie: string) => setCookie.split(';').slice(1).map((a) => a.trim().toLowerCase());

describe.each(stores)('sessions on $name', ({ url: storeUrl }) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(storeUrl, { server: { trustedProxies: ['127.0.0.1'], login: { maxFailures: 3, window: '15m' }, session: { idleTimeout: '30m', maxAge: '8h' } } });
  });
  afterAll(() => t?.close());
  afterEach(async () => {
    await t.engine.store.db.deleteFrom('login_failures').execute();
  });

  const post = (path: string, headers: Record<string, string>, body: unknown = {}) => fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const login = (username: string, password: string, headers: Record<string, string> = {}) => post('/api/session', headers, { username, password });

  it('login: the cookie is HttpOnly, SameSite=Strict, Path=/, with the absolute lifetime; not Secure over plain http', async () => {
    const { setCookie, csrf } = await t.login('operator');
    expect(setCookie).toMatch(/^tandem_session=[A-Za-z0-9_-]{43};/);
    expect(attrs(setCookie)).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/', `max-age=${8 * 3600}`]));
    expect(attrs(setCookie)).not.toContain('secure');
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('Secure when a trusted proxy says the request came over https', async () => {
    const { setCookie } = await t.login('viewer', { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' });
    expect(attrs(setCookie)).toContain('secure');
  });

  it('the session id is stored hashed, and GET /api/session tells who and the CSRF token', async () => {
    const { cookie, csrf } = await t.login('admin');
    const id = cookie.split('=')[1]!;
    const rows = await t.engine.store.db.selectFrom('sessions').selectAll().execute();
    expect(rows.some((r) => r.id_hash === id)).toBe(false);
    expect(JSON.stringify(rows)).not.toContain(id);
    const me = await fetch(`${t.url}/api/session`, { headers: { cookie } });
    expect(await me.json()).toEqual({ user: 'admin', role: 'admin', kind: 'session', csrfToken: csrf });
  });

  it('a change made with the cookie needs the session\'s CSRF token; a bearer token does not', async () => {
    const { cookie, csrf } = await t.login('operator');
    const replay = (headers: Record<string, string>) => post('/api/dead-letters/999999/replay', headers);
    const none = await replay({ cookie });
    expect(none.status).toBe(403);
    expect(((await none.json()) as { error: string }).error).toMatch(/x-csrf-token/);
    expect((await replay({ cookie, 'x-csrf-token': 'x'.repeat(43) })).status).toBe(403);
    // another session's token does not fit this session
    const other = await t.login('operator');
    expect((await replay({ cookie, 'x-csrf-token': other.csrf })).status).toBe(403);
    expect((await replay({ cookie, 'x-csrf-token': csrf })).status).toBe(404); // through: the job does not exist
    expect((await replay({ authorization: `Bearer ${t.tokens.operator}` })).status).toBe(404);
    // logout is a change too
    expect((await fetch(`${t.url}/api/session`, { method: 'DELETE', headers: { cookie } })).status).toBe(403);
  });

  it('a login must be JSON (a cross-site form cannot log a browser in)', async () => {
    const res = await fetch(`${t.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `username=admin&password=${encodeURIComponent(PASSWORD)}` });
    expect(res.status).toBe(415);
  });

  it('logout ends the session: the cookie no longer works, and the cookie is cleared', async () => {
    const { cookie, csrf } = await t.login('viewer');
    expect((await fetch(`${t.url}/api/status`, { headers: { cookie } })).status).toBe(200);
    const out = await fetch(`${t.url}/api/session`, { method: 'DELETE', headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/^tandem_session=; .*Max-Age=0/i);
    expect((await fetch(`${t.url}/api/status`, { headers: { cookie } })).status).toBe(401);
  });

  it('a session idle longer than idleTimeout, or older than maxAge, has ended', async () => {
    const idle = await t.login('viewer');
    const old = await t.login('viewer');
    const fresh = await t.login('viewer');
    const hashOf = async (cookie: string) => (await import('../../src/server/auth/session-cookie.js')).hashSessionId(cookie.split('=')[1]!);
    const now = Date.now();
    await t.engine.store.db.updateTable('sessions').set({ last_seen_at: now - 31 * 60_000 }).where('id_hash', '=', await hashOf(idle.cookie)).execute();
    await t.engine.store.db.updateTable('sessions').set({ created_at: now - 8 * 3_600_000 - 1000, last_seen_at: now }).where('id_hash', '=', await hashOf(old.cookie)).execute();
    const status = async (cookie: string) => (await fetch(`${t.url}/api/status`, { headers: { cookie } })).status;
    expect(await status(idle.cookie)).toBe(401);
    expect(await status(old.cookie)).toBe(401);
    expect(await status(fresh.cookie)).toBe(200);
    // the ended sessions are gone from the store
    expect(await t.engine.store.sessions.get(await hashOf(idle.cookie))).toBeUndefined();
  });

  it('rate limit per user name: after maxFailures failures, 429 with Retry-After — even with the right password', async () => {
    for (let i = 0; i < 3; i++) expect((await login('operator', `wrong-${i}`, { 'x-forwarded-for': `198.51.100.${i}` })).status).toBe(401);
    const limited = await login('operator', PASSWORD, { 'x-forwarded-for': '198.51.100.50' });
    expect(limited.status).toBe(429);
    const retry = Number(limited.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(14 * 60);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    // another user is not affected
    expect((await login('viewer', PASSWORD, { 'x-forwarded-for': '198.51.100.50' })).status).toBe(200);
  });

  it('rate limit per client address, across user names (behind the trusted proxy: X-Forwarded-For)', async () => {
    const from = { 'x-forwarded-for': '192.0.2.77' };
    for (const name of ['alice', 'bob', 'carol']) expect((await login(name, 'guess-guess-guess', from)).status).toBe(401);
    expect((await login('admin', PASSWORD, from)).status).toBe(429);
    expect((await login('admin', PASSWORD, { 'x-forwarded-for': '192.0.2.78' })).status).toBe(200);
  });

  it('a successful login clears the failures of that user name', async () => {
    for (let i = 0; i < 2; i++) expect((await login('viewer', 'nope-nope-nope', { 'x-forwarded-for': `10.9.0.${i}` })).status).toBe(401);
    expect((await login('viewer', PASSWORD, { 'x-forwarded-for': '10.9.0.9' })).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await login('viewer', 'nope-nope-nope', { 'x-forwarded-for': `10.9.1.${i}` })).status).toBe(401);
    expect((await login('viewer', PASSWORD, { 'x-forwarded-for': '10.9.1.9' })).status).toBe(200);
  });
});

describe('X-Forwarded-* from an untrusted peer is ignored', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('sqlite::memory:', { server: { login: { maxFailures: 2, window: '15m' } } });
  });
  afterAll(() => t?.close());

  it('no Secure cookie and no per-address escape by forging X-Forwarded-For', async () => {
    const { setCookie } = await t.login('viewer', { 'x-forwarded-proto': 'https' });
    expect(attrs(setCookie)).not.toContain('secure');
    const post = (user: string, ip: string) => fetch(`${t.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify({ username: user, password: 'wrong-password-x' }) });
    expect((await post('a', '1.1.1.1')).status).toBe(401);
    expect((await post('b', '2.2.2.2')).status).toBe(401);
    expect((await post('c', '3.3.3.3')).status).toBe(429); // all from 127.0.0.1, whatever the header says
  });

  it('Secure when server.publicUrl is https', async () => {
    const s = await startTestServer('sqlite::memory:', { server: { publicUrl: 'https://tandem.example.com' } });
    try {
      expect(attrs((await s.login('viewer')).setCookie)).toContain('secure');
    } finally {
      await s.close();
    }
  });
});
