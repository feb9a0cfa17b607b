/**
 * read() output: `id` first, many2one as [id, display_name] (or false), x2many as id lists, `false` for
 * empty values, datetimes as 'YYYY-MM-DD HH:MM:SS'.
 */
import { formatDatetime } from './clock.js';
import type { Env, Model } from './types.js';
import { invalidField } from './errors.js';
import type { Rec } from './table.js';

export function readFieldNames(env: Env, model: Model, fields: unknown): string[] {
  if (fields === null || fields === undefined || fields === false || (Array.isArray(fields) && fields.length === 0)) {
    return [...model.fields.keys()].filter((f) => f !== 'id');
  }
  const list = Array.isArray(fields) ? fields : [fields];
  const out: string[] = [];
  for (const f of list) {
    if (typeof f !== 'string' || !model.fields.has(f)) throw invalidField(env, model, String(f), 'read');
    if (f !== 'id' && !out.includes(f)) out.push(f);
  }
  return out;
}

export function formatValue(env: Env, model: Model, rec: Rec, name: string, load: unknown = '_classic_read'): unknown {
  const f = model.fields.get(name);
  const v = env.value(model, rec, name);
  switch (f?.type) {
    case 'many2one': {
      if (typeof v !== 'number') return false;
      if (load !== '_classic_read') return v;
      const co = f.relation ? env.db.models.get(f.relation) : undefined;
      const t = co?.table.get(v);
      if (!co || !t) return f.relation ? [v, `${f.relation},${v}`] : false;
      return [v, env.displayName(co, t)];
    }
    case 'one2many':
    case 'many2many': {
      const ids = Array.isArray(v) ? (v as number[]) : [];
      const co = f.relation ? env.db.models.get(f.relation) : undefined;
      return co ? ids.filter((id) => co.table.get(id)) : ids;
    }
    case 'datetime':
      return typeof v === 'number' ? formatDatetime(v) : typeof v === 'string' && v ? v : false;
    case 'integer':
      return typeof v === 'number' ? v : 0;
    case 'float':
    case 'monetary':
      return typeof v === 'number' ? v : 0;
    case 'boolean':
      return !!v;
    case 'properties':
    case 'properties_definition':
      return Array.isArray(v) ? v : [];
    case 'json':
      return v === undefined || v === null ? false : v;
    default:
      return v === null || v === undefined ? false : v;
  }
}

export function formatRecord(env: Env, model: Model, rec: Rec, names: string[], load: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { id: rec.id };
  for (const n of names) out[n] = formatValue(env, model, rec, n, load);
  return out;
}
