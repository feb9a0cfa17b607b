/**
 * Calling a model method from outside: model/method lookup, private-method refusal, and argument binding
 * with Python's rules — positional args + kwargs over /jsonrpc (TypeError), named args over JSON-2 (422).
 */
import type { Context } from '../types.js';
import { OdooError, typeError, valueError } from './errors.js';
import { OrmEnv } from './env.js';
import type { Env, MethodSpec } from './types.js';
import type { Database } from './registry.js';
import { baseMethods } from './base-methods.js';

export type Protocol = 'jsonrpc' | 'json2' | 'direct';

export interface CallRequest {
  model: string;
  method: string;
  uid: number;
  protocol: Protocol;
  /** jsonrpc/direct: positional args (ids first for record methods). */
  args?: unknown[];
  /** jsonrpc: kwargs (context inside); json2: the body without ids/context. */
  kwargs?: Record<string, unknown>;
  /** json2: body.ids. */
  ids?: unknown;
  /** json2: body.context. */
  context?: unknown;
}

export interface CallResult {
  /** undefined = Python None */
  value: unknown;
  /** Number of records the call worked on (for the cost model). */
  records: number;
}

function className(model: string): string {
  return model
    .split('.')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

export function findMethod(db: Database, env: Env, model: string, method: string): MethodSpec | undefined {
  const spec = db.models.get(model)?.spec;
  const own = spec?.methods?.[method];
  if (own && (!own.versions || own.versions.includes(db.traits.version))) return own;
  return baseMethods(env)[method];
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

function pyList(names: string[]): string {
  const q = names.map((n) => `'${n}'`);
  if (q.length <= 1) return q.join('');
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

function normIds(v: unknown): number[] {
  if (v === null || v === undefined || v === false) return [];
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v.filter((x): x is number => typeof x === 'number');
  throw typeError(`unhashable type: '${Array.isArray(v) ? 'list' : typeof v === 'object' ? 'dict' : typeof v}'`);
}

function toContext(v: unknown): Context {
  if (v === undefined || v === null) return {};
  if (typeof v === 'object' && !Array.isArray(v)) return v as Context;
  if (typeof v === 'string') {
    throw valueError(`dictionary update sequence element #0 has length ${v.length === 0 ? 0 : 1}; 2 is required`);
  }
  throw typeError(`'${typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : typeof v === 'boolean' ? 'bool' : 'list'}' object is not iterable`);
}

export function callModel(db: Database, req: CallRequest): CallResult {
  const { model, method, protocol } = req;
  const m19 = db.traits.messages === 19;
  if (!db.models.has(model)) {
    if (protocol === 'json2') throw new OdooError('werkzeug.exceptions.NotFound', `the model '${model}' does not exist`);
    throw new OdooError('odoo.exceptions.UserError', `Object ${model} doesn't exist`);
  }
  if (method.startsWith('_')) {
    throw new OdooError('odoo.exceptions.AccessError', m19 ? `Private methods (such as '${model}.${method}') cannot be called remotely.` : `Private methods (such as ${method}) cannot be called remotely.`);
  }
  let ctx: Context;
  const kwargs: Record<string, unknown> = { ...(req.kwargs ?? {}) };
  if (protocol === 'json2') ctx = toContext(req.context);
  else {
    ctx = toContext(kwargs.context);
    delete kwargs.context;
  }
  const env = new OrmEnv(db, req.uid, ctx);
  const spec = findMethod(db, env, model, method);
  if (!spec) {
    if (protocol === 'json2') throw new OdooError('werkzeug.exceptions.NotFound', `The method '${model}.${method}' does not exist`);
    throw new OdooError('builtins.AttributeError', m19 ? `The method '${model}.${method}' does not exist` : `The method '${method}' does not exist on the model '${model}'`);
  }
  const qual = spec.qualname ?? `${className(model)}.${method}`;
  const isModel = typeof spec.model === 'function' ? spec.model(db.traits.version) : spec.model === true;
  const bound: Record<string, unknown> = {};
  let ids: number[] = [];
  const known = new Set(spec.params.map((p) => p.name));
  const extra: Record<string, unknown> = {};

  if (protocol === 'json2') {
    if (isModel && req.ids !== undefined && req.ids !== null) {
      throw new OdooError('werkzeug.exceptions.UnprocessableEntity', `cannot call ${model}.${method} with ids`);
    }
    ids = normIds(req.ids);
    // inspect.Signature.bind: missing arguments are reported before unexpected ones
    const missing = spec.params.filter((p) => p.required && !(p.name in kwargs));
    if (missing.length) throw new OdooError('werkzeug.exceptions.UnprocessableEntity', `missing a required argument: '${missing[0]?.name}'`);
    for (const [k, v] of Object.entries(kwargs)) {
      if (known.has(k)) bound[k] = v;
      else if (spec.varkw) extra[k] = v;
      else throw new OdooError('werkzeug.exceptions.UnprocessableEntity', `got an unexpected keyword argument '${k}'`);
    }
  } else {
    let pos = [...(req.args ?? [])];
    if (!isModel) {
      if (pos.length === 0) throw new OdooError('builtins.IndexError', 'list index out of range');
      ids = normIds(pos[0]);
      pos = pos.slice(1);
    }
    const maxPos = spec.params.length;
    if (pos.length > maxPos) {
      const min = spec.params.filter((p) => p.required).length + 1;
      const max = maxPos + 1;
      const given = pos.length + 1;
      throw typeError(
        min === max ? `${qual}() takes ${max} positional ${plural(max, 'argument', 'arguments')} but ${given} were given` : `${qual}() takes from ${min} to ${max} positional arguments but ${given} were given`,
      );
    }
    pos.forEach((v, i) => (bound[(spec.params[i] as { name: string }).name] = v));
    for (const [k, v] of Object.entries(kwargs)) {
      if (known.has(k)) {
        if (k in bound) throw typeError(`${qual}() got multiple values for argument '${k}'`);
        bound[k] = v;
      } else if (spec.varkw) extra[k] = v;
      else throw typeError(`${qual}() got an unexpected keyword argument '${k}'`);
    }
    const missing = spec.params.filter((p) => p.required && !(p.name in bound)).map((p) => p.name);
    if (missing.length) {
      throw typeError(`${qual}() missing ${missing.length} required positional ${plural(missing.length, 'argument', 'arguments')}: ${pyList(missing)}`);
    }
  }
  if (spec.varkw) bound[spec.varkw] = extra;
  bound.__model = model;
  db.beginTx();
  let value: unknown;
  db.journal.begin();
  try {
    value = spec.fn(env, ids, bound);
    db.journal.commit();
  } catch (e) {
    db.journal.rollback();
    throw e;
  }
  if (protocol === 'json2' && method === 'create' && typeof value === 'number') value = [value];
  const listed = method === 'web_search_read' && value && typeof value === 'object' && Array.isArray((value as { records?: unknown }).records) ? (value as { records: unknown[] }).records : value;
  const records = method === 'create' ? (Array.isArray(bound.vals_list) ? bound.vals_list.length : 1) : ids.length || (Array.isArray(listed) ? listed.length : 1);
  return { value, records };
}
