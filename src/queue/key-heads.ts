/**
 * Key heads (migration 009). A keyed job enqueued behind an older QUEUED job of its key is stored
 * `waiting = 1`: it is not in the ready index, so claims do not walk past it. The head of a key is its
 * oldest queued-or-running job; when a keyed job leaves queued/running (done, dead, discarded) the job that
 * is now its key's head is promoted (`waiting = 0`) in the same transaction as the change.
 *
 * `waiting` is a filter, not the rule: the claim still checks exactly that a keyed job is its key's head
 * and that no other job of the key runs (claim-jobs.ts), so a job left `waiting = 0` behind a running
 * one costs one index probe per claim while that job runs, and nothing else. The one thing that must not
 * happen is a head left waiting. Two transactions could race there on PostgreSQL, where every statement
 * decides on its own snapshot: an enqueue that sees an older job of its key and stores its job waiting,
 * while that older job's completion, not seeing the uncommitted enqueue, promotes nothing. Hence:
 * - a RUNNING older job does not make a new job wait: it may complete at any moment, and the claim's head
 *   check keeps the new job back until it has;
 * - a QUEUED older job does, and the enqueue locks it (`for key share`, PostgreSQL) until the enqueue
 *   commits. A queued job leaves `queued` only by a claim, which takes it `for update skip locked` and so
 *   skips it while it is locked, or by a delete (discard), which waits for the lock: it is claimed only
 *   after the enqueue committed, and its completion (a later statement) sees the new job and promotes it.
 *   A claim that took the older job first makes the enqueue wait for it and re-read the row (running now:
 *   no wait). `key share`, not `share`: a promotion only writes `waiting` (not a key column), so it never
 *   waits for an enqueue's lock — two handler transactions that enqueue into each other's keys and then
 *   complete (promote) cannot deadlock.
 * `repairHeads` stays as the safety net for what no statement can order — a crash between two autocommit
 * statements (SQLite), a row edited by hand: `Queue.claim` runs it at most once a second per process.
 */
import { CompiledQuery, sql, type RawBuilder } from 'kysely';
import type { Executor, StoreDialect } from '../store/index.js';

const QUEUED_OR_RUNNING = `state in ('queued', 'running')`;

/** The id of the oldest queued-or-running job of the key `keyExpr` (SQL), the jobs `exclude` (a PostgreSQL id array) left out. */
function nextHead(keyExpr: string, exclude: string): string {
  return `(select h.id from jobs h where h.key = ${keyExpr} and h.${QUEUED_OR_RUNNING} and h.id <> all(${exclude}) order by h.id limit 1)`;
}

/** A keyed job left queued/running: promote its key's head. */
export interface KeyExit {
  id: number;
  key: string;
}

/**
 * Promotes the head of each exit's key: its oldest queued-or-running job, unless that is one of the exits
 * (within one PostgreSQL statement the exits still look running). Run it after the exits, in their transaction.
 */
export async function promoteHeads(db: Executor, dialect: StoreDialect, exits: readonly KeyExit[]): Promise<void> {
  if (exits.length === 0) return;
  if (dialect === 'postgres') {
    await db.executeQuery(
      CompiledQuery.raw(
        `update jobs set waiting = 0 where waiting = 1 and id in (select ${nextHead('c.key', '$2::bigint[]')} from unnest($1::text[]) as c(key))`,
        [[...new Set(exits.map((e) => e.key))], exits.map((e) => e.id)],
      ),
    );
    return;
  }
  for (const key of new Set(exits.map((e) => e.key))) {
    await db.executeQuery(
      CompiledQuery.raw(`update jobs set waiting = 0 where waiting = 1 and id = (select h.id from jobs h where h.key = ? and h.${QUEUED_OR_RUNNING} order by h.id limit 1)`, [key]),
    );
  }
}

/**
 * The PostgreSQL statement that completes claimed jobs and promotes their keys' heads in one round trip:
 * `$1` now, `$2` ids, `$3` workers, `$4` attempts. Returns the ids completed.
 */
export const COMPLETE_AND_PROMOTE_PG =
  `with c as (update jobs set state = 'done', locked_by = null, locked_until = null, updated_at = $1 ` +
  `from unnest($2::bigint[], $3::text[], $4::int[]) as x(id, locked_by, attempts) ` +
  `where jobs.id = x.id and jobs.state = 'running' and jobs.locked_by = x.locked_by and jobs.attempts = x.attempts returning jobs.id, jobs.key), ` +
  `p as (update jobs set waiting = 0 where waiting = 1 and id in (select ${nextHead('k.key', '$2::bigint[]')} from (select distinct key from c where key is not null) k)) ` +
  `select id from c`;

/**
 * The same for ONE job (`$1` now, `$2` id, `$3` worker, `$4` attempts): nearly every completion batch of
 * an order burst holds one job. Named, this text gets PostgreSQL's generic plan after a few runs; the
 * `unnest` form above is planned anew on every run (its generic plan is estimated for 100 array elements,
 * so the planner keeps choosing a custom plan: ~1 ms of server CPU per completion).
 */
export const COMPLETE_ONE_AND_PROMOTE_PG =
  `with c as (update jobs set state = 'done', locked_by = null, locked_until = null, updated_at = $1 ` +
  `where id = $2 and state = 'running' and locked_by = $3 and attempts = $4 returning id, key), ` +
  `p as (update jobs set waiting = 0 where waiting = 1 and id in (select ${nextHead('c.key', 'array[$2::bigint]')} from c where c.key is not null)) ` +
  `select id from c`;

/**
 * Promotes every key whose head (oldest queued-or-running job) is waiting; returns how many. Cost: one
 * pass over the waiting jobs' index (key, id) and one probe per key.
 */
export async function repairHeads(db: Executor): Promise<number> {
  const { numAffectedRows } = await db.executeQuery(
    CompiledQuery.raw(
      `update jobs set waiting = 0 where id in (select f.id from (select key, min(id) as id from jobs where waiting = 1 group by key) f ` +
        `where not exists (select 1 from jobs h where h.key = f.key and h.${QUEUED_OR_RUNNING} and h.id < f.id))`,
      [],
    ),
  );
  return Number(numAffectedRows ?? 0n);
}

/** PostgreSQL locks the queued job a new job waits behind until the enqueue commits (see above). */
const lockQueued = (dialect: StoreDialect) => (dialect === 'postgres' ? ' for key share' : '');

/** The condition "an older job of key `keyExpr` (SQL) is queued", locking it on PostgreSQL (see above). */
export function queuedAhead(keyExpr: string, dialect: StoreDialect): string {
  return `exists (select 1 from jobs h where h.key = ${keyExpr} and h.state = 'queued'${lockQueued(dialect)})`;
}

/** `waiting` of a single job being enqueued with this key: 1 when an older job of its key is queued. */
export function waitingFor(key: string, dialect: StoreDialect): RawBuilder<number> {
  return sql<number>`(case when exists (select 1 from jobs h where h.key = ${key} and h.state = 'queued'${sql.raw(lockQueued(dialect))}) then 1 else 0 end)`;
}

/**
 * The value of `waiting` for a job being inserted as queued (one per row of an INSERT): 1 when the row
 * is told so (an earlier row of the same statement has its key) or an older job of its key is queued.
 * Two placeholders: the hint (0/1), then the key.
 */
export function waitingSql(p: () => string, dialect: StoreDialect): string {
  return `(case when ${p()} = 1 then 1 when ${queuedAhead(p(), dialect)} then 1 else 0 end)`;
}
