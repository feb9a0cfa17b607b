/**
 * Categories Odoo → shop, parents first: the engine translates a category's parent through the links made
 * by batches committed BEFORE it, so a child read in the same batch as its parent would be created without
 * its parent. Each batch of categories is split by depth (roots, then their children, …); every part but the
 * last carries the cursor the batch started from, so a crash between the parts re-reads (idempotent).
 * With `categories: sellable` (engine: category flows ERP → shop) only categories holding a sellable product
 * and their parents are read.
 */
import type { Batch, Cursor, SourceRecord } from '../contract.js';
import type { EntityType } from '../../model/index.js';
import { searchAll, type OdooContext } from './context.js';
import { m2oId } from './values.js';

/** Depth of each category of a batch (0 = root), from the parent links within the batch's reach. */
export function depths(records: Array<Pick<SourceRecord<'category'>, 'id' | 'data'>>, knownParents: Map<string, string | null>): Map<string, number> {
  const parent = new Map(knownParents);
  for (const r of records) parent.set(r.id, r.data?.parentId ?? null);
  const out = new Map<string, number>();
  const depthOf = (id: string, seen: Set<string>): number => {
    const hit = out.get(id);
    if (hit !== undefined) return hit;
    const p = parent.get(id) ?? null;
    const d = p === null || seen.has(p) || !parent.has(p) ? 0 : depthOf(p, new Set(seen).add(id)) + 1;
    out.set(id, d);
    return d;
  };
  for (const r of records) depthOf(r.id, new Set());
  return out;
}

/** Splits category batches by depth, parents first. Other entities pass through unchanged. */
export async function* parentsFirst<E extends EntityType>(entity: E, start: Cursor | null, batches: AsyncIterable<Batch<E>>): AsyncGenerator<Batch<E>> {
  if (entity !== 'category') {
    yield* batches;
    return;
  }
  let before = start;
  const parents = new Map<string, string | null>();
  for await (const batch of batches) {
    const recs = batch.records as unknown as SourceRecord<'category'>[];
    const depth = depths(recs, parents);
    for (const r of recs) parents.set(r.id, r.data?.parentId ?? null);
    const levels = [...new Set(recs.map((r) => depth.get(r.id) ?? 0))].sort((a, b) => a - b);
    for (let i = 0; i < levels.length - 1; i++) {
      yield { ...batch, records: recs.filter((r) => depth.get(r.id) === levels[i]) as unknown as SourceRecord<E>[], cursor: before } as Batch<E>;
    }
    const last = levels[levels.length - 1];
    yield { ...batch, records: (last === undefined ? [] : recs.filter((r) => depth.get(r.id) === last)) as unknown as SourceRecord<E>[] } as Batch<E>;
    before = batch.cursor;
  }
}

/** Ids of the categories holding an active sellable product (sale_ok), and all their parents. */
export async function sellableCategoryIds(env: OdooContext): Promise<Set<string>> {
  const [cats, templates] = await Promise.all([searchAll(env, 'product.category', [], ['parent_id']), searchAll(env, 'product.template', [['sale_ok', '=', true]], ['categ_id'])]);
  const parent = new Map(cats.map((c) => [c.id, m2oId(c.parent_id)]));
  const keep = new Set<string>();
  for (const t of templates) {
    for (let id = m2oId(t.categ_id); id !== null && !keep.has(String(id)); id = parent.get(id) ?? null) keep.add(String(id));
  }
  return keep;
}

/** Category batches without the categories that hold no sellable product (read once, at the first batch). */
export async function* onlySellable<E extends EntityType>(env: OdooContext, batches: AsyncIterable<Batch<E>>): AsyncGenerator<Batch<E>> {
  let keep: Set<string> | undefined;
  for await (const batch of batches) {
    keep ??= await sellableCategoryIds(env);
    const k = keep;
    yield { ...batch, records: batch.records.filter((r) => k.has(r.id)) };
  }
}
