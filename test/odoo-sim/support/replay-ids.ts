/**
 * Recorded ids → simulator ids, per model: learned from the responses (creates, reads, many2one pairs,
 * action res_ids) and applied to later requests (ids, vals, domains, contexts).
 */
import type { OdooSimulator } from '../../../src/simulators/index.js';

const MODEL_METHODS = new Set(['create', 'search', 'search_read', 'search_count', 'name_search', 'fields_get', 'read_group', 'formatted_read_group', 'context_get', 'check_access_rights', 'default_get']);

export class IdMap {
  private readonly maps = new Map<string, Map<number, number>>();

  constructor(private readonly sim: OdooSimulator) {}

  learn(model: string | undefined, rec: unknown, act: unknown): void {
    if (!model || typeof rec !== 'number' || typeof act !== 'number') return;
    let m = this.maps.get(model);
    if (!m) this.maps.set(model, (m = new Map()));
    m.set(rec, act);
  }

  id(model: string | undefined, v: unknown): unknown {
    if (!model || typeof v !== 'number') return v;
    return this.maps.get(model)?.get(v) ?? v;
  }

  ids(model: string | undefined, v: unknown): unknown {
    if (Array.isArray(v)) return v.map((x) => this.id(model, x));
    return this.id(model, v);
  }

  private field(model: string, name: string): { type: string; relation?: string } | undefined {
    return this.sim.env.fieldsOf(model)?.[name];
  }

  // ---- learning from responses

  learnRecords(model: string, rec: unknown, act: unknown): void {
    if (!Array.isArray(rec) || !Array.isArray(act)) return;
    for (let i = 0; i < Math.min(rec.length, act.length); i++) this.learnRecord(model, rec[i], act[i]);
  }

  learnRecord(model: string, rec: unknown, act: unknown): void {
    if (!rec || !act || typeof rec !== 'object' || typeof act !== 'object') return;
    const r = rec as Record<string, unknown>;
    const a = act as Record<string, unknown>;
    for (const [k, v] of Object.entries(r)) {
      if (k === 'id') {
        this.learn(model, v, a.id);
        continue;
      }
      const f = this.field(model, k);
      if (!f?.relation) continue;
      const av = a[k];
      if (f.type === 'many2one' && Array.isArray(v) && Array.isArray(av)) this.learn(f.relation, v[0], av[0]);
      else if (Array.isArray(v) && Array.isArray(av) && v.length === av.length) v.forEach((x, i) => this.learn(f.relation, x, av[i]));
    }
  }

  learnResult(model: string, method: string, rec: unknown, act: unknown): void {
    if (method === 'create' || method === 'search') {
      if (Array.isArray(rec) && Array.isArray(act)) rec.forEach((x, i) => this.learn(model, x, act[i]));
      else this.learn(model, rec, act);
    } else if (method === 'name_search' && Array.isArray(rec) && Array.isArray(act)) {
      rec.forEach((x, i) => Array.isArray(x) && Array.isArray(act[i]) && this.learn(model, x[0], (act[i] as unknown[])[0]));
    } else if (Array.isArray(rec)) {
      this.learnRecords(model, rec, act);
    } else if (rec && act && typeof rec === 'object' && typeof act === 'object') {
      const r = rec as Record<string, unknown>;
      const a = act as Record<string, unknown>;
      if (typeof r.res_model === 'string') this.learn(r.res_model, r.res_id, a.res_id);
      if (method === 'context_get') this.learn('res.users', r.uid, a.uid);
    }
  }

  // ---- rewriting requests

  vals(model: string, vals: unknown): unknown {
    if (Array.isArray(vals)) return vals.map((v) => this.vals(model, v));
    if (!vals || typeof vals !== 'object') return vals;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(vals as Record<string, unknown>)) {
      const f = this.field(model, k);
      if (!f?.relation) out[k] = v;
      else if (f.type === 'many2one') out[k] = this.id(f.relation, v);
      else out[k] = this.commands(f.relation, v);
    }
    return out;
  }

  commands(model: string, v: unknown): unknown {
    if (!Array.isArray(v)) return v;
    return v.map((c) => {
      if (typeof c === 'number') return this.id(model, c);
      if (!Array.isArray(c)) return c;
      const [code, id, arg] = c as [number, unknown, unknown];
      if (code === 0) return [0, 0, this.vals(model, arg)];
      if (code === 1) return [1, this.id(model, id), this.vals(model, arg)];
      if (code === 6) return [6, 0, this.ids(model, arg)];
      if (code === 5) return c;
      return [code, this.id(model, id), ...c.slice(2)];
    });
  }

  domain(model: string, domain: unknown): unknown {
    if (!Array.isArray(domain)) return domain;
    return domain.map((t) => {
      if (!Array.isArray(t) || t.length !== 3 || typeof t[0] !== 'string') return t;
      let m: string | undefined = model;
      let target: string | undefined;
      for (const part of t[0].split('.')) {
        if (part === 'id') {
          target = m;
          break;
        }
        const f: { type: string; relation?: string } | undefined = m ? this.field(m, part) : undefined;
        target = f?.relation;
        m = f?.relation;
      }
      return target ? [t[0], t[1], this.ids(target, t[2])] : t;
    });
  }

  context(ctx: unknown): unknown {
    if (!ctx || typeof ctx !== 'object' || Array.isArray(ctx)) return ctx;
    const c = { ...(ctx as Record<string, unknown>) };
    const am = typeof c.active_model === 'string' ? c.active_model : undefined;
    if (am) {
      if ('active_ids' in c) c.active_ids = this.ids(am, c.active_ids);
      if ('active_id' in c) c.active_id = this.id(am, c.active_id);
    }
    for (const k of ['location', 'warehouse', 'warehouse_id']) {
      if (k in c) c[k] = this.ids(k === 'location' ? 'stock.location' : 'stock.warehouse', c[k]);
    }
    return c;
  }

  /** Named (JSON-2 body or kwargs) arguments of a model call. */
  named(model: string, method: string, args: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(args)) {
      if (k === 'ids') out.ids = this.ids(model, v);
      else if (k === 'domain' || k === 'args') out[k] = k === 'args' && method !== 'name_search' ? v : this.domain(model, v);
      else if (k === 'vals_list' || k === 'vals') out[k] = this.vals(model, v);
      else if (k === 'context') out.context = this.context(v);
      else out[k] = v;
    }
    return out;
  }

  positional(model: string, method: string, args: unknown[]): unknown[] {
    const a = [...args];
    if (!MODEL_METHODS.has(method)) {
      if (a.length) a[0] = this.ids(model, a[0]);
      if (method === 'write' && a.length > 1) a[1] = this.vals(model, a[1]);
      return a;
    }
    if (method === 'create' && a.length) a[0] = this.vals(model, a[0]);
    if (['search', 'search_read', 'search_count', 'read_group', 'formatted_read_group'].includes(method) && a.length) a[0] = this.domain(model, a[0]);
    if (method === 'name_search' && a.length > 1) a[1] = this.domain(model, a[1]);
    return a;
  }
}

