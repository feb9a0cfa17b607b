/**
 * Credentials at rest and the admin API: tokens are stored as sha256 only (the store never holds one),
 * passwords as scrypt hashes; a token is shown once; the deprecated server.apiToken still acts as an
 * admin token; user and token changes are audited. On SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { hashPassword, verifyPassword } from '../../src/server/auth/hash-password.js';
import { hashToken } from '../../src/server/auth/api-token.js';
import { createTestStoreUrl, testStoreKinds, type TestStoreUrl } from '../helpers/db.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/** Every text value of every table, to look for a secret anywhere in the store. */
async function everyValue(t: TestServer): Promise<string> {
  const tables = ['users', 'api_tokens', 'sessions', 'audit', 'meta', 'login_failures'];
  const parts: string[] = [];
  for (const table of tables) parts.push(JSON.stringify((await sql`select * from ${sql.table(table)}`.execute(t.engine.store.db)).rows));
  return parts.join('\n');
}

describe.each(testStoreKinds())('credentials on %s', (kind) => {
  let store: TestStoreUrl;
  let t: TestServer;
  const admin = () => ({ authorization: `Bearer ${t.tokens.admin}`, 'content-type': 'application/json' });

  beforeAll(async () => {
    store = await createTestStoreUrl(kind);
    t = await startTestServer(store.url, { server: { apiToken: 'legacy-token-0123456789' } });
  });
  afterAll(async () => {
    await t?.close();
    await store?.cleanup();
  });

  it('a created token is shown once and stored only as its sha256', async () => {
    const res = await fetch(`${t.url}/api/tokens`, { method: 'POST', headers: admin(), body: JSON.stringify({ name: 'prometheus', role: 'viewer' }) });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as { token: string };
    const row = await t.engine.store.db.selectFrom('api_tokens').selectAll().where('name', '=', 'prometheus').executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashToken(token));
    expect(row.prefix).toBe(token.slice(0, 12));
    expect(await everyValue(t)).not.toContain(token);
    expect(await everyValue(t)).not.toContain(token.slice(12)); // not even the secret part
    if (kind === 'sqlite') expect(readFileSync(store.url.slice('sqlite:'.length)).includes(Buffer.from(token.slice(12)))).toBe(false);
    const list = await (await fetch(`${t.url}/api/tokens`, { headers: admin() })).text();
    expect(list).toContain('"prometheus"');
    expect(list).not.toContain(token.slice(12));
    // it works, as a viewer
    expect((await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${t.url}/api/audit`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(403);
  });

  it('users: the password is stored as a salted scrypt hash; the API never shows it', async () => {
    const password = 'a long enough passphrase 42';
    const res = await fetch(`${t.url}/api/users`, { method: 'POST', headers: admin(), body: JSON.stringify({ name: 'dora', role: 'operator', password }) });
    expect(res.status).toBe(201);
    const row = await t.engine.store.db.selectFrom('users').selectAll().where('name', '=', 'dora').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(await verifyPassword(password, row.password_hash)).toBe(true);
    expect(await verifyPassword(`${password}!`, row.password_hash)).toBe(false);
    expect(await hashPassword(password)).not.toBe(row.password_hash); // salted
    expect(await everyValue(t)).not.toContain(password);
    const list = await (await fetch(`${t.url}/api/users`, { headers: admin() })).json();
    expect(list).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'dora', role: 'operator' })]));
    expect(JSON.stringify(list)).not.toContain('scrypt');
    // too short, bad names, duplicates: refused with the reason
    const bad = async (body: unknown) => ((await (await fetch(`${t.url}/api/users`, { method: 'POST', headers: admin(), body: JSON.stringify(body) })).json()) as { error: string }).error;
    expect(await bad({ name: 'eve', role: 'viewer', password: 'short' })).toMatch(/at least 12 characters/);
    expect(await bad({ name: 'e v e', role: 'viewer', password })).toMatch(/"name" must be/);
    expect(await bad({ name: 'eve', role: 'root', password })).toMatch(/"role" must be one of viewer, operator, admin/);
    expect(await bad({ name: 'dora', role: 'viewer', password })).toMatch(/there is a user "dora" already/);
  });

  it('a new password or role ends the user\'s sessions; removing a user too', async () => {
    await fetch(`${t.url}/api/users`, { method: 'POST', headers: admin(), body: JSON.stringify({ name: 'fred', role: 'viewer', password: 'fred fred fred fred' }) });
    const signIn = async (password: string) => fetch(`${t.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'fred', password }) });
    const cookie = (await signIn('fred fred fred fred')).headers.get('set-cookie')!.split(';')[0]!;
    expect((await fetch(`${t.url}/api/status`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${t.url}/api/users/fred`, { method: 'PATCH', headers: admin(), body: JSON.stringify({ role: 'operator', password: 'new fred new fred' }) })).status).toBe(200);
    expect((await fetch(`${t.url}/api/status`, { headers: { cookie } })).status).toBe(401);
    expect((await signIn('fred fred fred fred')).status).toBe(401);
    const again = (await signIn('new fred new fred')).headers.get('set-cookie')!.split(';')[0]!;
    expect(((await (await fetch(`${t.url}/api/session`, { headers: { cookie: again } })).json()) as { role: string }).role).toBe('operator');
    expect((await fetch(`${t.url}/api/users/fred`, { method: 'DELETE', headers: admin() })).status).toBe(200);
    expect((await fetch(`${t.url}/api/status`, { headers: { cookie: again } })).status).toBe(401);
  });

  it('an admin signed in cannot remove themself (no lock-out by a click)', async () => {
    const s = await t.login('admin');
    const res = await fetch(`${t.url}/api/users/admin`, { method: 'DELETE', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(res.status).toBe(409);
  });

  it('the deprecated server.apiToken is an admin bearer token, audited as token:server.apiToken', async () => {
    const res = await fetch(`${t.url}/api/tokens`, { method: 'POST', headers: { authorization: 'Bearer legacy-token-0123456789', 'content-type': 'application/json' }, body: JSON.stringify({ name: 'made-by-legacy', role: 'viewer' }) });
    expect(res.status).toBe(201);
    expect((await fetch(`${t.url}/api/status`, { headers: { authorization: 'Bearer legacy-token-01234567890' } })).status).toBe(401);
    const rows = await t.engine.store.audit.query({ action: 'token:create' });
    expect(rows.find((r) => (r.detail as { name: string }).name === 'made-by-legacy')?.actor).toBe('token:server.apiToken');
  });

  it('user and token changes are in the audit log with their actor', async () => {
    const rows = await t.engine.store.audit.query({ byActor: true });
    const seen = rows.map((r) => `${r.actor} ${r.action} ${(r.detail as { name?: string }).name ?? ''}`);
    expect(seen).toEqual(expect.arrayContaining([
      'token:admin-token token:create prometheus',
      'token:admin-token user:add dora',
      'token:admin-token user:update fred',
      'token:admin-token user:remove fred',
    ]));
    expect(JSON.stringify(rows)).not.toContain('fred fred');
  });
});
