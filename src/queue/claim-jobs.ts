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
 * Keyed jobs stored behind their key's head (`waiting = 1`, key-heads.ts) are not in the ready index at
 * all, so the walk meets only the few heads; the exact head checks stay, `waiting` is only a filter.
 * State values are literals, not parameters: SQLite uses a partial index only when it sees its WHERE.
 *
 * PostgreSQL commits the claim asynchronously (`set_config('synchronous_commit', 'off', true)` evaluated
 * by the statement, for its own transaction only): the claim does not wait for its WAL flush (~3–5 ms here,
 * p99 10+ ms on a busy disk), which is half of an idle job's wake-up. Why that is safe (docs/scaling.md,
 * "Idle latency"): any later synchronous commit — the job's effects, its completion, another enqueue, a
 * lease renewal — flushes the WAL past the claim, so nothing durable can follow a lost claim; a claim is lost
 * only if the database HOST crashes (not PostgreSQL alone) within ~0.6 s (3 × wal_writer_delay), and the job
 * is then queued again, as after a worker's crash. If the claiming process survives and claims the job
 * again, PostgreSQL gives it the same worker id and attempt number as the run still going on: `Queue.claim`
 * does not start such a job twice (`ClaimsHeld`).
 */
import { CompiledQuery } from 'kysely';
import type { Insertable, Selectable } from 'kysely';
import type { StoreDialect } from '../store/index.js';
import type { JobsTable } from '../store/schema.js';
import type { Job } from './types.js';
import { COMPLETE_AND_PROMOTE_PG, waitingSql } from './key-heads.js';

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
  const postgres = dialect === 'postgres';
  // PostgreSQL: the clock and the limit as one-row sub-selects (initplans), opaque to the planner in the
  // custom plans as in the generic one: both cost the same, so a named claim gets the generic plan after
  // 5 runs (planned once per connection; with bare parameters the custom plans, which see the limit,
  // always looked cheaper and every claim was planned anew, ~1 ms of server CPU). The generic plan walks
  // jobs_ready in claim order under the limit, as the custom ones do (test/queue/claim-plan.test.ts).
  const t = (type: string) => (postgres ? `(select ${p()}::${type})` : p());
  const text =
    `update jobs set state = 'running', attempts = attempts + 1, locked_by = ${p()}, locked_until = ${p()}, updated_at = ${p()} ` +
    (postgres ? `from (select set_config('synchronous_commit', 'off', true)) as async_commit ` : '') +
    `where id in (select j.id from jobs j ` +
    `where j.state in ('queued', 'running') and j.waiting = 0 ` +
    `and ((j.state = 'queued' and j.run_at <= ${t('bigint')}) or (j.state = 'running' and j.locked_until < ${t('bigint')})) ` +
    (kindCount > 0 ? `and j.kind in (${Array.from({ length: kindCount }, p).join(', ')}) ` : '') +
    (minPriority ? `and j.priority >= ${p()} ` : '') +
    `and (j.key is null or (` +
    `not exists (select 1 from jobs h where h.key = j.key and h.state in ('queued', 'running') and h.id < j.id) ` +
    `and not exists (select 1 from jobs r where r.key = j.key and r.state = 'running' and r.locked_until >= ${t('bigint')} and r.id <> j.id))) ` +
    `order by j.priority desc, j.run_at, j.id limit ${t('int')}` +
    (postgres ? ' for update skip locked' : '') +
    `) returning ${postgres ? 'jobs.*' : '*'}`;
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
 * A multi-row INSERT for plain (non-dedupe) queued jobs: `RETURNING id`, except for a single row on SQLite,
 * where the driver's insertId is cheaper. Each row's `waiting` is computed in the statement (key-heads.ts);
 * a row whose key an earlier row of the statement has waits behind it (ids follow the VALUES order).
 */
export function insertJobsQuery(dialect: StoreDialect, rows: readonly Insertable<JobsTable>[]): CompiledQuery<{ id: number }> {
  const params: unknown[] = [];
  const keys = new Set<string>();
  for (const row of rows) {
    for (const column of INSERT_COLUMNS) params.push(row[column] ?? null);
    const key = row.key ?? null;
    params.push(key !== null && keys.has(key) ? 1 : 0, key);
    if (key !== null) keys.add(key);
  }
  return CompiledQuery.raw(insertSql(dialect, rows.length), params) as CompiledQuery<{ id: number }>;
}

const insertCache = new Map<string, string>();

function insertSql(dialect: StoreDialect, rowCount: number): string {
  const cacheKey = `${dialect}:${rowCount}`;
  const cached = insertCache.get(cacheKey);
  if (cached) return cached;
  const p = placeholders(dialect);
  const groups = Array.from({ length: rowCount }, () => `(${INSERT_COLUMNS.map(p).join(', ')}, ${waitingSql(p, dialect)})`);
  const returning = dialect === 'sqlite' && rowCount === 1 ? '' : ' returning id';
  const text = `insert into jobs (${INSERT_COLUMNS.join(', ')}, waiting) values ${groups.join(', ')}${returning}`;
  // Batches come in a few sizes (full chunks and one remainder each): keep the cache small anyway.
  if (insertCache.size > 64) insertCache.clear();
  insertCache.set(cacheKey, text);
  return text;
}

/**
 * PostgreSQL: completes claimed jobs in one statement, each guarded by its claim (worker + attempt), and
 * promotes the heads of their keys in the same statement.
 */
export function completeManyQuery(jobs: readonly Pick<Job, 'id' | 'lockedBy' | 'attempts'>[], now: number): CompiledQuery<{ id: number }> {
  return CompiledQuery.raw(
    COMPLETE_AND_PROMOTE_PG,
    [now, jobs.map((j) => j.id), jobs.map((j) => j.lockedBy ?? ''), jobs.map((j) => j.attempts)],
  ) as CompiledQuery<{ id: number }>;
}

/**
 * The claims this process holds (job id, worker id, attempt): from a claim until the job's completion,
 * failure or release is asked for. A claim that returns a job already held under the same worker id and
 * attempt is that claim again — the first was committed asynchronously and lost with the database host,
 * the run it started still goes on — and is not started a second time. Bounded (oldest forgotten first).
 */
export class ClaimsHeld {
  private readonly held = new Set<string>();

  constructor(private readonly max = 100_000) {}

  private static key(job: Pick<Job, 'id' | 'lockedBy' | 'attempts'>): string {
    return `${job.id}|${job.attempts}|${job.lockedBy ?? ''}`;
  }

  /** The claimed jobs not already held (held from now on). */
  take<T extends Pick<Job, 'id' | 'lockedBy' | 'attempts'>>(jobs: T[]): T[] {
    const fresh = jobs.filter((job) => !this.held.has(ClaimsHeld.key(job)));
    for (const job of fresh) {
      if (this.held.size >= this.max) this.held.delete(this.held.values().next().value as string);
      this.held.add(ClaimsHeld.key(job));
    }
    return fresh;
  }

  /** The job's claim ends (completion, failure or release asked for, whatever the outcome). */
  drop(job: Pick<Job, 'id' | 'lockedBy' | 'attempts'>): void {
    this.held.delete(ClaimsHeld.key(job));
  }

  get size(): number {
    return this.held.size;
  }
}
