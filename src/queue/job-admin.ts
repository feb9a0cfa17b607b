/**
 * The queue's reads and housekeeping (the console, the CLI, retention): looking jobs up, counting them,
 * replaying, resolving and discarding dead ones, pruning done ones. Nothing here touches a claim.
 */
import { sql } from 'kysely';
import { SyncError } from '../shared/errors.js';
import { toJsonText, toRowId } from '../store/columns.js';
import type { Executor, JobState, StoreDialect } from '../store/index.js';
import { promoteHeads } from './key-heads.js';
import { toJob } from './types.js';
import type { Job, JobFilter, NewJob } from './types.js';

export const STATES: readonly JobState[] = ['queued', 'running', 'done', 'dead'];

/** `state = '<literal>'`: SQLite uses the partial indexes jobs_dead / jobs_done only for literal values. */
function stateIs(state: JobState) {
  if (!STATES.includes(state)) throw new SyncError('invalid_data', `unknown job state "${state}": use ${STATES.join(', ')}`);
  return sql<boolean>`state = ${sql.lit(state)}`;
}

export async function getJob(db: Executor, id: string): Promise<Job | undefined> {
  const rowId = toRowId(id);
  if (rowId === undefined) return undefined;
  const row = await db.selectFrom('jobs').selectAll().where('id', '=', rowId).executeTakeFirst();
  return row && toJob(row);
}

/** In id order. */
export async function listJobs(db: Executor, filter: JobFilter): Promise<Job[]> {
  let q = db.selectFrom('jobs').selectAll();
  if (filter.state !== undefined) q = q.where(stateIs(filter.state));
  if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
  if (filter.key !== undefined) q = q.where('key', '=', filter.key);
  const rows = await q
    .orderBy('id')
    .limit(filter.limit ?? 100)
    .offset(filter.offset ?? 0)
    .execute();
  return rows.map((r) => toJob(r));
}

export async function countJobs(db: Executor): Promise<Record<JobState, number>> {
  const rows = await db
    .selectFrom('jobs')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('state')
    .execute();
  const out = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<JobState, number>;
  for (const r of rows) out[r.state] = Number(r.n);
  return out;
}

/**
 * True while a job of `key` is running — on a live worker, or claimed by a stopped one and about to be
 * re-run from the start by the next claim (lease ended or reaped); index jobs_running.
 */
export async function keyRuns(db: Executor, key: string): Promise<boolean> {
  const row = await db.selectFrom('jobs').select('id').where('key', '=', key).where(stateIs('running')).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Deletes done jobs last changed before `before` (epoch ms); returns how many. */
export async function pruneJobs(db: Executor, before: number): Promise<number> {
  const res = await db.deleteFrom('jobs').where(stateIs('done')).where('updated_at', '<', before).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** A dead job → queued again with its attempts (and failures) reset, optionally with an edited payload. */
export async function replayJob(db: Executor, id: string, now: number, payload?: NewJob['payload']): Promise<void> {
  const res = await db
    .updateTable('jobs')
    // waiting 0: it may be older than its key's head now; the claim's exact head check orders them.
    .set({ state: 'queued', attempts: 0, failed_attempts: 0, run_at: now, dedupe_key: null, waiting: 0, updated_at: now, ...(payload !== undefined && { payload: toJsonText(payload) }) })
    .where('id', '=', toRowId(id) ?? -1)
    .where('state', '=', 'dead')
    .executeTakeFirst();
  if (res.numUpdatedRows === 0n) throw await notInState(db, id, 'dead', 'replayed');
}

/** Dead jobs of these keys → done (their record was synced since); returns how many. */
export async function resolveDeadJobs(db: Executor, kind: string, keys: readonly string[], now: number): Promise<number> {
  let n = 0;
  for (let i = 0; i < keys.length; i += 500) {
    const part = keys.slice(i, i + 500);
    if (part.length === 0) continue;
    const res = await db.updateTable('jobs').set({ state: 'done', updated_at: now }).where('state', '=', 'dead').where('kind', '=', kind).where('key', 'in', part).executeTakeFirst();
    n += Number(res.numUpdatedRows);
  }
  return n;
}

/** Deletes a job that is not running; a queued keyed one hands its key's head on (key-heads.ts). */
export async function discardJob(db: Executor, id: string, dialect: StoreDialect): Promise<void> {
  const gone = await db.deleteFrom('jobs').where('id', '=', toRowId(id) ?? -1).where('state', '!=', 'running').returning(['id', 'key', 'state']).executeTakeFirst();
  if (!gone) throw await notInState(db, id, 'queued, done or dead', 'discarded');
  if (gone.key !== null && gone.state === 'queued') await promoteHeads(db, dialect, [{ id: gone.id, key: gone.key }]);
}

async function notInState(db: Executor, id: string, wanted: string, verb: string): Promise<SyncError> {
  const job = await getJob(db, id);
  if (!job) return new SyncError('not_found', `job ${id} does not exist`, { record: id });
  return new SyncError('invalid_data', `job ${id} is ${job.state}: only ${wanted} jobs can be ${verb}`, { record: id });
}
