/**
 * The ORM's types, in one module because they are mutually recursive: a model's declaration (ModelSpec)
 * hands the call's environment (Env) to its hooks, and the environment hands out the models (Model) of the
 * database (Db). The classes implement them (env.ts: OrmEnv, registry.ts: Database); every other file
 * depends on these types, not on the classes, so the ORM has no import cycle.
 */
import type { Context, OdooVersion, Vals } from '../types.js';
import type { VersionTraits } from '../versions.js';
import type { FieldDef, FieldType } from './fields.js';
import type { Journal, Rec, Table } from './table.js';
import type { SimClock } from './clock.js';

export interface Model {
  name: string;
  spec: ModelSpec;
  fields: Map<string, FieldDef>;
  table: Table;
  hasActive: boolean;
}

export interface UserAuth {
  uid: number;
  login: string;
  password: string;
  apiKeys: string[];
  /** 'admin' or 'salesman' (Sales / User: Own Documents Only). */
  profile: 'admin' | 'salesman';
}

/** The database of one simulator (registry.ts). */
export interface Db {
  readonly traits: VersionTraits;
  readonly dbName: string;
  readonly version: OdooVersion;
  readonly models: Map<string, Model>;
  readonly xmlids: Map<string, { model: string; id: number }>;
  readonly users: Map<number, UserAuth>;
  readonly clock: SimClock;
  readonly journal: Journal;
  /** Transaction timestamp (µs) of the call being served. */
  txUs: number;
  /** Rows a search examined, in total. */
  rowsScanned: number;
  /** Starts the transaction of one call: every record it stamps gets this time. */
  beginTx(): number;
  /** Next number of a named sequence (S, WH/OUT/, INV/2026/, …): 1, 2, 3… */
  nextSeq(key: string): number;
  setXmlid(xmlid: string, model: string, id: number): void;
  ref(xmlid: string): number;
}

export interface SearchOpts {
  offset?: number;
  limit?: number | null;
  order?: string | null;
  /** Skip record rules (internal reads). */
  activeTest?: boolean;
}

/** The ORM environment of one call: database + acting user + context (+ superuser flag). See env.ts. */
export interface Env {
  readonly db: Db;
  readonly uid: number;
  readonly context: Context;
  readonly su: boolean;
  readonly traits: VersionTraits;
  readonly version: OdooVersion;
  readonly user: UserAuth | undefined;
  /** Admin-like rights (superuser or the admin profile). */
  readonly privileged: boolean;
  withContext(extra: Context): Env;
  sudo(): Env;
  model(name: string): Model;
  /** Transaction time (µs). */
  now(): number;
  today(): string;
  ref(xmlid: string): number;
  rec(model: string | Model, id: number): Rec | undefined;
  /** Record that must exist (internal use). */
  must(model: string | Model, id: number): Rec;
  /** Raw value of a field: stored, delegated (_inherits), computed or one2many via the inverse. */
  value(model: Model, rec: Rec, field: string): unknown;
  /** one2many ids through the inverse many2one, in the comodel's order, archived excluded. */
  inverseIds(model: Model, rec: Rec, field: string): number[];
  displayName(model: Model | string, rec: Rec | number): string;
  m2o(model: string, id: unknown): [number, string] | false;
  searchRecs(modelName: string | Model, domain: unknown, opts?: SearchOpts): Rec[];
  search(model: string | Model, domain: unknown, opts?: SearchOpts): number[];
  searchCount(model: string | Model, domain: unknown, limit?: number | null): number;
  read(modelName: string | Model, ids: number[], fields?: unknown, load?: unknown): Record<string, unknown>[];
  create(model: string | Model, valsList: Vals[]): number[];
  createOne(model: string | Model, vals: Vals): number;
  write(model: string | Model, ids: number[], vals: Vals): true;
  unlink(model: string | Model, ids: number[]): true;
  /** Stamps write_date/write_uid without other changes (dependent records touched by a write). */
  touch(model: Model, rec: Rec): void;
}

/** How a simulated model is declared (models/*.ts): fields beyond the recorded fields_get, order, display
 * name, defaults, computed fields, hooks and public methods. */

export type FieldSpec = Partial<FieldDef> & { type: FieldType };

export interface ParamSpec {
  name: string;
  /** No default in Python: missing → TypeError / 422. */
  required?: boolean;
}

export interface MethodSpec {
  /** @api.model: no ids (JSON-2 refuses ids); a function when it depends on the version. */
  model?: boolean | ((version: number) => boolean);
  params: ParamSpec[];
  /** Name of a **kwargs catch-all (search_read's read_kwargs). */
  varkw?: string;
  /** Python qualified name for TypeErrors, e.g. 'BaseModel.write'. */
  qualname?: string;
  /** Returns undefined for Python None. */
  fn: (env: Env, ids: number[], args: Record<string, unknown>) => unknown;
  versions?: OdooVersion[];
}

export interface ModelSpec {
  name: string;
  /** _description, used in messages ("Model: Product (product.template)"). */
  description: string;
  versions?: OdooVersion[];
  /** _order; default 'id'. */
  order?: string;
  /** _rec_name; default 'name'. */
  recName?: string;
  /** _parent_name for child_of / parent_of. */
  parentField?: string;
  /** Fields in addition to (or replacing) the recorded ones. */
  fields?: Record<string, FieldSpec> | ((v: OdooVersion) => Record<string, FieldSpec>);
  /** Hash-indexed fields. */
  indexes?: string[];
  /** Fields that must be set on create (checked in this order). */
  required?: string[];
  /** Defaults applied on create when the field is absent. */
  defaults?: (env: Env, vals: Vals) => Vals;
  /** Non-stored fields computed at read (and search) time. */
  compute?: Record<string, (env: Env, rec: Rec) => unknown>;
  /** Writing a computed field (e.g. lst_price → template list_price). */
  inverse?: Record<string, (env: Env, rec: Rec, value: unknown) => void>;
  /** `_inherits`: fields not in `own` live on the parent record. */
  delegate?: { field: string; model: string; own: Set<string> };
  displayName?: (env: Env, rec: Rec) => string;
  /** Validates/normalizes vals before create (after defaults). May create related records. */
  beforeCreate?: (env: Env, vals: Vals) => void;
  afterCreate?: (env: Env, recs: Rec[], valsList: Vals[]) => void;
  beforeWrite?: (env: Env, recs: Rec[], vals: Vals) => void;
  afterWrite?: (env: Env, recs: Rec[], vals: Vals) => void;
  beforeUnlink?: (env: Env, recs: Rec[]) => void;
  afterUnlink?: (env: Env, recs: Rec[]) => void;
  /** create() returning an existing id (stock.quant inventory mode). */
  createOverride?: (env: Env, vals: Vals) => number | null;
  methods?: Record<string, MethodSpec>;
  /** Model-level name used in AccessError messages ('Quants', 'User'); default description. */
  aclName?: string;
  /** Transient (wizard) model. */
  transient?: boolean;
  /** First id of the sequence (the recorded DBs had earlier data). */
  firstId?: number;
}
