/**
 * PostgreSQL through pg's Pool. int8 (ids, epoch-ms times, counts) is parsed back to number and
 * json/jsonb are returned as text, so rows look the same as SQLite's.
 */
import pg from 'pg';
import { PostgresDialect } from 'kysely';
import { UsageError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';

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

export function describeConnectError(err: unknown): string {
  // Several addresses (localhost → ::1 and 127.0.0.1) fail as an AggregateError with an empty message.
  const first = err instanceof AggregateError && err.errors.length > 0 ? err.errors[0] : err;
  const e = first as NodeJS.ErrnoException;
  const message = e?.message || String(first);
  // 53300 too_many_connections: every node holds its pool plus one listener (docs/scaling.md)
  if (e?.code === '53300') return `${message} (PostgreSQL refuses more connections: each tandem node uses store.pool pooled connections (default workers.concurrency + 4, at least 10) plus 1 listener — raise max_connections, lower store.pool or run fewer nodes)`;
  return e?.code && !message.includes(e.code) ? `${e.code} ${message}` : message;
}

export interface PostgresOptions {
  /** Pool size (default 10). */
  poolMax?: number;
  log?: Logger;
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
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => undefined);
    const reason = describeConnectError(err);
    throw new UsageError(`cannot connect to PostgreSQL at ${redactUrl(url)}: ${reason} — check store.url / TANDEM_DATABASE_URL and that the server is running`);
  }
  return { dialect: new PostgresDialect({ pool }), pool };
}
