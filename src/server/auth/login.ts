/**
 * Dashboard login and logout. Failed logins are counted per user name and per client address in the
 * store (every serve process on one PostgreSQL counts the same); past server.login.maxFailures within
 * server.login.window the login answers 429 with Retry-After, even with the right password. An unknown
 * name costs the same scrypt time as a wrong password. Every login, failed or not, is audited; a failed
 * login under an unknown name is audited as `anonymous` (people type passwords into the name field).
 */
import { parseInterval } from '../../config/duration.js';
import type { Engine } from '../../engine/context.js';
import type { Role } from './roles.js';
import { UNKNOWN_USER_HASH, verifyPassword } from './hash-password.js';
import { newSession } from './session-cookie.js';
import { sessionLimits } from './authenticate.js';

export type LoginResult =
  | { ok: true; sessionId: string; csrfToken: string; user: string; role: Role; maxAgeSeconds: number }
  | { ok: false; status: 401; error: string }
  | { ok: false; status: 429; error: string; retryAfterSeconds: number };

const userKey = (name: string) => `user:${name.toLowerCase()}`;
const ipKey = (ip: string) => `ip:${ip}`;

export async function login(engine: Engine, input: { username: string; password: string; ip: string }): Promise<LoginResult> {
  const now = engine.now().getTime();
  const { maxFailures } = engine.config.server.login;
  const windowMs = parseInterval(engine.config.server.login.window) ?? 900_000;
  const keys = [userKey(input.username), ipKey(input.ip)];
  for (const key of keys) {
    const { count, oldest } = await engine.store.loginFailures.since(key, now - windowMs);
    if (count >= maxFailures) {
      const retryAfterSeconds = Math.max(1, Math.ceil(((oldest ?? now) + windowMs - now) / 1000));
      engine.log.warn({ ip: input.ip, limit: key.startsWith('ip:') ? 'address' : 'user name' }, 'login refused: too many failed logins');
      return { ok: false, status: 429, error: `too many failed logins: try again in ${retryAfterSeconds} s`, retryAfterSeconds };
    }
  }
  const user = await engine.store.users.get(input.username);
  const valid = await verifyPassword(input.password, user?.passwordHash ?? UNKNOWN_USER_HASH);
  if (!user || !valid) {
    await engine.store.loginFailures.record(keys);
    await engine.store.audit.record({ entity: 'session', action: 'login:failed', actor: user ? `user:${user.name}` : 'anonymous', detail: { ip: input.ip, reason: user ? 'wrong password' : 'unknown user name' } });
    engine.log.warn({ ip: input.ip }, 'login failed');
    return { ok: false, status: 401, error: 'wrong user name or password' };
  }
  await engine.store.loginFailures.clear(userKey(input.username));
  const { idleMs, maxAgeMs } = sessionLimits(engine);
  await engine.store.sessions.deleteExpired(now - idleMs, now - maxAgeMs);
  const s = newSession();
  await engine.store.sessions.create({ idHash: s.idHash, userId: user.id, csrfToken: s.csrfToken });
  await engine.store.audit.record({ entity: 'session', action: 'login:ok', actor: `user:${user.name}`, detail: { ip: input.ip } });
  return { ok: true, sessionId: s.id, csrfToken: s.csrfToken, user: user.name, role: user.role, maxAgeSeconds: Math.floor(maxAgeMs / 1000) };
}

export async function logout(engine: Engine, input: { idHash: string; user: string; ip: string }): Promise<void> {
  await engine.store.sessions.delete(input.idHash);
  await engine.store.audit.record({ entity: 'session', action: 'logout', actor: `user:${input.user}`, detail: { ip: input.ip } });
}
