/**
 * Order strings ('write_date asc, id asc', 'sequence, id', 'name desc nulls last'), sorted like PostgreSQL:
 * NULLs last ascending and first descending; many2one by the comodel's own order.
 */
import { valueError } from './errors.js';
import type { Env, Model } from './types.js';
import type { Rec } from './table.js';

export interface OrderTerm {
  field: string;
  desc: boolean;
  nullsFirst: boolean;
}

export function parseOrder(model: Model, order: unknown): OrderTerm[] {
  const text = typeof order === 'string' && order.trim() ? order : (model.spec.order ?? 'id');
  const terms: OrderTerm[] = [];
  for (const part of text.split(',')) {
    const words = part.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) continue;
    const field = (words[0] as string).replace(/"/g, '');
    const dir = (words[1] ?? 'asc').toLowerCase();
    if (!model.fields.has(field) || (dir !== 'asc' && dir !== 'desc')) {
      if (text !== order) continue; // the model's default order may name fields another version lacks
      throw valueError(`Invalid field '${field}' on model '${model.name}'`);
    }
    const desc = dir === 'desc';
    let nullsFirst = desc;
    if ((words[2] ?? '').toLowerCase() === 'nulls') nullsFirst = (words[3] ?? '').toLowerCase() === 'first';
    terms.push({ field, desc, nullsFirst });
  }
  return terms;
}

type Key = number | string | null;

function cmpKey(a: Key, b: Key): number {
  if (a === b) return 0;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

/** Sort key of one value; many2one → the target's order keys (one level deep). */
function keyFor(env: Env, model: Model, rec: Rec, field: string): Key | Key[] {
  const f = model.fields.get(field);
  const v = field === 'id' ? rec.id : env.value(model, rec, field);
  if (v === false || v === null || v === undefined || v === '') return f?.type === 'boolean' ? 0 : null;
  if (f?.type === 'many2one' && f.relation && typeof v === 'number') {
    const co = env.db.models.get(f.relation);
    const t = co?.table.get(v);
    if (!co || !t) return v;
    return parseOrder(co, undefined).map((term) => {
      const k = keyFor(env, co, t, term.field);
      return Array.isArray(k) ? (k[0] ?? null) : k;
    });
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' || typeof v === 'string') return v;
  return JSON.stringify(v);
}

export function sortRecords(env: Env, model: Model, recs: Rec[], terms: OrderTerm[]): Rec[] {
  const keyed = recs.map((r) => ({ r, k: terms.map((t) => keyFor(env, model, r, t.field)) }));
  keyed.sort((x, y) => {
    for (let i = 0; i < terms.length; i++) {
      const t = terms[i] as OrderTerm;
      const a = x.k[i] as Key | Key[];
      const b = y.k[i] as Key | Key[];
      const c = compareKeys(a, b, t);
      if (c !== 0) return c;
    }
    return x.r.id - y.r.id;
  });
  return keyed.map((x) => x.r);
}

function compareKeys(a: Key | Key[], b: Key | Key[], t: OrderTerm): number {
  if (Array.isArray(a) || Array.isArray(b)) {
    const aa = Array.isArray(a) ? a : [a];
    const bb = Array.isArray(b) ? b : [b];
    for (let i = 0; i < Math.max(aa.length, bb.length); i++) {
      const c = compareKeys(aa[i] ?? null, bb[i] ?? null, t);
      if (c !== 0) return c;
    }
    return 0;
  }
  if (a === null && b === null) return 0;
  if (a === null) return t.nullsFirst ? -1 : 1;
  if (b === null) return t.nullsFirst ? 1 : -1;
  const c = cmpKey(a, b);
  return t.desc ? -c : c;
}
