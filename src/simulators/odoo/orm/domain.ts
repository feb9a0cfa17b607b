/**
 * Domains compiled to a predicate over stored rows (with Odoo's SQL semantics for false/NULL, like and
 * child_of), plus index hints so `default_code =` and `write_date >` do not scan every row.
 */
import { pyRepr, valueError } from './errors.js';
import { type Leaf, type Node, parseDomain } from './domain-parse.js';

export { mentionsActive, parseDomain, type Leaf, type Node } from './domain-parse.js';
import { parseDatetime } from './clock.js';
import type { Env, Model } from './types.js';
import type { Rec } from './table.js';

export type Pred = (rec: Rec) => boolean;

export function compile(env: Env, model: Model, node: Node): Pred {
  if ('const' in node) return () => node.const;
  if ('and' in node) {
    const ps = node.and.map((n) => compile(env, model, n));
    return (r) => ps.every((p) => p(r));
  }
  if ('or' in node) {
    const ps = node.or.map((n) => compile(env, model, n));
    return (r) => ps.some((p) => p(r));
  }
  if ('not' in node) {
    const p = compile(env, model, node.not);
    return (r) => !p(r);
  }
  return compileLeaf(env, model, node.leaf);
}

function likeRegex(pattern: string, anchored: boolean, ci: boolean): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) re += (pattern[++i] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(anchored ? `^${re}$` : re, ci ? 'is' : 's');
}

const isEmpty = (v: unknown) => v === false || v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

function compileLeaf(env: Env, model: Model, leaf: Leaf): Pred {
  const [name, ...rest] = leaf.path as [string, ...string[]];
  const field = model.fields.get(name);
  if (!field) return () => false;
  const comodel = field.relation ? env.db.models.get(field.relation) : undefined;
  if (rest.length > 0 && comodel) {
    const sub = compileLeaf(env, comodel, { ...leaf, path: rest });
    return (r) => {
      const v = env.value(model, r, name);
      const ids = Array.isArray(v) ? (v as number[]) : typeof v === 'number' ? [v] : [];
      return ids.some((id) => {
        const t = comodel.table.get(id);
        return t ? sub(t) : false;
      });
    };
  }
  const { op } = leaf;
  let value = leaf.value;
  const relational = field.type === 'many2one' || field.type === 'one2many' || field.type === 'many2many' || name === 'id';
  const target = name === 'id' ? model : comodel;

  if (op === 'child_of' || op === 'parent_of') {
    const tm = target ?? model;
    const ids = resolveIds(env, tm, value);
    const set = op === 'child_of' ? descendants(env, tm, ids) : ancestors(env, tm, ids);
    return (r) => {
      const v = name === 'id' ? r.id : env.value(model, r, name);
      const vs = Array.isArray(v) ? (v as number[]) : typeof v === 'number' ? [v] : [];
      return vs.some((x) => set.has(x));
    };
  }
  if (op === 'any' || op === 'not any') {
    const sub = target ? compile(env, target, parseDomain(env, target, value)) : () => false;
    const neg = op === 'not any';
    return (r) => {
      const v = env.value(model, r, name);
      const ids = Array.isArray(v) ? (v as number[]) : typeof v === 'number' ? [v] : [];
      const hit = ids.some((id) => {
        const t = target?.table.get(id);
        return t ? sub(t) : false;
      });
      return neg ? !hit : hit;
    };
  }
  if (op === '=?') {
    if (value === false || value === null || value === undefined) return () => true;
    return compileLeaf(env, model, { ...leaf, op: '=' });
  }
  // many2one / x2many compared with a name: match the display name
  if (relational && name !== 'id' && target && (typeof value === 'string' || (Array.isArray(value) && value.some((x) => typeof x === 'string')))) {
    const names = Array.isArray(value) ? value.map(String) : [value as string];
    const strOp = op === 'in' ? '=' : op === 'not in' ? '!=' : op;
    const matcher = stringMatcher(strOp.replace(/^not /, '').replace('!=', '='), names[0] ?? '');
    const ids = new Set<number>();
    for (const t of target.table.rows.values()) {
      const dn = env.displayName(target, t);
      if (op === 'in' || op === 'not in' ? names.includes(dn) : matcher(dn)) ids.add(t.id);
    }
    const negative = op.startsWith('not') || op === '!=';
    return (r) => {
      const v = env.value(model, r, name);
      const vs = Array.isArray(v) ? (v as number[]) : typeof v === 'number' ? [v] : [];
      const hit = vs.some((x) => ids.has(x));
      return negative ? !hit : hit;
    };
  }
  if ((op === 'in' || op === 'not in') && !Array.isArray(value)) value = [value];
  if ((op === '=' || op === '!=') && Array.isArray(value) && field.type !== 'many2many' && field.type !== 'one2many') {
    return compileLeaf(env, model, { ...leaf, op: op === '=' ? 'in' : 'not in', value });
  }

  const get = name === 'id' ? (r: Rec) => r.id : (r: Rec) => env.value(model, r, name);

  if (field.type === 'one2many' || field.type === 'many2many') {
    return (r) => {
      const vs = (get(r) as number[] | undefined) ?? [];
      switch (op) {
        case '=':
          return value === false ? vs.length === 0 : vs.includes(value as number);
        case '!=':
          return value === false ? vs.length > 0 : !vs.includes(value as number);
        case 'in':
          return (value as unknown[]).some((x) => (x === false ? vs.length === 0 : vs.includes(x as number)));
        case 'not in':
          return !(value as unknown[]).some((x) => vs.includes(x as number));
        default:
          return false;
      }
    };
  }

  const conv = converter(env, field.type);
  const cmpVal = Array.isArray(value) ? value.map(conv) : conv(value);
  switch (op) {
    case '=':
      if (cmpVal === false) return field.type === 'boolean' ? (r) => !get(r) : (r) => isEmpty(get(r));
      return (r) => norm(get(r)) === cmpVal;
    case '!=':
      return cmpVal === false ? (r) => (field.type === 'boolean' ? !!get(r) : !isEmpty(get(r))) : (r) => norm(get(r)) !== cmpVal;
    case 'in': {
      const set = new Set(cmpVal as unknown[]);
      const wantsEmpty = set.has(false);
      return (r) => {
        const v = norm(get(r));
        return set.has(v) || (wantsEmpty && isEmpty(v));
      };
    }
    case 'not in': {
      const set = new Set(cmpVal as unknown[]);
      const noEmpty = set.has(false);
      return (r) => {
        const v = norm(get(r));
        if (isEmpty(v)) return !noEmpty;
        return !set.has(v);
      };
    }
    case '>':
    case '>=':
    case '<':
    case '<=':
      return (r) => {
        const v = norm(get(r));
        if (isEmpty(v) && typeof v !== 'number') return false;
        if (cmpVal === false || cmpVal === null) return false;
        const a = v as number | string;
        const b = cmpVal as number | string;
        if (op === '>') return a > b;
        if (op === '>=') return a >= b;
        if (op === '<') return a < b;
        return a <= b;
      };
    default: {
      const m = stringMatcher(op, value === false || value === null ? '' : String(value));
      const negative = op.startsWith('not');
      return (r) => {
        const v = get(r);
        if (isEmpty(v) || typeof v === 'boolean') return negative;
        return m(String(typeof v === 'number' && field.type === 'many2one' ? env.displayName(target as Model, (target as Model).table.get(v) as Rec) : v));
      };
    }
  }
}

function norm(v: unknown): unknown {
  return v === null || v === undefined || v === '' ? false : v;
}

function stringMatcher(op: string, value: string): (s: string) => boolean {
  switch (op) {
    case '=':
      return (s) => s === value;
    case '!=':
      return (s) => s !== value;
    case 'like':
    case 'not like': {
      const re = likeRegex(`%${value}%`, true, false);
      return op === 'like' ? (s) => re.test(s) : (s) => !re.test(s);
    }
    case 'ilike':
    case 'not ilike': {
      const re = likeRegex(`%${value}%`, true, true);
      return op === 'ilike' ? (s) => re.test(s) : (s) => !re.test(s);
    }
    case '=like': {
      const re = likeRegex(value, true, false);
      return (s) => re.test(s);
    }
    case '=ilike': {
      const re = likeRegex(value, true, true);
      return (s) => re.test(s);
    }
    default:
      return () => false;
  }
}

function converter(env: Env, type: string): (v: unknown) => unknown {
  if (type === 'datetime') {
    return (v) => {
      if (typeof v !== 'string') return v === null ? false : v;
      const us = parseDatetime(v);
      if (us === null) throw valueError(`time data ${pyRepr(v)} does not match format '%Y-%m-%d %H:%M:%S'`);
      return env.db.traits.writeDateMicroseconds ? us : Math.floor(us / 1e6) * 1e6;
    };
  }
  if (type === 'date') return (v) => (typeof v === 'string' ? v.slice(0, 10) : v === null ? false : v);
  if (type === 'boolean') return (v) => !!v;
  return (v) => (v === null ? false : v);
}

function resolveIds(env: Env, model: Model, value: unknown): number[] {
  const vs = Array.isArray(value) ? value : [value];
  const out: number[] = [];
  for (const v of vs) {
    if (typeof v === 'number') out.push(v);
    else if (typeof v === 'string') {
      for (const r of model.table.rows.values()) if (env.displayName(model, r).toLowerCase().includes(v.toLowerCase())) out.push(r.id);
    }
  }
  return out;
}

function descendants(env: Env, model: Model, roots: number[]): Set<number> {
  const parent = model.spec.parentField ?? 'parent_id';
  const out = new Set<number>(roots.filter((id) => model.table.get(id)));
  let frontier = [...out];
  const children = new Map<number, number[]>();
  for (const r of model.table.rows.values()) {
    const p = r[parent];
    if (typeof p === 'number') {
      let l = children.get(p);
      if (!l) children.set(p, (l = []));
      l.push(r.id);
    }
  }
  while (frontier.length) {
    const next: number[] = [];
    for (const id of frontier) for (const c of children.get(id) ?? []) {
        if (!out.has(c)) {
          out.add(c);
          next.push(c);
        }
      }
    frontier = next;
  }
  return out;
}

function ancestors(_env: Env, model: Model, ids: number[]): Set<number> {
  const parent = model.spec.parentField ?? 'parent_id';
  const out = new Set<number>();
  for (let id of ids) {
    while (typeof id === 'number' && !out.has(id) && model.table.get(id)) {
      out.add(id);
      id = model.table.get(id)?.[parent] as number;
    }
  }
  return out;
}

/** Candidate ids from an index for a top-level AND of leaves, or null when the whole table must be scanned. */
export function indexHint(env: Env, model: Model, node: Node): { ids: Iterable<number>; ordered?: 'write_date' } | null {
  const leaves: Leaf[] = 'leaf' in node ? [node.leaf] : 'and' in node ? node.and.flatMap((n) => ('leaf' in n ? [n.leaf] : [])) : [];
  const t = model.table;
  for (const l of leaves) {
    if (l.path.length !== 1) continue;
    const f = l.path[0] as string;
    if (f === 'id' && (l.op === '=' || l.op === 'in')) {
      const vs = Array.isArray(l.value) ? l.value : [l.value];
      return { ids: vs.filter((v): v is number => typeof v === 'number') };
    }
    if (t.isIndexed(f) && (l.op === '=' || l.op === 'in') && l.value !== false) {
      const vs = Array.isArray(l.value) ? l.value : [l.value];
      if (vs.includes(false)) continue;
      const out = new Set<number>();
      for (const v of vs) for (const id of t.lookup(f, v) ?? []) out.add(id);
      return { ids: out };
    }
  }
  for (const l of leaves) {
    if (l.path.length === 1 && l.path[0] === 'write_date' && (l.op === '>' || l.op === '>=') && typeof l.value === 'string') {
      let us = parseDatetime(l.value);
      if (us === null) continue;
      if (!env.db.traits.writeDateMicroseconds && l.op === '>') us = us + 999_999;
      return { ids: t.byWriteDate(us, l.op === '>=' || !env.db.traits.writeDateMicroseconds), ordered: 'write_date' };
    }
  }
  return null;
}
