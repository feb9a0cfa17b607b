/**
 * The one retry policy of Tandem.
 *
 * WHAT is retried is a property of the error: a SyncError of a transient kind (network, rate_limited,
 * unavailable, conflict — `retryable`, shared/errors.ts); a permanent one never is; a throttled job
 * (`rate_limited`) gets 3 × its attempts (queue/backoff.ts attemptsAllowed). WHEN: after the
 * queue's backoff (capped exponential with equal jitter, queue/backoff.ts); a Retry-After the system sent
 * wins. WHERE, from the nearest to the farthest, each layer retrying only what the one inside gave up on:
 *
 *   1. a batch, in process (waitBeforeRetry, retryTransientFailures): a run of a flow direction that fails
 *      transiently while reading or syncing a batch tries that batch again (after the last committed one),
 *      up to BATCH_RETRY.attempts times, a few seconds at most — a run gets through a short hiccup (the
 *      stock sync likewise for its read, its lookup and its write);
 *   2. one record (a record job): a record whose own write failed transiently, or that is not ready at its
 *      source yet, is skipped by its batch and synced again by a record job after retryDelayOfRecord();
 *   3. a job (the queue): a job whose handler throws a transient error runs again after the job's backoff
 *      (the flow's `errors.backoff`, see jobRetryOf()) up to its attempts (`errors.maxAttempts`), then
 *      waits in the dead letters for an operator.
 */
import { parseInterval } from '../config/duration.js';
import type { FlowConfig } from '../config/schema.js';
import { retryDelayMs, type Backoff } from '../queue/index.js';
import { toSyncError, type SyncError } from '../shared/errors.js';

export interface RetrySchedule {
  /** Tries in all. */
  attempts: number;
  backoff: Backoff;
}

/** Layer 1: a batch of a run, in process. */
export const BATCH_RETRY: RetrySchedule = { attempts: 5, backoff: { initialMs: 250, factor: 2, maxMs: 60_000 } };

/** Layer 2: when a record job syncs a record again that its batch could not write (unless the system said when). */
export const RECORD_RETRY_DELAY_MS = 30_000;

export function retryDelayOfRecord(err: Pick<SyncError, 'retryAfterMs'>): number {
  return err.retryAfterMs ?? RECORD_RETRY_DELAY_MS;
}

/** Layer 3: attempts and backoff of a flow's jobs, from its `errors` settings in tandem.yaml. */
export function jobRetryOf(flow: Pick<FlowConfig, 'errors'>): { maxAttempts: number; backoff: Backoff } {
  const b = flow.errors.backoff;
  return { maxAttempts: flow.errors.maxAttempts, backoff: { initialMs: parseInterval(b.initial) ?? 5000, maxMs: parseInterval(b.max) ?? 3_600_000, factor: b.factor } };
}

export interface InProcessRetry {
  schedule?: RetrySchedule;
  signal?: AbortSignal;
  onRetry?: (err: SyncError, delayMs: number, attempt: number) => void;
}

/**
 * After the `attempt`-th failure: waits before the next try when `e` is transient and tries are left;
 * throws `e` otherwise (permanent, the last try, or aborted).
 */
export async function waitBeforeRetry(e: unknown, attempt: number, opts: InProcessRetry = {}): Promise<void> {
  const schedule = opts.schedule ?? BATCH_RETRY;
  const err = toSyncError(e);
  if (!err.retryable || attempt >= schedule.attempts || opts.signal?.aborted) throw e;
  // in process a wait stays short: a longer Retry-After is the queue's business (the job is retried)
  const delayMs = Math.min(retryDelayMs(attempt, schedule.backoff, err.retryAfterMs), schedule.backoff.maxMs);
  opts.onRetry?.(err, delayMs, attempt);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, delayMs);
    opts.signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
  opts.signal?.throwIfAborted();
}

/** Runs `fn` (which must be safe to repeat) again after a transient failure, per the schedule. */
export async function retryTransientFailures<T>(fn: () => Promise<T>, opts: InProcessRetry = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      await waitBeforeRetry(e, attempt, opts);
    }
  }
}
