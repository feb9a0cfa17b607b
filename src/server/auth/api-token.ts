/**
 * API tokens: 32 random bytes, base64url, prefixed `tdm_` (so a leaked one is recognisable, e.g. by
 * secret scanners). Only the sha256 is stored: a token has 256 bits of entropy, so a fast hash is enough
 * (there is nothing to brute-force); the prefix kept for lists is too short to matter.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_PREFIX = 'tdm_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newApiToken(): { token: string; hash: string; prefix: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token), prefix: token.slice(0, TOKEN_PREFIX.length + 8) };
}

/** Timing-safe equality of two secrets of any length (compares their hashes). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
