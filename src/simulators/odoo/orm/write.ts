/**
 * create / write / unlink: value conversion per field type, x2many commands, _inherits delegation,
 * required fields, MissingError for missing ids, create/write dates shared by one call.
 */
import type { Vals } from '../types.js';
import { type OdooError, missingError, pyRepr, validationError, valueError, invalidField, ruleError } from './errors.js';
import { parseDatetime } from './clock.js';
import type { Env, Model } from './types.js';
import type { FieldDef } from './fields.js';
import type { Rec } from './table.js';
import { checkAcl, ruleFilter } from './access.js';

const MAGIC = new Set(['id', 'create_date', 'create_uid', 'write_date', 'write_uid', 'display_name', '__last_update']);

export function requiredError(env: Env, model: Model, field: FieldDef): OdooError {
  const desc = model.spec.description;
  if (env.traits.messages === 19) {
    return validationError(
      `The operation cannot be completed: Missing required value for the field '${field.string}' (${field.name}).\nModel: '${desc}' (${model.name})\n- create/update: a mandatory field is not set\n- delete: another model requires the record being deleted, you can archive it instead\n`,
    );
  }
  return validationError(
    `The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${desc} (${model.name})\nField: ${field.string} (${field.name})\n`,
  );
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** JSON value → stored value for one field. */
export function convertValue(env: Env, model: Model, f: FieldDef, v: unknown, current?: unknown, errorModel?: string): unknown {
  switch (f.type) {
    case 'char':
    case 'text':
      return v === null || v === false || v === undefined ? false : String(v);
    case 'html':
      if (v === null || v === false || v === undefined || v === '') return false;
      return String(v).trimStart().startsWith('<') ? String(v) : `<p>${escapeHtml(String(v)).replace(/\n/g, '<br>')}</p>`;
    case 'selection': {
      if (v === null || v === false || v === undefined || v === '') return false;
      if (f.selection && !f.selection.some(([k]) => k === v)) {
        throw valueError(`Wrong value for ${errorModel ?? model.name}.${f.name}: ${pyRepr(v)}`);
      }
      return v;
    }
    case 'integer':
      return v === false || v === null || v === undefined ? 0 : Math.trunc(Number(v));
    case 'float':
    case 'monetary':
      return v === false || v === null || v === undefined ? 0 : Number(v);
    case 'boolean':
      return !!v;
    case 'date':
      return typeof v === 'string' && v ? v.slice(0, 10) : false;
    case 'datetime': {
      if (typeof v === 'number') return env.traits.writeDateMicroseconds ? v : Math.floor(v / 1e6) * 1e6;
      if (typeof v !== 'string' || !v) return false;
      const us = parseDatetime(v);
      if (us === null) throw valueError(`time data ${pyRepr(v)} does not match format '%Y-%m-%d %H:%M:%S'`);
      return env.traits.writeDateMicroseconds ? us : Math.floor(us / 1e6) * 1e6;
    }
    case 'many2one': {
      const id = Array.isArray(v) ? v[0] : v;
      if (id === false || id === null || id === undefined || id === 0) return false;
      if (typeof id !== 'number') throw valueError(`Wrong value for ${model.name}.${f.name}: ${pyRepr(v)}`);
      const co = f.relation ? env.db.models.get(f.relation) : undefined;
      if (co && !co.table.get(id)) throw missingError(co.name, [id], env.uid);
      return id;
    }
    case 'many2many':
      return m2mValue(env, f, Array.isArray(current) ? (current as number[]) : [], v);
    default:
      return v === undefined ? false : v;
  }
}

function m2mValue(env: Env, f: FieldDef, current: number[], v: unknown): number[] {
  if (v === false || v === null || v === undefined) return [];
  if (!Array.isArray(v)) throw valueError(`Wrong value for ${f.name}: ${pyRepr(v)}`);
  if (v.every((x) => typeof x === 'number')) return [...new Set(v as number[])];
  let ids = [...current];
  const co = f.relation ? env.db.models.get(f.relation) : undefined;
  for (const cmd of v) {
    if (!Array.isArray(cmd)) continue;
    const [code, id, arg] = cmd as [number, number, unknown];
    switch (code) {
      case 0:
        if (co) ids.push(env.createOne(co, (arg ?? {}) as Vals));
        break;
      case 1:
        if (co) env.write(co, [id], (arg ?? {}) as Vals);
        break;
      case 2:
        ids = ids.filter((x) => x !== id);
        if (co) env.sudo().unlink(co, [id]);
        break;
      case 3:
        ids = ids.filter((x) => x !== id);
        break;
      case 4:
        if (co && !co.table.get(id)) throw missingError(co.name, [id], env.uid);
        if (!ids.includes(id)) ids.push(id);
        break;
      case 5:
        ids = [];
        break;
      case 6:
        ids = [...new Set((arg as number[]) ?? [])];
        break;
      default:
        throw valueError(`Invalid command ${pyRepr(cmd)}`);
    }
  }
  return ids;
}

/** Applies one2many commands once the parent exists. */
function applyO2m(env: Env, model: Model, rec: Rec, f: FieldDef, v: unknown): void {
  const co = f.relation ? env.db.models.get(f.relation) : undefined;
  if (!co || !Array.isArray(v)) return;
  if (!f.inverse) {
    rec[f.name] = m2mValue(env, f, Array.isArray(rec[f.name]) ? (rec[f.name] as number[]) : [], v);
    return;
  }
  const inv = f.inverse;
  const children = () => env.inverseIds(model, rec, f.name);
  const cmds = v.every((x) => typeof x === 'number') ? [[6, 0, v]] : v;
  for (const cmd of cmds) {
    if (!Array.isArray(cmd)) continue;
    const [code, id, arg] = cmd as [number, number, unknown];
    switch (code) {
      case 0:
        env.create(co, [{ ...((arg ?? {}) as Vals), [inv]: rec.id }]);
        break;
      case 1:
        env.write(co, [id], (arg ?? {}) as Vals);
        break;
      case 2:
        env.unlink(co, [id]);
        break;
      case 3:
        env.write(co, [id], { [inv]: false });
        break;
      case 4:
        env.write(co, [id], { [inv]: rec.id });
        break;
      case 5:
        for (const c of children()) env.unlink(co, [c]);
        break;
      case 6: {
        const keep = new Set((arg as number[]) ?? []);
        for (const c of children()) if (!keep.has(c)) env.unlink(co, [c]);
        for (const k of keep) env.write(co, [k], { [inv]: rec.id });
        break;
      }
      default:
        throw valueError(`Invalid command ${pyRepr(cmd)}`);
    }
  }
}

/** Commands Odoo's One2many.write_real applies ONCE per write, whatever the number of records written
 * (update/delete/unlink address a comodel id, which need not even belong to these records); the others
 * (create, link, clear, set) once per record. */
const ONCE = new Set([1, 2, 3]);

/** One2many commands of a write() on several records, in order, as Odoo 17–19 apply them. */
function writeO2m(env: Env, model: Model, recs: Rec[], f: FieldDef, v: unknown): void {
  if (recs.length === 1 || !f.inverse || !Array.isArray(v)) {
    for (const rec of recs) applyO2m(env, model, rec, f, v);
    return;
  }
  const cmds = v.every((x) => typeof x === 'number') ? [[6, 0, v]] : v;
  for (const cmd of cmds) {
    if (Array.isArray(cmd) && ONCE.has(cmd[0] as number)) applyO2m(env, model, recs[0]!, f, [cmd]);
    else for (const rec of recs) applyO2m(env, model, rec, f, [cmd]);
  }
}

interface Split {
  own: Record<string, unknown>;
  parent: Vals;
  o2m: [FieldDef, unknown][];
  inverses: [string, unknown][];
}

function splitVals(env: Env, model: Model, vals: Vals, current: Rec | null): Split {
  const out: Split = { own: {}, parent: {}, o2m: [], inverses: [] };
  const del = model.spec.delegate;
  for (const [k, v] of Object.entries(vals)) {
    if (MAGIC.has(k)) continue;
    const f = model.fields.get(k);
    if (!f) throw invalidField(env, model, k, 'write');
    if (model.spec.inverse?.[k]) {
      out.inverses.push([k, v]);
      continue;
    }
    if (model.spec.compute?.[k] && !f.store) continue; // non-stored computed without inverse: ignored
    if (del && !del.own.has(k) && k !== del.field) {
      const pm = env.db.models.get(del.model);
      if (pm?.fields.has(k)) {
        // 17 validates selections on the variant (related field), 19 on the template
        if (env.traits.messages === 17 && f.type === 'selection') convertValue(env, model, f, v);
        out.parent[k] = v;
        continue;
      }
    }
    if (f.type === 'one2many') {
      out.o2m.push([f, v]);
      continue;
    }
    out.own[k] = convertValue(env, model, f, v, current ? current[k] : undefined);
  }
  return out;
}

export function createRecords(env: Env, model: Model, valsList: Vals[]): number[] {
  if (!env.su) checkAcl(env, model, 'create');
  const now = env.now();
  const created: Rec[] = [];
  const ids: number[] = [];
  const finalVals: Vals[] = [];
  for (const raw of valsList) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw valueError(`create() expects a dict of values, got ${pyRepr(raw)}`);
    const existing = model.spec.createOverride?.(env, raw);
    if (existing !== null && existing !== undefined) {
      ids.push(existing);
      continue;
    }
    const defaults = model.spec.defaults?.(env, raw) ?? {};
    for (const k of Object.keys(defaults)) if (!model.fields.has(k) || k in raw) delete defaults[k];
    const vals: Vals = { ...defaults, ...raw };
    for (const k of Object.keys(vals)) if (!MAGIC.has(k) && !model.fields.has(k)) throw invalidField(env, model, k, 'write');
    model.spec.beforeCreate?.(env, vals);
    for (const req of model.spec.required ?? []) {
      const v = vals[req];
      if (v === undefined || v === null || v === false || v === '') throw requiredError(env, model, model.fields.get(req) as FieldDef);
    }
    const del = model.spec.delegate;
    const split = splitVals(env, model, vals, null);
    if (del) {
      const pid = split.own[del.field];
      if (typeof pid === 'number') {
        if (Object.keys(split.parent).length) env.write(del.model, [pid], split.parent);
      } else {
        split.own[del.field] = env.withContext({ [`create_from_${model.name}`]: true }).createOne(del.model, split.parent);
      }
    }
    const rec: Rec = { id: model.table.nextId(), ...split.own, create_date: now, write_date: now, create_uid: env.uid, write_uid: env.uid };
    if (model.hasActive && rec.active === undefined) rec.active = true;
    model.table.insert(rec);
    for (const [f, v] of split.o2m) applyO2m(env, model, rec, f, v);
    for (const [k, v] of split.inverses) model.spec.inverse?.[k]?.(env, rec, v);
    created.push(rec);
    ids.push(rec.id);
    finalVals.push(vals);
  }
  if (created.length) model.spec.afterCreate?.(env, created, finalVals);
  return ids;
}

export function checkWritable(env: Env, model: Model, ids: number[], op: 'write' | 'unlink'): Rec[] {
  const recs: Rec[] = [];
  const missing: number[] = [];
  for (const id of ids) {
    const r = model.table.get(id);
    if (r) recs.push(r);
    else missing.push(id);
  }
  if (!env.su) {
    const rule = ruleFilter(env, model);
    if (rule && recs.some((r) => !rule(r))) throw ruleError(env, model, 'read');
    checkAcl(env, model, op);
  }
  if (missing.length) throw missingError(model.name, missing, env.uid);
  return recs;
}

export function writeRecords(env: Env, model: Model, ids: number[], vals: Vals): void {
  if (vals === null || typeof vals !== 'object' || Array.isArray(vals)) throw valueError(`write() expects a dict of values, got ${pyRepr(vals)}`);
  const recs = checkWritable(env, model, ids, 'write');
  for (const k of Object.keys(vals)) if (!MAGIC.has(k) && !model.fields.has(k)) throw invalidField(env, model, k, 'write');
  model.spec.beforeWrite?.(env, recs, vals);
  const now = env.now();
  const del = model.spec.delegate;
  const o2m: [FieldDef, unknown][] = [];
  for (const rec of recs) {
    const split = splitVals(env, model, vals, rec);
    if (del && Object.keys(split.parent).length) {
      const pid = rec[del.field];
      if (typeof pid === 'number') env.write(del.model, [pid], split.parent);
    }
    model.table.update(rec, { ...split.own, write_date: now, write_uid: env.uid });
    if (o2m.length === 0) o2m.push(...split.o2m);
    for (const [k, v] of split.inverses) model.spec.inverse?.[k]?.(env, rec, v);
  }
  for (const [f, v] of o2m) writeO2m(env, model, recs, f, v);
  model.spec.afterWrite?.(env, recs, vals);
}

export function unlinkRecords(env: Env, model: Model, ids: number[]): void {
  const recs = checkWritable(env, model, ids, 'unlink');
  model.spec.beforeUnlink?.(env, recs);
  for (const rec of recs) {
    for (const f of model.fields.values()) {
      if (f.type !== 'one2many' || !f.inverse || !f.relation) continue;
      const co = env.db.models.get(f.relation);
      if (!co) continue;
      const childIds = env.sudo().withContext({ active_test: false }).inverseIds(model, rec, f.name);
      const cascade = co.fields.get(f.inverse)?.required;
      for (const c of childIds) {
        const child = co.table.get(c);
        if (!child) continue;
        if (cascade) unlinkRecords(env.sudo(), co, [c]);
        else co.table.update(child, { [f.inverse]: false });
      }
    }
    model.table.delete(rec.id);
  }
  model.spec.afterUnlink?.(env, recs);
}
