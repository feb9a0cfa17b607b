/**
 * Table types for Kysely. Both dialects store the same things the same way:
 * - ids are integers (SQLite INTEGER PRIMARY KEY AUTOINCREMENT, PostgreSQL bigserial), exposed as strings;
 * - times are UTC epoch milliseconds (INTEGER / bigint; the PostgreSQL pool parses int8 back to number);
 * - JSON is text (SQLite TEXT, PostgreSQL jsonb returned as text), written and read with JSON.stringify/parse.
 */
import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';
import type { Json, JsonText } from './json-text.js';
import type { LocksTable, OrdersTable, OrderStepsTable, SalesTable, StockAlertsTable } from './schema-engine.js';
import type { ApiTokensTable, LoginFailuresTable, SessionsTable, UsersTable } from './schema-access.js';

export type { Json, JsonText, LocksTable, OrdersTable, OrderStepsTable, SalesTable, StockAlertsTable };

export type JobState = 'queued' | 'running' | 'done' | 'dead';

export interface MetaTable {
  key: string;
  value: string;
}

export interface LinksTable {
  id: Generated<number>;
  entity: string;
  shop_id: string;
  erp_id: string;
  shop_hash: string | null;
  erp_hash: string | null;
  synced_at: number;
  meta: JsonText | null;
}

export interface CursorsTable {
  key: string;
  value: JsonText;
  updated_at: number;
}

export interface InboxTable {
  id: Generated<number>;
  system: string;
  delivery_id: string;
  entity: string | null;
  record_id: string | null;
  action: string | null;
  payload: JsonText;
  received_at: number;
  processed_at: number | null;
  job_id: string | null;
}

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  key: string | null;
  /** kind + key while a dedupe job is queued; a partial unique index keeps one queued job per value. */
  dedupe_key: string | null;
  payload: JsonText;
  priority: number;
  run_at: number;
  attempts: number;
  max_attempts: number;
  backoff: JsonText | null;
  state: JobState;
  locked_by: string | null;
  locked_until: number | null;
  last_error: JsonText | null;
  created_at: number;
  updated_at: number;
  /** The record the job is about ("<entity>:<side>:<id>"): at most one dead job per record (migration 006). */
  record_key: ColumnType<string | null, string | null | undefined, string | null>;
  /** How often the job's record failed for good (dead transitions merged into this dead letter). */
  failures: ColumnType<number, number | undefined, number>;
  last_failed_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** 1: a queued keyed job behind an older queued-or-running job of its key, out of the ready index (migration 009). */
  waiting: ColumnType<number, number | undefined, number>;
  /** Attempts that ended in an error; `attempts` also counts runs lost to a stopped worker (migration 010). */
  failed_attempts: ColumnType<number, number | undefined, number>;
}

export interface RunsTable {
  id: Generated<number>;
  flow: string;
  kind: string;
  status: string;
  started_at: number;
  finished_at: number | null;
  counts: JsonText | null;
  report: JsonText | null;
}

export interface AuditTable {
  id: Generated<number>;
  at: number;
  entity: string;
  shop_id: string | null;
  erp_id: string | null;
  order_number: string | null;
  action: string;
  job_id: string | null;
  detail: JsonText | null;
  /** Who did it: `user:<name>`, `token:<name>`, `cli:<os user>`; null for the engine's own events. */
  actor: string | null;
}

export interface SecretsTable {
  name: string;
  value: string;
  created_at: number;
  updated_at: number;
}

export interface Database {
  meta: MetaTable;
  links: LinksTable;
  cursors: CursorsTable;
  inbox: InboxTable;
  jobs: JobsTable;
  runs: RunsTable;
  audit: AuditTable;
  secrets: SecretsTable;
  // the engine's tables (migration 002, types in schema-engine.ts)
  orders: OrdersTable;
  order_steps: OrderStepsTable;
  sales: SalesTable;
  stock_alerts: StockAlertsTable;
  locks: LocksTable;
  // access control (migration 005, types in schema-access.ts)
  users: UsersTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  // nodes of one store (migration 008)
  nodes: NodesTable;
  schedule_ticks: ScheduleTicksTable;
  // Tandem's last ERP write per order (migration 014)
  order_erp_writes: OrderErpWritesTable;
}

export interface OrderErpWritesTable {
  order_id: string;
  /** End of the last order run that wrote to the ERP (epoch ms, store clock). */
  at: number;
}

export interface NodesTable {
  /** The node's worker id (jobs it runs have it as locked_by). */
  id: string;
  host: string;
  pid: number;
  started_at: number;
  last_seen: number;
  running_jobs: Generated<number>;
}

export interface ScheduleTicksTable {
  name: string;
  tick_at: number;
  node_id: string;
}

/** Anything that runs queries: the store's Kysely or a transaction of it. */
export type Executor = Kysely<Database> | Transaction<Database>;
