/**
 * Credentials of a request → Principal. A bearer token (`Authorization: Bearer tdm_…`) is looked up by
 * its sha256; the deprecated `server.apiToken` is an admin token; otherwise the session cookie, valid
 * while neither idle longer than server.session.idleTimeout nor older than server.session.maxAge.
 * Credentials are never read from the URL.
 */
import type { IncomingMessage } from 'node:http';
import { parseInterval } from '../../config/duration.js';
import type { Engine } from '../../engine/context.js';
import { hashToken, sameSecret } from './api-token.js';
import type { Principal } from './principal.js';
import { hashSessionId, sessionIdOf } from './session-cookie.js';

/** Writes of last-use times at most this often per token or session. */
const TOUCH_MS = 60_000;

export const LEGACY_TOKEN_NAME = 'server.apiToken';

export function sessionLimits(engine: Engine): { idleMs: number; maxAgeMs: number } {
  const s = engine.config.server.session;
  return { idleMs: parseInterval(s.idleTimeout) ?? 3_600_000, maxAgeMs: parseInterval(s.maxAge) ?? 43_200_000 };
}

function bearerOf(req: IncomingMessage): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

/** The principal; null without credentials; 'invalid' for a wrong token or an expired / unknown session. */
export async function authenticate(engine: Engine, req: IncomingMessage, lastTouch: Map<string, number>): Promise<Principal | null | 'invalid'> {
  const now = engine.now().getTime();
  const bearer = bearerOf(req);
  if (bearer !== undefined) {
    const legacy = engine.config.server.apiToken;
    if (legacy && sameSecret(bearer, legacy)) return { kind: 'token', name: LEGACY_TOKEN_NAME, role: 'admin' };
    const token = await engine.store.tokens.findByHash(hashToken(bearer));
    if (!token) return 'invalid';
    if (now - (lastTouch.get(token.id) ?? 0) > TOUCH_MS) {
      lastTouch.set(token.id, now);
      await engine.store.tokens.touch(token.id);
    }
    return { kind: 'token', name: token.name, role: token.role };
  }
  const id = sessionIdOf(req);
  if (id === undefined) return req.headers.cookie?.includes('tandem_session=') ? 'invalid' : null;
  const idHash = hashSessionId(id);
  const s = await engine.store.sessions.get(idHash);
  if (!s) return 'invalid';
  const { idleMs, maxAgeMs } = sessionLimits(engine);
  if (now - s.lastSeenAt > idleMs || now - s.createdAt > maxAgeMs) {
    await engine.store.sessions.delete(idHash);
    return 'invalid';
  }
  if (now - s.lastSeenAt > TOUCH_MS) await engine.store.sessions.touch(idHash);
  return { kind: 'session', name: s.userName, role: s.role, session: { idHash, csrfToken: s.csrfToken, userId: s.userId } };
}
