/** The dashboard's session cookie: HttpOnly, SameSite=Strict, Secure over https; parsed with `cookie`. */
import type { IncomingMessage } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { parse, serialize } from 'cookie';

export const SESSION_COOKIE = 'tandem_session';

/** A new session id (sent in the cookie) and its hash (stored), and a CSRF token bound to it. */
export function newSession(): { id: string; idHash: string; csrfToken: string } {
  const id = randomBytes(32).toString('base64url');
  return { id, idHash: hashSessionId(id), csrfToken: randomBytes(32).toString('base64url') };
}

export function hashSessionId(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}

export function sessionIdOf(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  const id = parse(header)[SESSION_COOKIE];
  return id && /^[A-Za-z0-9_-]{43}$/.test(id) ? id : undefined;
}

export function sessionCookie(id: string, opts: { secure: boolean; maxAgeSeconds: number }): string {
  return serialize(SESSION_COOKIE, id, { httpOnly: true, sameSite: 'strict', secure: opts.secure, path: '/', maxAge: opts.maxAgeSeconds });
}

export function clearedSessionCookie(secure: boolean): string {
  return serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'strict', secure, path: '/', maxAge: 0 });
}
