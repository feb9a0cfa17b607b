/**
 * Public types of the Odoo simulator. Others (the Odoo connector tests, `tandem demo`) depend on these
 * names: keep them stable.
 */
export type OdooVersion = 16 | 17 | 18 | 19;

export interface OdooFaults {
  /** Probability (0..1) that a model call fails with a generic server error. */
  errorRate: number;
  /** Probability (0..1) that a model call fails with psycopg2 SerializationFailure. */
  serializationFailureRate: number;
  /** Probability (0..1) that the server holds the response for `timeoutMs` before answering. */
  timeoutRate: number;
  timeoutMs: number;
  /** Added to every HTTP call. */
  latencyMs: number;
}

/** Optional Odoo modules of a simulated database (modules.ts). */
export interface OdooModules {
  /** delivery (carriers, is_delivery, tracking on pickings). Default true. */
  delivery?: boolean;
}

export interface OdooSimOptions {
  version?: OdooVersion; // default 17
  port?: number; // default 0 (random)
  currency?: string; // company currency, default 'USD'; an active EUR is always created too
  latencyMs?: number; // added to every call (default 0)
  costModel?: boolean; // realistic per-call cost (see cost-model.ts), default false
  /** Scales the cost model's delays (1 = like a real Odoo 17 on a loaded machine; 0.01 for fast benchmarks). */
  costScale?: number;
  faults?: Partial<OdooFaults>;
  /** Clock of the simulated server (tests freeze or drive it); default: the real clock. */
  now?: () => Date;
  /** Database name, default 'odoo'. */
  db?: string;
  /** Optional modules; `{ delivery: false }` is a database without the delivery module (no carriers, no tracking fields). */
  modules?: OdooModules;
}

/** Scalar or relational value as the ORM stores it. */
export type Value = string | number | boolean | number[] | null;
export type Vals = Record<string, unknown>;
export type Domain = unknown[];
export type Context = Record<string, unknown>;

export interface CallOptions {
  /** Acting user (default: admin). */
  uid?: number;
  context?: Context;
}

/** Direct, synchronous access to the in-memory database (no HTTP, no faults, no cost). */
export interface SimEnv {
  readonly version: OdooVersion;
  search(model: string, domain?: Domain, opts?: CallOptions & { limit?: number; offset?: number; order?: string }): number[];
  searchRead(model: string, domain?: Domain, fields?: string[], opts?: CallOptions & { limit?: number; offset?: number; order?: string }): Record<string, unknown>[];
  read(model: string, ids: number[], fields?: string[], opts?: CallOptions): Record<string, unknown>[];
  create(model: string, vals: Vals, opts?: CallOptions): number;
  createMany(model: string, vals: Vals[], opts?: CallOptions): number[];
  write(model: string, ids: number[], vals: Vals, opts?: CallOptions): true;
  unlink(model: string, ids: number[], opts?: CallOptions): true;
  /** Calls any public method like execute_kw would: `args` positional, `kwargs` named (context goes in opts). */
  call(model: string, method: string, ids: number[] | null, kwargs?: Record<string, unknown>, opts?: CallOptions & { args?: unknown[] }): unknown;
  /** Field metadata (type, relation, …) of a model as fields_get would give it. */
  fieldsOf(model: string): Record<string, { type: string; relation?: string }> | undefined;
  hasModel(model: string): boolean;
  /** Ids by XML id, e.g. ref('stock.stock_location_stock'). */
  ref(xmlid: string): number;
  /** Sets an on-hand quantity at a location directly (inventory adjustment). */
  setStock(productId: number, quantity: number, locationId?: number): void;
  /** Rows examined by searches so far (indexed lookups examine only their candidates). */
  rowsScanned(): number;
}

export interface OdooSimulator {
  url: string;
  db: string;
  version: number;
  admin: { login: string; password: string; apiKey: string; uid: number };
  restricted: { login: string; password: string; apiKey: string; uid: number }; // "Sales / User: Own Documents Only"
  faults: OdooFaults; // mutable at run time
  stats: { calls: number; byMethod: Record<string, number> }; // model calls (execute_kw / json2), for benchmarks
  /** Cost (ms, before costScale) the cost model computed for the calls so far; for tests and benchmarks. */
  cost: { totalMs: number; last: { model: string; method: string; records: number; ms: number } | null };
  resetStats(): void;
  env: SimEnv;
  close(): Promise<void>;
}
