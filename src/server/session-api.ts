/** POST /api/session (log in), GET /api/session (who am I, CSRF token), DELETE /api/session (log out). */
import { clearedSessionCookie, sessionCookie } from './auth/session-cookie.js';
import { login, logout } from './auth/login.js';
import { HttpError, type Reply, type RequestContext } from './route-table.js';

/** A login is small; anyone may send one, so no large bodies. */
const LOGIN_BODY_LIMIT = 16 * 1024;

export async function create(c: RequestContext): Promise<Reply> {
  // JSON only: a cross-site HTML form cannot send it, so nobody can log a browser into their account
  if (!/^application\/json\b/i.test(c.req.headers['content-type'] ?? '')) throw new HttpError(415, 'send the login as JSON: content-type application/json, body {"username": "…", "password": "…"}');
  const body = await c.json(LOGIN_BODY_LIMIT);
  if (typeof body.username !== 'string' || typeof body.password !== 'string' || !body.username || !body.password) {
    throw new HttpError(400, 'the body must be {"username": "…", "password": "…"}');
  }
  const r = await login(c.engine, { username: body.username.slice(0, 200), password: body.password.slice(0, 1024), ip: c.client.ip });
  if (!r.ok) throw new HttpError(r.status, r.error, r.status === 429 ? { 'retry-after': String(r.retryAfterSeconds) } : {});
  return {
    body: { user: r.user, role: r.role, csrfToken: r.csrfToken },
    headers: { 'set-cookie': sessionCookie(r.sessionId, { secure: c.client.secure, maxAgeSeconds: r.maxAgeSeconds }) },
  };
}

export function show(c: RequestContext): Reply {
  const p = c.principal!;
  return { body: { user: p.name, role: p.role, kind: p.kind, csrfToken: p.session?.csrfToken ?? null } };
}

export async function remove(c: RequestContext): Promise<Reply> {
  const p = c.principal!;
  if (!p.session) throw new HttpError(400, 'this request is authenticated with a token, not a session: there is nothing to log out');
  await logout(c.engine, { idHash: p.session.idHash, user: p.name, ip: c.client.ip });
  return { body: { ok: true }, headers: { 'set-cookie': clearedSessionCookie(c.client.secure) } };
}
