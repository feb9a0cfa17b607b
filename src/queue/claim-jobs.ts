/**
 * The two hot statements of the queue, written as SQL text once per shape (building them with Kysely's
 * query builder cost more than running them: ~0.3 ms per claim).
 *
 * Claim, in ONE statement: `UPDATE jobs SET state='running', … WHERE id IN (SELECT … LIMIT n) RETURNING *`,
 * with `FOR UPDATE SKIP LOCKED` in the sub-select on PostgreSQL (on SQLite the statement holds the write
 * lock, so two processes cannot pick the same rows).
 *
 * A job can be claimed when it is queued and due, or running with an expired lease (its worker died:
 * that is the reclaim). A keyed job only when it is the oldest queued-or-running job of its key and no
 * other job of the key runs with a live lease. A retrying job (queued, run_at in the future) is still the
 * oldest of its key, so it holds back the jobs behind it; a dead or done one does not.
 * State values are literals, not parameters: SQLite uses a partial index only when it sees its WHERE.
 */
import { CompiledQuery } from 'kysely';
import type { Insertable, Selectable } from 'kysely';
import type { StoreDialect } from '../store/index.js';
import type { JobsTable } from '../store/schema.js';
import type { Job } from './types.js';

export interface ClaimOptions {
  limit: number;
  leaseMs: number;
  /** Only jobs of these kinds (default: any). */
  kinds?: string[];
  /** Only jobs of at least this priority (default: any). */
  minPriority?: number;
}

function placeholders(dialect: StoreDialect): () => string {
  let n = 0;
  return () => (dialect === 'postgres' ? `$${++n}` : '?');
}

const claimCache = new Map<string, string>();

function claimSql(dialect: StoreDialect, kindCount: number, minPriority: boolean): string {
  const cacheKey = `${dialect}:${kindCount}:${minPriority}`;
  const cached = claimCache.get(cacheKey);
  if (cached) return cached;
  const p = placeholders(dialect);
  // Placeholders in text order: workerId, lockedUntil, updatedAt, now, now, ...kinds, [minPriority], now, limit.
  const text =
    `update jobs set state = 'running', attempts = attempts + 1, locked_by = ${p()}, locked_until = ${p()}, updated_at = ${p()} ` +
    `where id in (select j.id from jobs j ` +
    `where j.state in ('queued', 'running') ` +
    `and ((j.state = 'queued' and j.run_at <= ${p()}) or (j.state = 'running' and j.locked_until < ${p()})) ` +
    (kindCount > 0 ? `and j.kind in (${Array.from({ length: kindCount }, p).join(', ')}) ` : '') +
    (minPriority ? `and j.priority >= ${p()} ` : '') +
    `and (j.key is null or (` +
    `not exists (select 1 from jobs h where h.key = j.key and h.state in ('queued', 'running') and h.id < j.id) ` +
    `and not exists (select 1 from jobs r where r.key = j.key and r.state = 'running' and r.locked_until >= ${p()} and r.id <> j.id))) ` +
    `order by j.priority desc, j.run_at, j.id limit ${p()}` +
    (dialect === 'postgres' ? ' for update skip locked' : '') +
    `) returning *`;
  claimCache.set(cacheKey, text);
  return text;
}

/**
 * A claimed dedupe job leaves the unique index (it covers queued jobs only), so a new tick may queue the
 * next run while this one runs. Its dedupe_key is cleared when it goes back to queued (retry, release,
 * replay) — not here: touching that column doubles the cost of a claim on SQLite.
 */
export function claimQuery(dialect: StoreDialect, workerId: string, now: number, opts: ClaimOptions): CompiledQuery<Selectable<JobsTable>> {
  const kinds = opts.kinds ?? [];
  const min = opts.minPriority !== undefined ? [opts.minPriority] : [];
  return CompiledQuery.raw(claimSql(dialect, kinds.length, min.length > 0), [workerId, now + opts.leaseMs, now, now, now, ...kinds, ...min, now, opts.limit]) as CompiledQuery<
    Selectable<JobsTable>
  >;
}

const INSERT_COLUMNS = ['kind', 'key', 'dedupe_key', 'payload', 'priority', 'run_at', 'attempts', 'max_attempts', 'backoff', 'state', 'created_at', 'updated_at', 'record_key'] as const;

/**
 * A multi-row INSERT for plain (non-dedupe) jobs: `RETURNING id`, except for a single row on SQLite,
 * where the driver's insertId is cheaper.
 */
export function insertJobsQuery(dialect: StoreDialect, rows: readonly Insertable<JobsTable>[]): CompiledQuery<{ id: number }> {
  const params: unknown[] = [];
  for (const row of rows) for (const column of INSERT_COLUMNS) params.push(row[column] ?? null);
  return CompiledQuery.raw(insertSql(dialect, rows.length), params) as CompiledQuery<{ id: number }>;
}

const insertCache = new Map<string, string>();

function insertSql(dialect: StoreDialect, rowCount: number): string {
  const cacheKey = `${dialect}:${rowCount}`;
  const cached = insertCache.get(cacheKey);
  if (cached) return cached;
  const p = placeholders(dialect);
  const groups = Array.from({ length: rowCount }, () => `(${INSERT_COLUMNS.map(p).join(', ')})`);
  const returning = dialect === 'sqlite' && rowCount === 1 ? '' : ' returning id';
  const text = `insert into jobs (${INSERT_COLUMNS.join(', ')}) values ${groups.join(', ')}${returning}`;
  // Batches come in a few sizes (full chunks and one remainder each): keep the cache small anyway.
  if (insertCache.size > 64) insertCache.clear();
  insertCache.set(cacheKey, text);
  return text;
}

/** PostgreSQL: completes claimed jobs in one statement, each guarded by its claim (worker + attempt). */
export function completeManyQuery(jobs: readonly Pick<Job, 'id' | 'lockedBy' | 'attempts'>[], now: number): CompiledQuery<{ id: number }> {
  return CompiledQuery.raw(
    `update jobs set state = 'done', locked_by = null, locked_until = null, updated_at = $1 ` +
      `from unnest($2::bigint[], $3::text[], $4::int[]) as c(id, locked_by, attempts) ` +
      `where jobs.id = c.id and jobs.state = 'running' and jobs.locked_by = c.locked_by and jobs.attempts = c.attempts returning jobs.id`,
    [now, jobs.map((j) => j.id), jobs.map((j) => j.lockedBy ?? ''), jobs.map((j) => j.attempts)],
  ) as CompiledQuery<{ id: number }>;
}
