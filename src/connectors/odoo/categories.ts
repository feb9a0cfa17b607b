/**
 * product.category writes: find-before-create by (name, parent), creates in one list call, updates grouped
 * by identical values. Parents are translated through the link table (ctx.lookup).
 */
import { CategorySchema } from '../../model/index.js';
import type { Json, WriteContext, WriteOp, WriteResult } from '../contract.js';
import { SyncError, toSyncError } from '../../shared/errors.js';
import { SYSTEM } from './errors.js';
import { createMany, type OdooContext } from './context.js';
import { asNumberId, groupByValues, m2oId, text, type OdooRecord } from './values.js';

export async function writeCategories(env: OdooContext, ops: WriteOp<'category'>[], ctx: WriteContext): Promise<WriteResult[]> {
  const results: Array<WriteResult | undefined> = new Array(ops.length);
  const parentOf = (parentId: string | null): number | false => {
    if (!parentId) return false;
    const id = ctx.lookup('category', parentId);
    return id !== undefined ? Number(id) : false;
  };
  const items: Array<{ i: number; op: WriteOp<'category'>; vals: Record<string, Json>; target?: number }> = [];
  ops.forEach((op, i) => {
    if (op.kind === 'delete') {
      items.push({ i, op, vals: {}, target: op.targetId ? asNumberId(op.targetId) : undefined });
      return;
    }
    const parsed = CategorySchema.safeParse(op.record);
    if (!parsed.success) {
      results[i] = { ok: false, key: op.key, error: new SyncError('invalid_data', parsed.error.issues[0]?.message ?? 'invalid category', { system: SYSTEM, entity: 'category', record: op.key }) };
      return;
    }
    items.push({ i, op, vals: { name: parsed.data.name, parent_id: parentOf(parsed.data.parentId) }, target: op.targetId ? asNumberId(op.targetId) : undefined });
  });

  const creates = items.filter((x) => x.op.kind === 'create' && x.target === undefined);
  if (creates.length) {
    const names = [...new Set(creates.map((c) => c.vals.name as string))];
    const existing = await env.t.call<OdooRecord[]>('product.category', 'search_read', { kwargs: { domain: [['name', 'in', names]], fields: ['name', 'parent_id'] } });
    for (const c of creates) {
      const hit = existing.find((e) => text(e.name) === c.vals.name && (m2oId(e.parent_id) ?? false) === c.vals.parent_id);
      if (hit) {
        c.target = hit.id;
        results[c.i] = { ok: true, key: c.op.key, id: String(hit.id), created: false };
      }
    }
    const rest = creates.filter((c) => c.target === undefined);
    if (rest.length) {
      // all-or-nothing: a refused list throws, and the engine isolates the bad record (engine/records/write-batches.ts)
      const ids = await createMany(env, 'product.category', rest.map((c) => c.vals));
      rest.forEach((c, k) => (results[c.i] = { ok: true, key: c.op.key, id: String(ids[k]), created: true }));
    }
  }
  const updates = items.filter((x) => x.op.kind !== 'delete' && x.target !== undefined && !results[x.i]);
  for (const g of groupByValues(updates, (u) => u.vals)) {
    try {
      await env.t.call('product.category', 'write', { ids: g.items.map((u) => u.target!), kwargs: { vals: g.vals } });
      for (const u of g.items) results[u.i] = { ok: true, key: u.op.key, id: String(u.target), created: false };
    } catch (e) {
      const err = toSyncError(e);
      if (err.retryable) throw err;
      for (const u of g.items) results[u.i] = { ok: false, key: u.op.key, error: err.about({ entity: 'category', record: u.op.key }) };
    }
  }
  for (const d of items.filter((x) => x.op.kind === 'delete')) {
    if (d.target === undefined) {
      results[d.i] = { ok: true, key: d.op.key, id: '', created: false };
      continue;
    }
    try {
      await env.t.call('product.category', 'unlink', { ids: [d.target] });
      results[d.i] = { ok: true, key: d.op.key, id: String(d.target), created: false };
    } catch (e) {
      const err = toSyncError(e);
      if (err.kind === 'not_found') results[d.i] = { ok: true, key: d.op.key, id: String(d.target), created: false };
      else if (err.retryable) throw err;
      else results[d.i] = { ok: false, key: d.op.key, error: err.about({ entity: 'category', record: d.op.key }) };
    }
  }
  return results.map((r, i) => r ?? { ok: false, key: ops[i]!.key, error: new SyncError('invalid_data', 'not written', { system: SYSTEM }) });
}
