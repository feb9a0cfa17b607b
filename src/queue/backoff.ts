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

/**
 * Runs of a claimed job lost to its worker stopping before it finished (node killed -9, lease ended,
 * reaped): its claims that ended neither in a failure nor in a release. Such a run is not a failure of
 * the job: it re-runs at once (the reclaim does not wait for run_at), grows no backoff and does not count
 * toward maxAttempts — a healthy order that was on a killed node twice is not closer to dead.
 */
export function lostRuns(job: { attempts: number; failedAttempts: number }): number {
  return Math.max(0, job.attempts - 1 - job.failedAttempts);
}

/**
 * A job whose runs were lost this many times goes dead on its next claim, without running, with a reason
 * that says so. It likely kills its worker (a poison payload that exhausts memory or crashes the process):
 * left alone it would take down one node after another forever. Why 5: a healthy job loses a run only
 * when its node dies (or its lease ends) while it runs, at most once per such event; 5 of them while one
 * job is retried is past what a deploy or the chaos suite's 4 kills of 3 nodes do (at most 3 lost runs of
 * one job in 9 runs, docs/architecture.md "Chaos suite"), and a poison job is still parked after 5 node
 * crashes (~5 × the 15 s reaper delay) instead of never.
 */
export const MAX_LOST_RUNS = 5;

/** The failure count this failure makes (backoff exponent) and whether the job goes dead with it. */
export function afterFailure(job: { attempts: number; failedAttempts: number; maxAttempts: number }, err: { kind: string; retryable: boolean }): { failures: number; dead: boolean } {
  const failures = job.failedAttempts + 1;
  return { failures, dead: !err.retryable || failures >= attemptsAllowed(job, err) || lostRuns(job) >= MAX_LOST_RUNS };
}
