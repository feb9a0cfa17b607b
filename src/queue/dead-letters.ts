/**
 * One dead letter per record. A job that knows its record (`recordKey`, "<entity>:<side>:<id>") and dies
 * joins that record's dead letter if there is one — its count of failures goes up, its time of the last
 * failure, error and payload become the newest — instead of adding a row; a partial unique index
 * (migration 006) guarantees one dead job per record key even when two processes race.
 */
import { sql } from 'kysely';
import { toJsonText, toRowId } from '../store/columns.js';
import type { Executor, Json } from '../store/index.js';
import type { Job } from './types.js';

export interface Failure {
  payload: Json;
  lastError: string;
  now: number;
}

/** The id of the record's other dead letter (not `exceptId`), or undefined. */
export async function deadLetterOf(db: Executor, recordKey: string, exceptId: number): Promise<number | undefined> {
  const row = await db.selectFrom('jobs').select('id').where('record_key', '=', recordKey).where(sql<boolean>`state = 'dead'`).where('id', '!=', exceptId).executeTakeFirst();
  return row?.id;
}

/** Counts one more failure on the dead letter `id`, with the newest payload and error. */
export async function addFailure(db: Executor, id: number, f: Failure): Promise<void> {
  await db
    .updateTable('jobs')
    .set((eb) => ({ payload: toJsonText(f.payload), last_error: f.lastError, failures: eb('failures', '+', 1), last_failed_at: f.now, updated_at: f.now }))
    .where('id', '=', id)
    .execute();
}

/** A unique violation of jobs_dead_record: another process made the record's dead letter meanwhile. */
export function isDeadLetterRace(err: unknown): boolean {
  const text = `${(err as { code?: unknown })?.code ?? ''} ${(err as Error)?.message ?? ''}`;
  return /jobs_dead_record|23505|UNIQUE constraint failed: jobs\.record_key/.test(text);
}

/**
 * A claimed job of a record dies: into the record's dead letter if it has one (the job's row goes), else
 * the job becomes it. Guarded by the claim like every change of a claimed job: 'lost' when it was lost.
 */
export async function dieAsRecord(tx: Executor, job: Job, recordKey: string, lastError: string, now: number): Promise<'dead' | 'lost'> {
  const id = toRowId(job.id) ?? -1;
  const existing = await deadLetterOf(tx, recordKey, id);
  if (existing === undefined) {
    const res = await tx
      .updateTable('jobs')
      .set((eb) => ({ state: 'dead', last_error: lastError, failures: eb('failures', '+', 1), failed_attempts: eb('failed_attempts', '+', 1), last_failed_at: now, locked_by: null, locked_until: null, dedupe_key: null, updated_at: now }))
      .where('id', '=', id)
      .where('state', '=', 'running')
      .where('locked_by', '=', job.lockedBy ?? '')
      .where('attempts', '=', job.attempts)
      .executeTakeFirst();
    return res.numUpdatedRows === 0n ? 'lost' : 'dead';
  }
  const gone = await tx.deleteFrom('jobs').where('id', '=', id).where('state', '=', 'running').where('locked_by', '=', job.lockedBy ?? '').where('attempts', '=', job.attempts).executeTakeFirst();
  if (gone.numDeletedRows === 0n) return 'lost';
  await addFailure(tx, existing, { payload: job.payload, lastError, now });
  return 'dead';
}
