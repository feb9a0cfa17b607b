/**
 * A node's PostgreSQL connection budget: `store.pool` pooled connections plus 1 for the job listener
 * (pg-listener.ts). Each running job may hold a connection in its transaction; the worker's claims,
 * lease renewals and the node heartbeat take one more, webhook intake and the console another.
 * SQLite ignores it (one connection per process).
 */

/** The pool when `store.pool` is not set: room for every worker plus 4, at least 10. */
export function defaultPoolSize(concurrency: number): number {
  return Math.max(10, concurrency + 4);
}

/** The smallest `store.pool` allowed for `workers.concurrency`: below it, jobs wait for each other's connections. */
export function minPoolSize(concurrency: number): number {
  return concurrency + 2;
}
