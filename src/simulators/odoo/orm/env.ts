/**
 * The ORM environment of one call: database + acting user + context (+ superuser flag for internal work).
 * search / read / create / write / unlink with Odoo's semantics; business methods build on these.
 */
import type { Context, Vals } from '../types.js';
import { OdooError, ruleError } from './errors.js';
import { compile, indexHint, mentionsActive, parseDomain, type Node } from './domain.js';
import { parseOrder, sortRecords } from './order.js';
import type { Db, Env, Model, SearchOpts, UserAuth } from './types.js';
import type { Rec } from './table.js';
import { formatRecord, readFieldNames } from './read.js';
import { createRecords, unlinkRecords, writeRecords } from './write.js';
import { checkAcl, ruleFilter } from './access.js';
import { formatDate } from './clock.js';

export class OrmEnv implements Env {
  constructor(
    readonly db: Db,
    readonly uid: number,
    readonly context: Context = {},
    readonly su = false,
  ) {}

  get traits() {
    return this.db.traits;
  }

  get version() {
    return this.db.traits.version;
  }

  withContext(extra: Context): Env {
    return new OrmEnv(this.db, this.uid, { ...this.context, ...extra }, this.su);
  }

  sudo(): Env {
    return this.su ? this : new OrmEnv(this.db, this.uid, this.context, true);
  }

  get user(): UserAuth | undefined {
    return this.db.users.get(this.uid);
  }

  /** Admin-like rights (superuser or the admin profile). */
  get privileged(): boolean {
    return this.su || this.user?.profile !== 'salesman';
  }

  model(name: string): Model {
    const m = this.db.models.get(name);
    if (!m) throw new OdooError('builtins.KeyError', name, { reprMessage: `'${name}'` });
    return m;
  }

  /** Transaction time (µs). */
  now(): number {
    return this.db.txUs || this.db.beginTx();
  }

  today(): string {
    return formatDate(this.now());
  }

  ref(xmlid: string): number {
    return this.db.ref(xmlid);
  }

  rec(model: string | Model, id: number): Rec | undefined {
    const m = typeof model === 'string' ? this.model(model) : model;
    return m.table.get(id);
  }

  /** Record that must exist (internal use). */
  must(model: string | Model, id: number): Rec {
    const r = this.rec(model, id);
    if (!r) throw new Error(`simulator: ${typeof model === 'string' ? model : model.name}(${id}) missing`);
    return r;
  }

  /** Raw value of a field: stored, delegated (_inherits), computed or one2many via the inverse. */
  value(model: Model, rec: Rec, field: string): unknown {
    if (field === 'id') return rec.id;
    const spec = model.spec;
    const del = spec.delegate;
    if (del && !del.own.has(field) && field !== del.field && !(field in rec) && !spec.compute?.[field]) {
      const parentModel = this.db.models.get(del.model);
      const pid = rec[del.field];
      if (parentModel && typeof pid === 'number' && parentModel.fields.has(field)) {
        const p = parentModel.table.get(pid);
        return p ? this.value(parentModel, p, field) : false;
      }
    }
    const c = spec.compute?.[field];
    if (c) return c(this, rec);
    if (field === 'display_name') return this.displayName(model, rec);
    const f = model.fields.get(field);
    if (f?.type === 'one2many') {
      if (field in rec) return rec[field];
      return this.inverseIds(model, rec, field);
    }
    const v = rec[field];
    if (v === undefined) return emptyOf(f?.type);
    return v;
  }

  /** one2many ids through the inverse many2one, in the comodel's order, archived excluded. */
  inverseIds(model: Model, rec: Rec, field: string): number[] {
    const f = model.fields.get(field);
    if (!f?.relation || !f.inverse) return [];
    const co = this.db.models.get(f.relation);
    if (!co) return [];
    let recs: Rec[];
    const idx = co.table.lookup(f.inverse, rec.id);
    if (idx) recs = [...idx].map((id) => co.table.get(id) as Rec);
    else recs = [...co.table.rows.values()].filter((r) => r[f.inverse as string] === rec.id);
    if (co.hasActive && this.context.active_test !== false) recs = recs.filter((r) => r.active !== false);
    const filter = co.spec.name === 'account.move.line' && field === 'invoice_line_ids' ? (r: Rec) => r.display_type === 'product' : null;
    if (filter) recs = recs.filter(filter);
    return sortRecords(this, co, recs, parseOrder(co, undefined)).map((r) => r.id);
  }

  displayName(model: Model | string, rec: Rec | number): string {
    const m = typeof model === 'string' ? this.model(model) : model;
    const r = typeof rec === 'number' ? m.table.get(rec) : rec;
    if (!r) return '';
    if (m.spec.displayName) return m.spec.displayName(this, r);
    const v = this.value(m, r, m.spec.recName ?? 'name');
    return typeof v === 'string' ? v : v === false ? `${m.name},${r.id}` : String(v);
  }

  m2o(model: string, id: unknown): [number, string] | false {
    if (typeof id !== 'number') return false;
    const m = this.model(model);
    const r = m.table.get(id);
    return r ? [id, this.displayName(m, r)] : false;
  }

  // ---------------------------------------------------------------- search

  domainNode(model: Model, domain: unknown): Node {
    let node = parseDomain(this, model, domain);
    if (model.hasActive && this.context.active_test !== false && !mentionsActive(node)) {
      node = { and: [node, { leaf: { path: ['active'], op: '=', value: true, raw: ['active', '=', true] } }] };
    }
    return node;
  }

  searchRecs(modelName: string | Model, domain: unknown, opts: SearchOpts = {}): Rec[] {
    const model = typeof modelName === 'string' ? this.model(modelName) : modelName;
    if (!this.su) checkAcl(this, model, 'read');
    const node = this.domainNode(model, domain);
    const terms = parseOrder(model, opts.order);
    const pred = compile(this, model, node);
    const rule = this.su ? null : ruleFilter(this, model);
    const hint = indexHint(this, model, node);
    const offset = Math.max(0, Number(opts.offset ?? 0) || 0);
    const limit = opts.limit === null || opts.limit === undefined || (opts.limit as unknown) === false ? null : Number(opts.limit);
    const table = model.table;
    // cursor fast path: already in (write_date, id) order
    const cursorOrder = terms.length >= 1 && terms[0]?.field === 'write_date' && !terms[0].desc && (terms.length === 1 || (terms[1]?.field === 'id' && !terms[1].desc));
    if (hint?.ordered === 'write_date' && cursorOrder && limit !== null) {
      const out: Rec[] = [];
      let skipped = 0;
      for (const id of hint.ids) {
        const r = table.get(id);
        this.db.rowsScanned++;
        if (!r || !pred(r) || (rule && !rule(r))) continue;
        if (skipped < offset) {
          skipped++;
          continue;
        }
        out.push(r);
        if (out.length >= limit) break;
      }
      return out;
    }
    const source: Iterable<number> | null = hint ? hint.ids : null;
    const matched: Rec[] = [];
    if (source) {
      for (const id of source) {
        const r = table.get(id);
        this.db.rowsScanned++;
        if (r && pred(r) && (!rule || rule(r))) matched.push(r);
      }
    } else {
      this.db.rowsScanned += table.size;
      for (const r of table.rows.values()) if (pred(r) && (!rule || rule(r))) matched.push(r);
    }
    const unique = source ? [...new Map(matched.map((r) => [r.id, r])).values()] : matched;
    const sorted = sortRecords(this, model, unique, terms);
    return limit === null ? sorted.slice(offset) : sorted.slice(offset, offset + limit);
  }

  search(model: string | Model, domain: unknown, opts: SearchOpts = {}): number[] {
    return this.searchRecs(model, domain, opts).map((r) => r.id);
  }

  searchCount(model: string | Model, domain: unknown, limit?: number | null): number {
    const n = this.searchRecs(model, domain, { order: 'id' }).length;
    return limit ? Math.min(n, Number(limit)) : n;
  }

  // ---------------------------------------------------------------- read

  read(modelName: string | Model, ids: number[], fields?: unknown, load: unknown = '_classic_read'): Record<string, unknown>[] {
    const model = typeof modelName === 'string' ? this.model(modelName) : modelName;
    const names = readFieldNames(this, model, fields);
    if (!this.su) checkAcl(this, model, 'read');
    const recs: Rec[] = [];
    const seen = new Set<number>();
    for (const id of ids) {
      const r = model.table.get(id);
      if (r && !seen.has(id)) {
        recs.push(r);
        seen.add(id);
      }
    }
    if (!this.su) {
      const rule = ruleFilter(this, model);
      if (rule && recs.some((r) => !rule(r))) throw ruleError(this, model, 'read');
    }
    return recs.map((r) => formatRecord(this, model, r, names, load));
  }

  // ---------------------------------------------------------------- write

  create(model: string | Model, valsList: Vals[]): number[] {
    const m = typeof model === 'string' ? this.model(model) : model;
    return createRecords(this, m, valsList);
  }

  createOne(model: string | Model, vals: Vals): number {
    return this.create(model, [vals])[0] as number;
  }

  write(model: string | Model, ids: number[], vals: Vals): true {
    const m = typeof model === 'string' ? this.model(model) : model;
    writeRecords(this, m, ids, vals);
    return true;
  }

  unlink(model: string | Model, ids: number[]): true {
    const m = typeof model === 'string' ? this.model(model) : model;
    unlinkRecords(this, m, ids);
    return true;
  }

  /** Stamps write_date/write_uid without other changes (dependent records touched by a write). */
  touch(model: Model, rec: Rec): void {
    model.table.update(rec, { write_date: this.now(), write_uid: this.uid });
  }
}

export function emptyOf(type: string | undefined): unknown {
  switch (type) {
    case 'integer':
    case 'float':
    case 'monetary':
      return 0;
    case 'boolean':
      return false;
    case 'one2many':
    case 'many2many':
      return [];
    default:
      return false;
  }
}
