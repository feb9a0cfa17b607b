/** Jobs as the rest of Tandem sees them, and their rows. */
import type { Selectable } from 'kysely';
import type { SerializedError } from '../shared/errors.js';
import { fromJsonText } from '../store/columns.js';
import type { Json, JobState } from '../store/index.js';
import type { JobsTable } from '../store/schema.js';

export interface Backoff {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export interface NewJob {
  kind: string;
  payload: Json;
  /** Jobs with the same key never run at the same time, and run in the order they were enqueued. */
  key?: string;
  /** Higher first (default 0). */
  priority?: number;
  /** Not before this time (epoch ms; default now). */
  runAt?: number;
  /** Default 8. */
  maxAttempts?: number;
  backoff?: Backoff;
  /** Do not enqueue when a queued (not running) job with the same kind+key exists; return its id. Needs a key. */
  dedupe?: boolean;
  /** The record the job is about ("<entity>:<side>:<id>"): when it dies, it joins that record's one dead letter. */
  recordKey?: string;
}

export interface Job {
  id: string;
  kind: string;
  key: string | null;
  payload: Json;
  priority: number;
  runAt: number;
  /** Times the job was started (a claim counts one; a release gives it back). */
  attempts: number;
  /**
   * Attempts that ended in an error (backoff and the dead point count these). The other past claims,
   * `attempts - 1 - failedAttempts` while it runs, were runs lost to a stopped worker (backoff.ts lostRuns).
   */
  failedAttempts: number;
  maxAttempts: number;
  state: JobState;
  lockedBy: string | null;
  lockedUntil: number | null;
  lastError: SerializedError | null;
  /** The job's own backoff (null: the queue's default). */
  backoff: Backoff | null;
  createdAt: number;
  updatedAt: number;
  recordKey: string | null;
  /** Dead letters: how often the record failed for good; 0 for a job that never died. */
  failures: number;
  lastFailedAt: number | null;
}

export interface JobFilter {
  state?: JobState;
  kind?: string;
  key?: string;
  limit?: number;
  offset?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 8;
export const DEFAULT_BACKOFF: Backoff = { initialMs: 5_000, maxMs: 3_600_000, factor: 3 };

export function toJob(row: Selectable<JobsTable>): Job {
  return {
    id: String(row.id),
    kind: row.kind,
    key: row.key,
    payload: fromJsonText(row.payload),
    priority: row.priority,
    runAt: row.run_at,
    attempts: row.attempts,
    failedAttempts: row.failed_attempts ?? 0,
    maxAttempts: row.max_attempts,
    state: row.state,
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until,
    lastError: fromJsonText<SerializedError>(row.last_error),
    backoff: fromJsonText<Backoff>(row.backoff),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    recordKey: row.record_key ?? null,
    failures: row.failures ?? 0,
    lastFailedAt: row.last_failed_at ?? null,
  };
}
