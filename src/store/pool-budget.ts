/**
 * A node's PostgreSQL connection budget: `store.pool` pooled connections plus 1 for the job listener
 * (pg-listener.ts), whatever `workers.concurrency` is. SQLite ignores it (one connection per process).
 *
 * Why the pool does not grow with the workers: a job spends its time in ERP and shop calls, not in
 * statements, and no job holds a pooled connection across such a call. A connection is taken per
 * statement, or per transaction, and every transaction (webhook intake, a record batch's commit, an
 * order's import step, a poll's page, a dead letter's replay) runs only store statements on its own
 * connection: nothing remote is awaited inside one and nothing inside one asks the pool for a second
 * connection (that would also hang SQLite, whose single connection is taken by the transaction). So a
 * few connections serve any number of workers: they wait for a connection at most as long as the
 * statements queued before them take. test/store/small-pool.test.ts runs 32 workers on a pool of 3.
 */

/** The pool when `store.pool` is not set: 3 nodes × (10 + 1 listener) = 33 of a stock PostgreSQL's 100. */
export const DEFAULT_POOL = 10;

/** The smallest `store.pool`: one connection for a transaction, one so claims, lease renewals and the node's heartbeat do not wait behind it. */
export const MIN_POOL = 2;

/** The pool size for a `store.pool` setting (undefined: the default). */
export function poolSize(configured: number | undefined): number {
  return configured ?? DEFAULT_POOL;
}

/** Connections one node opens at most: its pool and the listener. */
export function nodeConnections(pool: number): number {
  return pool + 1;
}

/**
 * What to do when PostgreSQL refuses a connection (53300), by the limit that was hit: the server's
 * `max_connections`, a role's or a database's CONNECTION LIMIT, or the slots reserved for superusers.
 */
export function refusedConnectionAdvice(message: string, pool?: number): string {
  const p = pool ?? DEFAULT_POOL;
  const budget = `each tandem node opens up to store.pool${pool === undefined ? '' : ` (here ${p})`} + 1 listener = ${nodeConnections(p)} connections (default store.pool ${DEFAULT_POOL}, whatever workers.concurrency is)`;
  const lower = `set store.pool lower (at least ${MIN_POOL}) on every node`;
  if (/for role/i.test(message)) return `PostgreSQL refuses more connections for this role: ${budget} — ${lower}, run fewer nodes, or raise the role's limit (ALTER ROLE … CONNECTION LIMIT)`;
  if (/for database/i.test(message)) return `PostgreSQL refuses more connections to this database: ${budget} — ${lower}, run fewer nodes, or raise the database's limit (ALTER DATABASE … CONNECTION LIMIT)`;
  return `PostgreSQL refuses more connections: ${budget} — ${lower}, run fewer nodes, or raise max_connections on the server (it must cover nodes × ${nodeConnections(p)} plus every other client)`;
}

/**
 * A request that waited the whole connect timeout for one of the pool's connections (all busy: a long
 * transaction, a slow or locked server, or too many workers for the pool): what happened and what to do.
 */
export function poolWaitMessage(pool: number, waitedMs: number): string {
  return `no PostgreSQL connection became free within ${Math.round(waitedMs / 1000)} s: all ${pool} of this node's pooled connections (store.pool) stayed busy — look for long-running statements or locks (pg_stat_activity), raise store.pool (each node opens store.pool + 1 connections, see docs/scaling.md) or lower workers.concurrency`;
}
