/**
 * How a simulated model is declared (models/*.ts): fields beyond the recorded fields_get, order, display
 * name, defaults, computed fields, hooks and public methods.
 */
import type { OdooVersion, Vals } from '../types.js';
import type { FieldDef, FieldType } from './fields.js';
import type { Rec } from './table.js';
import type { Env } from './env.js';

export type FieldSpec = Partial<FieldDef> & { type: FieldType };

export interface ParamSpec {
  name: string;
  /** No default in Python: missing → TypeError / 422. */
  required?: boolean;
}

export interface MethodSpec {
  /** @api.model: no ids (JSON-2 refuses ids). */
  model?: boolean;
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
