/**
 * SimEnv: direct synchronous access to the simulated database for test setup and assertions (no HTTP,
 * no faults, no cost). Calls run as the admin unless `uid` is given, each in its own transaction.
 */
import type { CallOptions, SimEnv, Vals } from './types.js';
import { OrmEnv } from './orm/env.js';
import type { Database } from './orm/registry.js';
import { callModel } from './orm/dispatch.js';

export function makeSimEnv(db: Database, adminUid: number): SimEnv {
  const envFor = (o?: CallOptions) => new OrmEnv(db, o?.uid ?? adminUid, o?.context ?? {});
  function tx<T>(fn: () => T): T {
    db.beginTx();
    db.journal.begin();
    try {
      const r = fn();
      db.journal.commit();
      return r;
    } catch (e) {
      db.journal.rollback();
      throw e;
    }
  }
  return {
    version: db.traits.version,
    search: (model, domain = [], o) => tx(() => envFor(o).search(model, domain, { limit: o?.limit ?? null, offset: o?.offset ?? 0, order: o?.order ?? null })),
    searchRead: (model, domain = [], fields, o) =>
      tx(() => {
        const env = envFor(o);
        const ids = env.search(model, domain, { limit: o?.limit ?? null, offset: o?.offset ?? 0, order: o?.order ?? null });
        return env.read(model, ids, fields);
      }),
    read: (model, ids, fields, o) => tx(() => envFor(o).read(model, ids, fields)),
    create: (model, vals: Vals, o) => tx(() => envFor(o).createOne(model, vals)),
    createMany: (model, vals: Vals[], o) => tx(() => envFor(o).create(model, vals)),
    write: (model, ids, vals, o) => tx(() => envFor(o).write(model, ids, vals)),
    unlink: (model, ids, o) => tx(() => envFor(o).unlink(model, ids)),
    call: (model, method, ids, kwargs = {}, o) => {
      const args = ids === null ? (o?.args ?? []) : [ids, ...(o?.args ?? [])];
      return callModel(db, { model, method, uid: o?.uid ?? adminUid, protocol: 'direct', args, kwargs: { ...kwargs, ...(o?.context ? { context: o.context } : {}) } }).value;
    },
    fieldsOf: (model) => {
      const m = db.models.get(model);
      if (!m) return undefined;
      const out: Record<string, { type: string; relation?: string }> = {};
      for (const [n, f] of m.fields) out[n] = f.relation ? { type: f.type, relation: f.relation } : { type: f.type };
      return out;
    },
    hasModel: (model) => db.models.has(model),
    rowsScanned: () => db.rowsScanned,
    ref: (xmlid) => db.ref(xmlid),
    setStock: (productId, quantity, locationId) =>
      tx(() => {
        const env = new OrmEnv(db, adminUid, { inventory_mode: true }, true);
        const loc = locationId ?? db.ref('stock.stock_location_stock');
        const qid = env.createOne('stock.quant', { product_id: productId, location_id: loc, inventory_quantity: quantity });
        env.model('stock.quant').spec.methods?.action_apply_inventory?.fn(env, [qid], {});
      }),
  };
}
