/**
 * Verification: compares both systems entity by entity and lists every difference — a record missing on
 * one side, an owned field that differs, stock that differs per SKU and location (what each side is read
 * for: verify-sides.ts). Memory stays bounded by
 * keeping one small fingerprint per record (per-field hashes), not the records. `fix` repairs through
 * the normal write path (the link's hash is cleared, then the record is synced again).
 */
import type { ReadOptions } from '../connectors/contract.js';
import { enumerate, feedPrints, fetchedPrints, listedPrints, matchedPrints, ReadPrints, type Print } from './verify-sides.js';
import { categoryScope } from './records/category-scope.js';
import type { EntityType } from '../model/entities.js';
import type { Engine } from './context.js';
import { directionsOf, flowOf } from './context.js';
import { commitBatch } from './records/commit-batch.js';
import { directionLabel, resolveDirection, type Direction } from './records/direction.js';
import { hashValue } from './records/hash.js';
import { pick } from './records/ownership.js';
import type { RefMap } from './records/refs.js';
import { syncRecords } from './records/sync-records.js';
import { RunReport } from './report.js';
import { entityLock, withLock } from './lock.js';
import { computeShopStock, splitAmbiguous } from './stock/compute.js';
import { readAllStock, syncStock } from './stock/sync-stock.js';

export interface Difference {
  entity: EntityType;
  kind: 'missing_in_shop' | 'missing_in_erp' | 'field' | 'stock' | 'unlinked_match' | 'ambiguous';
  shopId?: string;
  erpId?: string;
  label: string;
  fields?: string[];
  shop?: unknown;
  erp?: unknown;
}

export interface ReconcileResult {
  entities: Array<{ entity: EntityType; shop: number; erp: number; linked: number; differences: number }>;
  differences: Difference[];
  fixed?: number;
}

/** What the verification of one entity compares, and how each side's references are translated. */
interface EntityPlan {
  fields: string[];
  sourceSides: Set<'shop' | 'erp'>;
  toErp: RefMap;
  erpKnown: RefMap;
  scope: (role: 'shop' | 'erp') => ReadOptions;
}

async function entityPlan(engine: Engine, entity: EntityType): Promise<EntityPlan> {
  const flow = flowOf(engine, entity)!;
  const dirs = directionsOf(flow).map(([source]) => resolveDirection(engine, flow, source));
  // shop references are translated into ERP ids through the category links
  const categoryLinks = new Map<string, string>();
  if (entity === 'product' || entity === 'category') for await (const l of engine.store.links.iterate('category')) categoryLinks.set(l.shopId, l.erpId);
  const erpCategories = new Set(categoryLinks.values());
  return {
    fields: [...new Set(dirs.flatMap((d) => d.comparable))],
    sourceSides: new Set(dirs.map((d) => d.source)),
    toErp: (_e, id) => categoryLinks.get(id),
    erpKnown: (_e, id) => (erpCategories.has(id) ? id : undefined),
    scope: (role) => (role === 'erp' ? categoryScope(flow, 'erp') : {}),
  };
}

/**
 * The listing of the source side of a one-way flow, started before the verification itself (syncAll: as soon
 * as the sync's read of that source has ended, while the sync still writes to the target). A one-way sync
 * never writes to its source, and every record listed from then on was read by the sync before it: a
 * record changed in between is listed as it is now, exactly as a listing after the sync would list it. A
 * two-way flow writes to both sides: none (its sides are listed when the verification runs); nor when a
 * flow synced later in the same run writes to that source (syncAll checks: stock, prices to the shop).
 */
export interface EarlyListing {
  role: 'shop' | 'erp';
  prints: Promise<Map<string, Print>>;
}

function earlyRole(engine: Engine, entity: EntityType): 'shop' | 'erp' | undefined {
  const flow = flowOf(engine, entity);
  // not categories: their references (parents) are translated through the category links, which the sync
  // is still writing; a product's categories are linked before the products are read
  if (!flow || !['product', 'customer'].includes(entity) || flow.direction === 'both') return undefined;
  return directionsOf(flow)[0]![0];
}

/**
 * `read`: prints of what the sync's feed handed out, when it read the source from its first page — then the
 * source is not listed again, only its ids (verify-sides.ts `feedPrints`: a record the feed missed is still
 * found); else the source is listed whole.
 */
export function startListing(engine: Engine, entity: EntityType, signal?: AbortSignal, read?: ReadPrints): EarlyListing | undefined {
  const role = earlyRole(engine, entity);
  if (!role) return undefined;
  const conn = role === 'shop' ? engine.shop : engine.erp;
  const prints = entityPlan(engine, entity).then((plan) => {
    const refs = role === 'shop' ? plan.toErp : plan.erpKnown;
    const scope = { ...plan.scope(role), ...(signal && { signal }) };
    return read && conn.listIds ? feedPrints(conn, entity, read, plan.fields, refs, scope) : listedPrints(conn, entity, plan.fields, refs, scope);
  });
  prints.catch(() => undefined); // surfaces when the verification awaits it; not an unhandled rejection meanwhile
  return { role, prints };
}

/**
 * What to keep of the sync's feed for `startListing`: the source's records as fingerprints, taken as the
 * sync reads them (undefined where the source cannot list its ids, or the flow is not listed early).
 */
export async function feedWatch(engine: Engine, entity: EntityType): Promise<ReadPrints | undefined> {
  const role = earlyRole(engine, entity);
  if (!role || !(role === 'shop' ? engine.shop : engine.erp).listIds) return undefined;
  const plan = await entityPlan(engine, entity);
  return new ReadPrints(entity, plan.fields, role === 'shop' ? plan.toErp : plan.erpKnown);
}

async function reconcileEntity(engine: Engine, entity: EntityType, result: ReconcileResult, early?: EarlyListing): Promise<void> {
  const { fields, sourceSides, toErp, erpKnown, scope } = await entityPlan(engine, entity);
  // A side the flow reads from is listed whole; a side it only writes to is read by the linked ids, plus
  // what the unlinked source records' natural keys find there (verify-sides.ts says why that is enough).
  const links: Array<{ shopId: string; erpId: string }> = [];
  for await (const l of engine.store.links.iterate(entity)) links.push({ shopId: l.shopId, erpId: l.erpId });
  const side = (role: 'shop' | 'erp', refs: RefMap) => {
    const conn = role === 'shop' ? engine.shop : engine.erp;
    if (early && early.role === role && sourceSides.size === 1 && sourceSides.has(role)) return early.prints;
    if (sourceSides.has(role)) return listedPrints(conn, entity, fields, refs, scope(role));
    return fetchedPrints(conn, entity, links.map((l) => (role === 'shop' ? l.shopId : l.erpId)), fields, refs);
  };
  // both systems read at once, each a page ahead of the hashing
  const [shop, erp] = await Promise.all([side('shop', toErp), side('erp', erpKnown)]);
  for (const [role, mine, other] of [['erp', erp, shop], ['shop', shop, erp]] as const) {
    if (sourceSides.has(role)) continue;
    const linkedIds = new Set(links.map((l) => (role === 'shop' ? l.shopId : l.erpId)));
    const linkedOther = new Set(links.map((l) => (role === 'shop' ? l.erpId : l.shopId)));
    const unlinked = [...other].filter(([id]) => !linkedOther.has(id)).map(([, p]) => p);
    await matchedPrints(role === 'shop' ? engine.shop : engine.erp, entity, unlinked, linkedIds, fields, role === 'shop' ? toErp : erpKnown, mine);
  }
  const linkedShop = new Set<string>();
  const linkedErp = new Set<string>();
  let linked = 0;
  const before = result.differences.length;
  for (const link of links) {
    const s = shop.get(link.shopId);
    const e = erp.get(link.erpId);
    if (!s && !e) continue;
    linked += 1;
    if (s) linkedShop.add(link.shopId);
    if (e) linkedErp.add(link.erpId);
    if (!s || !e) {
      result.differences.push({ entity, kind: s ? 'missing_in_erp' : 'missing_in_shop', shopId: link.shopId, erpId: link.erpId, label: (s ?? e)!.label });
      continue;
    }
    const differing = fields.filter((f) => s.fields.get(f) !== e.fields.get(f));
    if (differing.length) result.differences.push({ entity, kind: 'field', shopId: link.shopId, erpId: link.erpId, label: s.label, fields: differing });
  }
  // Unlinked records: missing on the other side, or present but never linked (a sync would link them).
  const erpByKey = new Map<string, Set<string>>();
  for (const [id, p] of erp) if (!linkedErp.has(id)) for (const k of p.keys) erpByKey.set(k, (erpByKey.get(k) ?? new Set()).add(id));
  const matchedErp = new Set<string>();
  for (const [id, p] of shop) {
    if (linkedShop.has(id)) continue;
    const hits = p.keys.map((k) => erpByKey.get(k)).find((ids) => ids?.size);
    if (hits && hits.size > 1) {
      // a key several ERP records carry: a sync reports it and does not guess; so does the verification
      for (const e of hits) matchedErp.add(e);
      result.differences.push({ entity, kind: 'ambiguous', shopId: id, label: p.label, erp: [...hits].sort() });
    } else if (hits) {
      const match = [...hits][0] as string;
      matchedErp.add(match);
      result.differences.push({ entity, kind: 'unlinked_match', shopId: id, erpId: match, label: p.label });
    } else if (sourceSides.has('shop')) {
      result.differences.push({ entity, kind: 'missing_in_erp', shopId: id, label: p.label });
    }
  }
  if (sourceSides.has('erp')) {
    for (const [id, p] of erp) if (!linkedErp.has(id) && !matchedErp.has(id)) result.differences.push({ entity, kind: 'missing_in_shop', erpId: id, label: p.label });
  }
  result.entities.push({ entity, shop: shop.size, erp: erp.size, linked, differences: result.differences.length - before });
}

/**
 * Prices are keyed by "<sku>@<pricelist>" on both sides: read the source, fetch the same keys from the
 * target, compare. A key the target does not have is a SKU it does not sell, not a difference.
 */
async function reconcilePrices(engine: Engine, result: ReconcileResult): Promise<void> {
  const flow = flowOf(engine, 'price')!;
  const before = result.differences.length;
  let sourceCount = 0;
  let targetCount = 0;
  for (const [source] of directionsOf(flow)) {
    const dir = resolveDirection(engine, flow, source);
    for await (const batch of enumerate(dir.from, 'price', flow.batchSize)) {
      const mine = new Map(batch.records.flatMap((r) => (r.data ? [[r.id, r.data] as const] : [])));
      sourceCount += mine.size;
      const theirs = new Map((await dir.to.fetch('price', [...mine.keys()])).flatMap((r) => (r.data ? [[r.id, r.data] as const] : [])));
      targetCount += theirs.size;
      for (const [id, data] of mine) {
        const other = theirs.get(id);
        if (!other) continue;
        const differing = dir.comparable.filter((f) => hashValue(pick(data as Record<string, unknown>, [f])) !== hashValue(pick(other as Record<string, unknown>, [f])));
        if (differing.length) result.differences.push({ entity: 'price', kind: 'field', ...(source === 'shop' ? { shopId: id, erpId: id } : { erpId: id, shopId: id }), label: id, fields: differing });
      }
    }
  }
  result.entities.push({ entity: 'price', shop: sourceCount, erp: targetCount, linked: targetCount, differences: result.differences.length - before });
}

async function reconcileStock(engine: Engine, result: ReconcileResult): Promise<void> {
  const [erpLevels, shopLevels, pending] = await Promise.all([readAllStock(engine.erp, 500), readAllStock(engine.shop, 500), engine.store.orders.pendingQuantities()]);
  const { levels, ambiguous } = splitAmbiguous(erpLevels);
  const wanted = computeShopStock(levels, engine.config.stock, pending);
  const actual = new Map(shopLevels.map((l) => [`${l.sku}@${l.location}`, l.available]));
  const before = result.differences.length;
  for (const w of wanted.values()) {
    const a = actual.get(w.id);
    if (a === undefined) continue; // SKU not sold in the shop
    if (a !== w.available) result.differences.push({ entity: 'stock', kind: 'stock', shopId: w.id, erpId: w.id, label: w.id, shop: a, erp: w.available });
  }
  for (const [sku, n] of ambiguous) result.differences.push({ entity: 'stock', kind: 'ambiguous', label: sku, erp: `${n} products carry this SKU` });
  result.entities.push({ entity: 'stock', shop: actual.size, erp: wanted.size, linked: 0, differences: result.differences.length - before });
}

/** Repairs differences through the normal path: re-sync the source record with its link hash cleared. */
export async function fixDifferences(engine: Engine, diffs: Difference[]): Promise<number> {
  let fixed = 0;
  const byEntity = new Map<EntityType, Difference[]>();
  for (const d of diffs) byEntity.set(d.entity, [...(byEntity.get(d.entity) ?? []), d]);
  for (const [entity, list] of byEntity) {
    if (entity === 'stock') {
      for (const d of list) await engine.store.links.delete('stock', 'erp', d.erpId!);
      const r = await syncStock(engine);
      fixed += r.counts.updated;
      continue;
    }
    const flow = flowOf(engine, entity)!;
    for (const [source] of directionsOf(flow)) {
      const dir: Direction = resolveDirection(engine, flow, source);
      const ids = list.flatMap((d) => {
        const id = source === 'shop' ? d.shopId : d.erpId;
        const mine = d.kind === 'field' || d.kind === 'unlinked_match' || (source === 'shop' ? d.kind === 'missing_in_erp' : d.kind === 'missing_in_shop');
        return id && mine ? [id] : [];
      });
      if (!ids.length) continue;
      for (const id of ids) await engine.store.links.setHashes(entity, source, id, { [source === 'shop' ? 'shopHash' : 'erpHash']: null });
      const report = new RunReport(entity, directionLabel(dir));
      await withLock(engine, entityLock(entity), async () => {
        const m = await syncRecords(engine, dir, await dir.from.fetch(entity, ids), report);
        await commitBatch(engine, m);
      }, { wait: true });
      fixed += report.written + report.counts.linked;
    }
  }
  return fixed;
}

/** `early`: source listings started before (startListing); used once, by the first comparison of their entity. */
export async function reconcile(engine: Engine, opts: { entities?: EntityType[]; fix?: boolean; early?: Map<EntityType, EarlyListing> } = {}): Promise<ReconcileResult> {
  const result: ReconcileResult = { entities: [], differences: [] };
  const flows = engine.config.flows.filter((f) => f.enabled && f.entity !== 'order' && (!opts.entities || opts.entities.includes(f.entity)));
  for (const f of flows) {
    if (f.entity === 'stock') await reconcileStock(engine, result);
    else if (f.entity === 'price') await reconcilePrices(engine, result);
    else if (['category', 'product', 'customer'].includes(f.entity)) await reconcileEntity(engine, f.entity, result, opts.early?.get(f.entity));
  }
  if (opts.fix && result.differences.length) {
    result.fixed = await fixDifferences(engine, result.differences);
    const after = await reconcile(engine, { ...(opts.entities && { entities: opts.entities }), fix: false });
    return { ...after, fixed: result.fixed };
  }
  return result;
}
