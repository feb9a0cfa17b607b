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

/**
 * A remote system that answers "slow down" (429, `rate_limited`) is not failing the job: its tries count
 * against THROTTLED_ATTEMPTS_FACTOR × maxAttempts, so a burst of throttling (many jobs waiting on one
 * limit, a loaded machine) does not send orders to the dead letters while any other transient error
 * still goes dead after maxAttempts. Still bounded: a system that throttles forever ends in the dead letters.
 */
export const THROTTLED_ATTEMPTS_FACTOR = 3;

export function attemptsAllowed(job: { maxAttempts: number }, err: { kind: string }): number {
  return err.kind === 'rate_limited' ? job.maxAttempts * THROTTLED_ATTEMPTS_FACTOR : job.maxAttempts;
}
