/**
 * web_read / web_search_read with a `specification` (Odoo 17+, odoo/models.py): the records read with
 * load=None (many2one as a bare id), then per field of the specification —
 *   many2one without `fields`: the id; with `fields`: {id, …those fields} (display_name included when asked);
 *   x2many without a spec: the ids; with `fields`: a list of {id, …} read the same way, in the field's order;
 * web_search_read: {length, records}, length = the count up to the page when the page is full
 * (search_count), else offset + the records returned. Recorded on real Odoo 17 and 19
 * (test/recordings/odoo17|19/flows/09_web_read.jsonl: 10/10 replayed).
 */
import type { Vals } from '../types.js';
import type { Env, MethodSpec, Model } from './types.js';
import { typeError } from './errors.js';
import { readFieldNames } from './read.js';

type Spec = Record<string, { fields?: Spec; context?: unknown; order?: unknown; limit?: unknown } | undefined>;

function asSpec(v: unknown, what: string): Spec {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw typeError(`${what}: specification must be a dict`);
  return v as Spec;
}

export function webRead(env: Env, model: Model, ids: number[], specification: unknown): Record<string, unknown>[] {
  const spec = asSpec(specification, 'web_read');
  const asked = Object.keys(spec).filter((n) => n !== 'display_name' && n !== 'id');
  const names = asked.length ? readFieldNames(env, model, asked) : [];
  const rows = names.length ? env.read(model, ids, names, null) : ids.filter((id) => env.rec(model.name, id)).map((id): Record<string, unknown> => ({ id }));
  if ('display_name' in spec) for (const r of rows) r.display_name = env.displayName(model, env.rec(model.name, r.id as number)!);
  for (const [name, fieldSpec] of Object.entries(spec)) {
    const f = model.fields.get(name);
    if (!f?.relation || !fieldSpec?.fields) continue;
    const co = env.model(f.relation);
    if (f.type === 'many2one') {
      const coIds = [...new Set(rows.map((r) => r[name]).filter((x): x is number => typeof x === 'number'))];
      const byId = new Map(webRead(env, co, coIds, fieldSpec.fields).map((v) => [v.id as number, v]));
      for (const r of rows) if (typeof r[name] === 'number') r[name] = Object.keys(fieldSpec.fields).length ? (byId.get(r[name] as number) ?? { id: r[name] }) : r[name];
    } else if (f.type === 'one2many' || f.type === 'many2many') {
      const coIds = [...new Set(rows.flatMap((r) => (Array.isArray(r[name]) ? (r[name] as number[]) : [])))];
      const byId = new Map(webRead(env, co, coIds, fieldSpec.fields).map((v) => [v.id as number, v]));
      for (const r of rows) r[name] = (Array.isArray(r[name]) ? (r[name] as number[]) : []).map((id) => byId.get(id) ?? { id });
    }
  }
  return rows;
}

export function webReadMethods(): Record<string, MethodSpec> {
  return {
    // addons/web/models/models.py (17, 19): write on the records, or create `vals` (a dict or a list) on an
    // empty recordset; then web_read of those records (or of `next_id`)
    web_save: {
      params: [{ name: 'vals', required: true }, { name: 'specification', required: true }, { name: 'next_id' }],
      qualname: 'Base.web_save',
      fn: (e, ids, a) => {
        const model = a.__model as string;
        let recIds = ids;
        if (ids.length > 0) e.write(model, ids, a.vals as Vals);
        else recIds = Array.isArray(a.vals) ? e.create(model, a.vals as Vals[]) : [e.createOne(model, a.vals as Vals)];
        if (a.next_id !== undefined && a.next_id !== null && a.next_id !== false) recIds = [Number(a.next_id)];
        return webRead(e, e.model(model), recIds, a.specification);
      },
    },
    web_read: {
      params: [{ name: 'specification', required: true }],
      qualname: 'BaseModel.web_read',
      fn: (e, ids, a) => webRead(e, e.model(a.__model as string), ids, a.specification),
    },
    web_search_read: {
      model: true,
      params: [{ name: 'domain', required: true }, { name: 'specification', required: true }, { name: 'offset' }, { name: 'limit' }, { name: 'order' }, { name: 'count_limit' }],
      qualname: 'BaseModel.web_search_read',
      fn: (e, _ids, a) => {
        const model = e.model(a.__model as string);
        const offset = Number(a.offset ?? 0);
        const limit = a.limit === null || a.limit === undefined || a.limit === false ? null : Number(a.limit);
        const recs = e.searchRecs(model, a.domain ?? [], { offset, limit, order: a.order as string });
        if (recs.length === 0) return { length: 0, records: [] };
        const records = webRead(e, model, recs.map((r) => r.id), a.specification);
        const countLimit = a.count_limit === null || a.count_limit === undefined || a.count_limit === false ? null : Number(a.count_limit);
        const current = records.length + offset;
        const full = limit !== null && records.length === limit && !(countLimit !== null && countLimit <= current);
        return { length: full ? e.searchCount(model, a.domain ?? [], countLimit) : current, records };
      },
    },
  };
}
