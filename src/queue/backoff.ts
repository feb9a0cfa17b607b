/** Retry delays: capped exponential backoff with equal jitter, unless the remote said when to come back. */
import { randomInt } from 'node:crypto';
import type { Backoff } from './types.js';

/** Delay before the next attempt, after `attempts` attempts (1 = the first one failed). */
export function retryDelayMs(attempts: number, backoff: Backoff, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) return Math.ceil(retryAfterMs);
  const exponent = Math.max(0, attempts - 1);
  const capped = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** exponent);
  const half = Math.floor(Math.max(0, capped) / 2);
  // Equal jitter: at least half the delay, so retries never bunch up at zero.
  return half + randomInt(0, half + 1);
}
