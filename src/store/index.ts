/**
 * The store: Kysely over SQLite (default, one file, WAL) or PostgreSQL. Migrations run at open.
 * The caller resolves the URL (config `store.url` or TANDEM_DATABASE_URL) and the master key; nothing
 * here reads the environment.
 */
import { Kysely } from 'kysely';
import type { Transaction } from 'kysely';
import { UsageError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import { AuditRepo } from './audit-repo.js';
import { openPostgresDialect } from './connect-postgres.js';
import { startJobListener } from './pg-listener.js';
import type { PgListener } from './pg-listener.js';
import { openSqliteDialect } from './connect-sqlite.js';
import { CursorRepo } from './cursor-repo.js';
import { OrderErpWriteRepo } from './order-erp-write-repo.js';
import { InboxRepo } from './inbox-repo.js';
import { LinkRepo } from './link-repo.js';
import { migrateToLatest } from './migrate.js';
import { OrderRepo } from './order-repo.js';
import { AlertRepo } from './alert-repo.js';
import { LockRepo } from './lock-repo.js';
import { RunRepo } from './run-repo.js';
import type { Database } from './schema.js';
import { SecretRepo } from './secret-repo.js';
import { UserRepo } from './user-repo.js';
import { ApiTokenRepo } from './api-token-repo.js';
import { SessionRepo } from './session-repo.js';
import { LoginFailureRepo } from './login-failure-repo.js';
import { NodeRepo } from './node-repo.js';

export type { Database, Executor, Json, JobState } from './schema.js';
export type { Link, LinkInput, LinkRow, LinkUpdate } from './link-repo.js';
export type { InboxEntry, InboxFilter, InboxInput } from './inbox-repo.js';
export type { Run } from './run-repo.js';
export type { AuditEvent, AuditInput, AuditQuery } from './audit-repo.js';
export type { OrderRow, OrderLineQty, OrderUpsert, OrderStep } from './order-repo.js';
export type { AlertRow } from './alert-repo.js';
export type { Role } from './schema-access.js';
export { ROLES } from './schema-access.js';
export type { User } from './user-repo.js';
export type { ApiToken } from './api-token-repo.js';
export type { SessionRow } from './session-repo.js';
export type { NodeInfo } from './node-repo.js';
export type { PurgeCounts } from './purge-personal-data.js';
export { purgePersonalData } from './purge-personal-data.js';
export { OrderErpWriteRepo };
export { LinkRepo, CursorRepo, InboxRepo, RunRepo, AuditRepo, SecretRepo, OrderRepo, AlertRepo, LockRepo, UserRepo, ApiTokenRepo, SessionRepo, LoginFailureRepo, NodeRepo };
export { redactUrl } from './connect-postgres.js';
export { DEFAULT_POOL, MIN_POOL, nodeConnections, poolSize, refusedConnectionAdvice } from './pool-budget.js';
export type { PgListener } from './pg-listener.js';

export type StoreDialect = 'sqlite' | 'postgres';

export interface StoreOptions {
  /** TANDEM_MASTER_KEY as given by the caller; needed only to put/get secrets. */
  masterKey?: string;
  log?: Logger;
  /** Run migrations at open (default true). */
  migrate?: boolean;
  /** PostgreSQL pool size (default DEFAULT_POOL, store/pool-budget.ts). */
  poolMax?: number;
  /** PostgreSQL named (prepared) statements (default true; `store.preparedStatements`, prepare-statements.ts). */
  preparedStatements?: boolean;
  /** Clock for the repositories (tests). */
  now?: () => number;
}

export interface Store {
  dialect: StoreDialect;
  db: Kysely<Database>;
  /**
   * Runs `fn` in one transaction (BEGIN IMMEDIATE on SQLite). Pass `tx` to every store/queue call inside:
   * SQLite has ONE connection, so a call on `store.db` from inside `fn` waits for `fn` to end — forever.
   */
  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T>;
  links: LinkRepo;
  cursors: CursorRepo;
  inbox: InboxRepo;
  runs: RunRepo;
  audit: AuditRepo;
  secrets: SecretRepo;
  /** The engine's order state and lifecycle steps (order-repo.ts). */
  orders: OrderRepo;
  orderErpWrites: OrderErpWriteRepo;
  /** Low-stock alert state (alert-repo.ts). */
  alerts: AlertRepo;
  /** Named leases across processes (lock-repo.ts). */
  locks: LockRepo;
  /** Access control (users, API tokens, sessions, failed logins). */
  users: UserRepo;
  tokens: ApiTokenRepo;
  sessions: SessionRepo;
  loginFailures: LoginFailureRepo;
  /** The `tandem serve` processes on this store and their schedule ticks (node-repo.ts). */
  nodes: NodeRepo;
  /**
   * PostgreSQL: listens for new jobs (any node's inserts) on its own connection, reconnecting by itself;
   * `onJobs` runs on each notification and after each reconnect. Undefined on SQLite (one process).
   */
  listenForJobs(onJobs: () => void): PgListener | undefined;
  close(): Promise<void>;
}

export function storeDialect(url: string): StoreDialect {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  throw new UsageError(`store URL "${url}" is not supported: use sqlite:<file>, sqlite::memory: or postgres://user@host:5432/database`);
}

/**
 * Opens the store. `sqlite:<path>` creates the parent directories; `sqlite::memory:` is private to this
 * process; `postgres://…` / `postgresql://…` connects once to fail early. Bad input (a directory that
 * cannot be written, a server that does not answer) → UsageError with one line naming the problem.
 */
export async function openStore(url: string, opts: StoreOptions = {}): Promise<Store> {
  const dialect = storeDialect(url);
  const db =
    dialect === 'sqlite'
      ? new Kysely<Database>({ dialect: openSqliteDialect(url) })
      : new Kysely<Database>({ dialect: (await openPostgresDialect(url, { poolMax: opts.poolMax, log: opts.log, namedStatements: opts.preparedStatements })).dialect });
  try {
    if (opts.migrate !== false) await migrateToLatest(db as unknown as Kysely<unknown>, opts.log);
  } catch (err) {
    await db.destroy().catch(() => undefined);
    throw err;
  }
  const now = opts.now ?? Date.now;
  return {
    dialect,
    db,
    transaction: (fn) => db.transaction().execute(fn),
    links: new LinkRepo(db, now),
    cursors: new CursorRepo(db, now),
    inbox: new InboxRepo(db, now),
    runs: new RunRepo(db, now),
    audit: new AuditRepo(db, now),
    secrets: new SecretRepo(db, opts.masterKey, now),
    orders: new OrderRepo(db, now),
    orderErpWrites: new OrderErpWriteRepo(db, now),
    alerts: new AlertRepo(db, now),
    locks: new LockRepo(db, now),
    users: new UserRepo(db, now),
    tokens: new ApiTokenRepo(db, now),
    sessions: new SessionRepo(db, now),
    loginFailures: new LoginFailureRepo(db, now),
    nodes: new NodeRepo(db, now),
    listenForJobs: (onJobs) => (dialect === 'postgres' ? startJobListener(url, onJobs, opts.log) : undefined),
    close: () => db.destroy(),
  };
}
