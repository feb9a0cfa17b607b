/**
 * Public methods every model has (BaseModel): create, read, write, unlink, search*, name_search,
 * fields_get, read_group, formatted_read_group (19), check_access_rights, default_get, exists, copy,
 * web_read/web_search_read (17+).
 */
import type { Vals } from '../types.js';
import { OdooError, typeError, valueError } from './errors.js';
import type { Env, MethodSpec, Model } from './types.js';
import { fieldsGetAttrs } from './fields.js';
import { formatValue, readFieldNames } from './read.js';
import { checkAcl, hasAccess, type Op } from './access.js';
import { parseOrder, sortRecords } from './order.js';
import type { Rec } from './table.js';
import { webReadMethods } from './web-read.js';

const m = (env: Env, name: string) => env.model(name);

export function normalizeDomain(domain: unknown[]): unknown[] {
  if (!domain.length) return [];
  const result: unknown[] = [];
  let expected = 1;
  for (const t of domain) {
    if (expected === 0) {
      result.unshift('&');
      expected = 1;
    }
    if (Array.isArray(t)) expected -= 1;
    else expected += (t === '!' ? 1 : t === '&' || t === '|' ? 2 : 0) - 1;
    result.push(t);
  }
  return result;
}

export function andDomains(a: unknown[], b: unknown[]): unknown[] {
  const na = normalizeDomain(a);
  const nb = normalizeDomain(b);
  if (!na.length) return nb;
  if (!nb.length) return na;
  return ['&', ...na, ...nb];
}

const READ_FORMAT_KWARGS = new Set(['load']);

function checkReadKwargs(rest: Record<string, unknown>): void {
  for (const k of Object.keys(rest)) {
    if (!READ_FORMAT_KWARGS.has(k)) throw typeError(`BaseModel._read_format() got an unexpected keyword argument '${k}'`);
  }
}

function intOrNull(v: unknown): number | null {
  if (v === null || v === undefined || v === false) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function groupValue(env: Env, model: Model, rec: Rec, spec: string): { key: unknown; out: unknown; leafValue: unknown } {
  const [field] = spec.split(':') as [string];
  const f = model.fields.get(field);
  if (!f) throw valueError(`Invalid field '${field}' on model '${model.name}'`);
  const v = formatValue(env, model, rec, field);
  if (f.type === 'many2one') return { key: Array.isArray(v) ? v[0] : false, out: v, leafValue: Array.isArray(v) ? v[0] : false };
  return { key: v, out: v, leafValue: v };
}

function readGroup(env: Env, model: Model, a: Record<string, unknown>, formatted: boolean): unknown {
  const domain = (a.domain as unknown[]) ?? [];
  let groupby = a.groupby as unknown;
  if (typeof groupby === 'string') groupby = [groupby];
  const groups = (groupby as string[]) ?? [];
  const lazy = formatted ? false : a.lazy !== false;
  const used = lazy ? groups.slice(0, 1) : groups;
  const recs = env.searchRecs(model, domain, { order: 'id' });
  const aggregates = formatted ? ((a.aggregates as string[]) ?? []) : ((a.fields as string[]) ?? []).filter((f) => !used.includes(f.split(':')[0] as string));
  const buckets = new Map<string, { vals: { key: unknown; out: unknown; leafValue: unknown }[]; recs: typeof recs }>();
  for (const r of recs) {
    const vals = used.map((g) => groupValue(env, model, r, g));
    const k = JSON.stringify(vals.map((v) => v.key));
    let b = buckets.get(k);
    if (!b) buckets.set(k, (b = { vals, recs: [] }));
    b.recs.push(r);
  }
  // order groups like the groupby field's own order
  const first = used[0];
  let ordered = [...buckets.values()];
  if (first) {
    const reps = sortRecords(env, model, ordered.map((b) => b.recs[0] as Rec), parseOrder(model, a.orderby || a.order || first.split(':')[0]));
    const pos = new Map(reps.map((r, i) => [r.id, i]));
    ordered = ordered.sort((x, y) => (pos.get((x.recs[0] as { id: number }).id) ?? 0) - (pos.get((y.recs[0] as { id: number }).id) ?? 0));
  }
  return ordered.map((b) => {
    const row: Record<string, unknown> = {};
    used.forEach((g, i) => (row[g.split(':')[0] as string] = b.vals[i]?.out));
    const extra = used.map((g, i) => [g.split(':')[0], '=', b.vals[i]?.leafValue]);
    if (formatted) {
      row.__extra_domain = extra;
    }
    if (formatted || !lazy) row.__count = b.recs.length;
    else row[`${used[0]}_count`] = b.recs.length;
    for (const agg of aggregates) {
      if (agg === '__count') continue;
      const [fname, fn = 'sum'] = agg.split(':') as [string, string?];
      const f = model.fields.get(fname);
      if (!f || !['float', 'integer', 'monetary'].includes(f.type)) continue;
      const nums = b.recs.map((r) => Number(env.value(model, r, fname)) || 0);
      const v = fn === 'max' ? Math.max(...nums) : fn === 'min' ? Math.min(...nums) : fn === 'avg' ? nums.reduce((s, x) => s + x, 0) / nums.length : nums.reduce((s, x) => s + x, 0);
      row[formatted ? agg : fname] = Math.round(v * 1e6) / 1e6;
    }
    if (!formatted) row.__domain = extra.reduce<unknown[]>((d, leaf) => andDomains(d, [leaf]), domain);
    if (!formatted && lazy && groups.length > 1) row.__context = { group_by: groups.slice(1) };
    return row;
  });
}

export function nameSearch(env: Env, model: Model, name: string, domain: unknown[], operator: string, limit: number | null): [number, string][] {
  const recs = env.searchRecs(model, domain ?? [], {});
  const needle = name ?? '';
  const out: [number, string][] = [];
  const exact: [number, string][] = [];
  for (const r of recs) {
    const dn = env.displayName(model, r);
    const code = r.default_code;
    if (needle && typeof code === 'string' && code === needle) {
      exact.push([r.id, dn]);
      continue;
    }
    let ok: boolean;
    if (!needle) ok = true;
    else if (operator === '=') ok = dn === needle;
    else if (operator === '=ilike') ok = dn.toLowerCase() === needle.toLowerCase();
    else if (operator === 'like') ok = dn.includes(needle);
    else ok = dn.toLowerCase().includes(needle.toLowerCase());
    if (ok) out.push([r.id, dn]);
  }
  const all = [...exact, ...out];
  return limit ? all.slice(0, limit) : all;
}

export function baseMethods(env: Env): Record<string, MethodSpec> {
  const v = env.version;
  const methods: Record<string, MethodSpec> = {
    create: {
      model: true,
      params: [{ name: 'vals_list', required: true }],
      qualname: 'BaseModel.create',
      fn: (e, _ids, a) => {
        const vl = a.vals_list;
        const model = (a.__model as string) ?? '';
        if (Array.isArray(vl)) return e.create(model, vl as Vals[]);
        return e.createOne(model, vl as Vals);
      },
    },
    read: {
      params: [{ name: 'fields' }, { name: 'load' }],
      qualname: 'BaseModel.read',
      fn: (e, ids, a) => e.read(a.__model as string, ids, a.fields, a.load ?? '_classic_read'),
    },
    write: { params: [{ name: 'vals', required: true }], qualname: 'BaseModel.write', fn: (e, ids, a) => e.write(a.__model as string, ids, a.vals as Vals) },
    unlink: { params: [], qualname: 'BaseModel.unlink', fn: (e, ids, a) => e.unlink(a.__model as string, ids) },
    search: {
      model: true,
      params: [{ name: 'domain', required: v >= 17 }, { name: 'offset' }, { name: 'limit' }, { name: 'order' }, ...(v === 16 ? [{ name: 'count' }] : [])],
      qualname: 'BaseModel.search',
      fn: (e, _ids, a) => {
        const ids = e.search(a.__model as string, a.domain ?? [], { offset: Number(a.offset ?? 0), limit: intOrNull(a.limit), order: a.order as string });
        return a.count ? ids.length : ids;
      },
    },
    search_read: {
      model: true,
      params: [{ name: 'domain' }, { name: 'fields' }, { name: 'offset' }, { name: 'limit' }, { name: 'order' }],
      varkw: 'read_kwargs',
      qualname: 'BaseModel.search_read',
      fn: (e, _ids, a) => {
        checkReadKwargs((a.read_kwargs as Record<string, unknown>) ?? {});
        const model = m(e, a.__model as string);
        const names = readFieldNames(e, model, a.fields);
        const recs = e.searchRecs(model, a.domain ?? [], { offset: Number(a.offset ?? 0), limit: intOrNull(a.limit), order: a.order as string });
        const load = ((a.read_kwargs as Record<string, unknown>) ?? {}).load ?? '_classic_read';
        return e.read(model, recs.map((r) => r.id), names.length ? names : undefined, load);
      },
    },
    search_count: {
      model: true,
      params: [{ name: 'domain', required: true }, { name: 'limit' }],
      qualname: 'BaseModel.search_count',
      fn: (e, _ids, a) => e.searchCount(a.__model as string, a.domain ?? [], intOrNull(a.limit)),
    },
    name_search: {
      model: true,
      params: [{ name: 'name' }, { name: env.traits.nameSearchDomainArg }, { name: 'operator' }, { name: 'limit' }],
      qualname: 'BaseModel.name_search',
      fn: (e, _ids, a) =>
        nameSearch(e, m(e, a.__model as string), (a.name as string) ?? '', (a[env.traits.nameSearchDomainArg] as unknown[]) ?? [], (a.operator as string) ?? 'ilike', intOrNull(a.limit) ?? 100),
    },
    fields_get: {
      model: true,
      params: [{ name: 'allfields' }, { name: 'attributes' }],
      qualname: 'BaseModel.fields_get',
      fn: (e, _ids, a) => {
        const model = m(e, a.__model as string);
        const only = Array.isArray(a.allfields) && a.allfields.length ? new Set(a.allfields as string[]) : null;
        const attrs = Array.isArray(a.attributes) ? (a.attributes as string[]) : null;
        const out: Record<string, unknown> = {};
        for (const [n, f] of model.fields) if (!only || only.has(n)) out[n] = fieldsGetAttrs(f, attrs);
        return out;
      },
    },
    read_group: {
      model: true,
      params: [{ name: 'domain', required: true }, { name: 'fields', required: true }, { name: 'groupby', required: true }, { name: 'offset' }, { name: 'limit' }, { name: 'orderby' }, { name: 'lazy' }],
      qualname: 'BaseModel.read_group',
      fn: (e, _ids, a) => readGroup(e, m(e, a.__model as string), a, false),
    },
    check_access_rights: {
      model: true,
      params: [{ name: 'operation', required: true }, { name: 'raise_exception' }],
      qualname: 'BaseModel.check_access_rights',
      fn: (e, _ids, a) => {
        const op = a.operation as Op;
        if (!['read', 'write', 'create', 'unlink'].includes(op)) throw valueError(`Invalid access mode: ${String(op)}`);
        const model = m(e, a.__model as string);
        const ok = hasAccess(e, model, op);
        if (!ok && a.raise_exception !== false) {
          checkAcl(e, model, op); // same error as the real operation
        }
        return ok;
      },
    },
    default_get: {
      model: true,
      params: [{ name: 'fields_list', required: true }],
      qualname: 'BaseModel.default_get',
      fn: (e, _ids, a) => {
        const model = m(e, a.__model as string);
        const d = model.spec.defaults?.(e, {}) ?? {};
        const out: Record<string, unknown> = {};
        for (const f of (a.fields_list as string[]) ?? []) if (f in d) out[f] = d[f];
        return out;
      },
    },
    exists: { params: [], qualname: 'BaseModel.exists', fn: (e, ids, a) => ids.filter((id) => m(e, a.__model as string).table.get(id)) },
    copy: {
      params: [{ name: 'default' }],
      qualname: 'BaseModel.copy',
      fn: (e, ids, a) => {
        const model = m(e, a.__model as string);
        const src = e.read(model, ids.slice(0, 1), undefined, '_raw')[0];
        if (!src) throw new OdooError('odoo.exceptions.MissingError', 'Record does not exist or has been deleted.');
        const vals: Vals = {};
        for (const [k, f] of model.fields) if (f.store && !['id', 'create_date', 'write_date', 'create_uid', 'write_uid'].includes(k) && f.type !== 'one2many' && k in src && !f.readonly) vals[k] = src[k];
        return e.createOne(model, { ...vals, ...((a.default as Vals) ?? {}) });
      },
    },
    action_archive: { params: [], qualname: 'BaseModel.action_archive', fn: (e, ids, a) => e.write(a.__model as string, ids, { active: false }) },
    action_unarchive: { params: [], qualname: 'BaseModel.action_unarchive', fn: (e, ids, a) => e.write(a.__model as string, ids, { active: true }) },
  };
  if (v >= 17) Object.assign(methods, webReadMethods());
  if (v >= 18) {
    methods.has_access = { params: [{ name: 'operation', required: true }], qualname: 'BaseModel.has_access', fn: (e, _ids, a) => hasAccess(e, m(e, a.__model as string), a.operation as Op) };
    methods.check_access = {
      params: [{ name: 'operation', required: true }],
      qualname: 'BaseModel.check_access',
      fn: (e, _ids, a) => {
        checkAcl(e, m(e, a.__model as string), a.operation as Op);
        return undefined;
      },
    };
  }
  if (v === 19) {
    methods.formatted_read_group = {
      model: true,
      params: [{ name: 'domain' }, { name: 'groupby' }, { name: 'aggregates' }, { name: 'having' }, { name: 'offset' }, { name: 'limit' }, { name: 'order' }],
      qualname: 'BaseModel.formatted_read_group',
      fn: (e, _ids, a) => readGroup(e, m(e, a.__model as string), a, true),
    };
  }
  if (v === 16) {
    methods.name_get = { params: [], qualname: 'BaseModel.name_get', fn: (e, ids, a) => ids.flatMap((id) => { const r = e.rec(a.__model as string, id); return r ? [[id, e.displayName(a.__model as string, r)]] : []; }) };
  }
  return methods;
}
