/**
 * Claiming jobs in ONE statement: `UPDATE jobs SET state='running', … WHERE id IN (SELECT … LIMIT n) RETURNING *`,
 * with `FOR UPDATE SKIP LOCKED` in the sub-select on PostgreSQL (on SQLite the statement holds the write
 * lock, so two processes cannot pick the same rows).
 *
 * A job can be claimed when it is queued and due, or running with an expired lease (its worker died:
 * that is the reclaim). A keyed job only when it is the oldest queued-or-running job of its key and no
 * other job of the key runs with a live lease. A retrying job (queued, run_at in the future) is still the
 * oldest of its key, so it holds back the jobs behind it; a dead or done one does not.
 */
import { sql } from 'kysely';
import type { Executor, StoreDialect } from '../store/index.js';

export interface ClaimOptions {
  limit: number;
  leaseMs: number;
  kinds?: string[];
}

export function claimJobs(db: Executor, dialect: StoreDialect, workerId: string, now: number, opts: ClaimOptions) {
  const candidates = db
    .selectFrom('jobs as j')
    .select('j.id')
    // Literal values, not parameters: SQLite uses a partial index only when it sees its WHERE in the query.
    .where(sql<boolean>`j.state in ('queued', 'running')`)
    .where((eb) =>
      eb.or([
        eb.and([eb('j.state', '=', 'queued'), eb('j.run_at', '<=', now)]),
        eb.and([eb('j.state', '=', 'running'), eb('j.locked_until', '<', now)]),
      ]),
    )
    .$if(opts.kinds !== undefined, (qb) => qb.where('j.kind', 'in', opts.kinds as string[]))
    .where((eb) =>
      eb.or([
        eb('j.key', 'is', null),
        eb.and([
          eb.not(
            eb.exists(
              eb
                .selectFrom('jobs as h')
                .select(sql.lit(1).as('one'))
                .whereRef('h.key', '=', 'j.key')
                .where(sql<boolean>`h.state in ('queued', 'running')`)
                .whereRef('h.id', '<', 'j.id'),
            ),
          ),
          eb.not(
            eb.exists(
              eb
                .selectFrom('jobs as r')
                .select(sql.lit(1).as('one'))
                .whereRef('r.key', '=', 'j.key')
                .where(sql<boolean>`r.state = 'running'`)
                .where('r.locked_until', '>=', now)
                .whereRef('r.id', '<>', 'j.id'),
            ),
          ),
        ]),
      ]),
    )
    .orderBy('j.priority', 'desc')
    .orderBy('j.run_at')
    .orderBy('j.id')
    .limit(opts.limit)
    .$if(dialect === 'postgres', (qb) => qb.forUpdate().skipLocked());

  return db
    .updateTable('jobs')
    .set((eb) => ({
      state: 'running',
      attempts: eb('attempts', '+', 1),
      locked_by: workerId,
      locked_until: now + opts.leaseMs,
      // Leaves the dedupe index: a new tick may queue the next run while this one runs.
      dedupe_key: null,
      updated_at: now,
    }))
    .where('id', 'in', candidates)
    .returningAll();
}
