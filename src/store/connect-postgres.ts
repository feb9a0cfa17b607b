/**
 * PostgreSQL through pg's Pool. int8 (ids, epoch-ms times, counts) is parsed back to number and
 * json/jsonb are returned as text, so rows look the same as SQLite's.
 */
import pg from 'pg';
import { poolWaitMessage, refusedConnectionAdvice } from './pool-budget.js';
import { PostgresDialect } from 'kysely';
import { UsageError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import { nameStatements, StatementNames } from './prepare-statements.js';

const INT8 = 20;
const JSON_OID = 114;
const JSONB_OID = 3802;
const CONNECT_TIMEOUT_MS = 5_000;

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8) return (value: string) => Number(value);
    if (oid === JSON_OID || oid === JSONB_OID) return (value: string) => value;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  }
}

/** One line for a failed connect; a refusal (53300) says what to set (pool-budget.ts), with this node's pool when known. */
export function describeConnectError(err: unknown, pool?: number): string {
  // Several addresses (localhost → ::1 and 127.0.0.1) fail as an AggregateError with an empty message.
  const first = err instanceof AggregateError && err.errors.length > 0 ? err.errors[0] : err;
  const e = first as NodeJS.ErrnoException;
  const message = e?.message || String(first);
  // 53300 too_many_connections: every node holds its pool plus one listener (docs/scaling.md)
  if (e?.code === '53300') return `${message} (${refusedConnectionAdvice(message, pool)})`;
  return e?.code && !message.includes(e.code) ? `${e.code} ${message}` : message;
}

export interface PostgresOptions {
  /** Pool size (default 10). */
  poolMax?: number;
  log?: Logger;
  /** Run repeated statements with parameters as named (prepared) statements (default true; prepare-statements.ts). */
  namedStatements?: boolean;
}

/** A request waited the whole connect timeout for a pooled connection (every one busy); retryable. */
export class PoolWaitTimeoutError extends Error {
  readonly code = 'TANDEM_POOL_WAIT';
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = 'PoolWaitTimeoutError';
  }
}

/** pg's pool gave up waiting for a free connection (not a failed connect to the server). */
function isPoolWaitTimeout(err: unknown): boolean {
  return err instanceof Error && err.message === 'timeout exceeded when trying to connect';
}

/** After a refusal, how long the pool stays at the size it had before it tries to grow again. */
export const REGROW_AFTER_MS = 30_000;

/**
 * PostgreSQL refusing a new connection (53300: max_connections or the role's limit reached, e.g. by
 * other nodes and other programs on the server) while this pool already has connections: the pool
 * shrinks to the connections it has and the request waits for one of them (within the connect timeout)
 * instead of failing — a job must not fail, burn an attempt and back off because the pool tried to
 * grow past what the server allows. After `regrowAfterMs` the pool may grow again (a refusal shrinks it
 * again). Without any connection the refusal is the caller's error, as before.
 */
export function shrinkOnRefusal(pool: pg.Pool, opts: { log?: Logger; regrowAfterMs?: number } = {}): void {
  const configured = pool.options.max ?? 10;
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  let regrow: NodeJS.Timeout | undefined;
  // connections open now (pg counts the ones still connecting in totalCount)
  let open = 0;
  pool.on('connect', () => (open += 1));
  pool.on('remove', () => (open -= 1));
  const shrunk = async (): Promise<pg.PoolClient> => {
    const deadline = Date.now() + CONNECT_TIMEOUT_MS;
    for (;;) {
      try {
        return await connect();
      } catch (err) {
        if (isPoolWaitTimeout(err)) throw new PoolWaitTimeoutError(poolWaitMessage(pool.options.max ?? configured, CONNECT_TIMEOUT_MS), { cause: err });
        if ((err as { code?: string }).code !== '53300' || open <= 0 || Date.now() > deadline) throw err;
        if (pool.options.max === configured) {
          opts.log?.warn({ connections: open, poolMax: configured }, `PostgreSQL refuses more connections: this node works with the ${open} it has (store.pool is ${configured}; see docs/scaling.md, connection budget)`);
        }
        // full at the connections it has: the next connect waits for one of them
        pool.options.max = Math.max(1, open);
        clearTimeout(regrow);
        regrow = setTimeout(() => (pool.options.max = configured), opts.regrowAfterMs ?? REGROW_AFTER_MS);
        regrow.unref();
      }
    }
  };
  // both forms: Kysely's PostgresDialect awaits connect(), pool.query passes a callback
  type Callback = (err: Error | undefined, client?: pg.PoolClient, done?: (release?: unknown) => void) => void;
  pool.connect = ((cb?: Callback) => {
    if (cb === undefined) return shrunk();
    shrunk().then(
      (client) => cb(undefined, client, (release?: unknown) => client.release(release as boolean | Error | undefined)),
      (err: Error) => cb(err),
    );
    return undefined;
  }) as typeof pool.connect;
}

export async function openPostgresDialect(url: string, opts: PostgresOptions = {}): Promise<{ dialect: PostgresDialect; pool: pg.Pool }> {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolMax ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    types: types as unknown as pg.CustomTypesConfig,
  });
  // An idle client that loses its server emits 'error' on the pool; without a listener Node exits.
  pool.on('error', (err) => opts.log?.warn({ err: err.message }, 'an idle PostgreSQL connection failed; the pool replaces it'));
  if (opts.namedStatements !== false) {
    const names = new StatementNames();
    pool.on('connect', (client) => nameStatements(client, names));
  }
  shrinkOnRefusal(pool, { ...(opts.log && { log: opts.log }) });
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => undefined);
    const reason = describeConnectError(err, opts.poolMax ?? 10);
    const refused = (err as { code?: string }).code === '53300';
    throw new UsageError(`cannot connect to PostgreSQL at ${redactUrl(url)}: ${reason}${refused ? '' : ' — check store.url / TANDEM_DATABASE_URL and that the server is running'}`);
  }
  return { dialect: new PostgresDialect({ pool }), pool };
}
