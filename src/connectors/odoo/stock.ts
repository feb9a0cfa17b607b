/**
 * Stock per SKU and location. Locations are each warehouse's stock location ("WH/Stock"), children
 * included (Odoo's `location` context). Quantities are computed fields, read in their own calls, one per
 * location (context {location: id}), never together with catalog fields:
 *   onHand = qty_available, available = free_qty, reserved = onHand − free_qty.
 * Counting (setOnHand): stock.quant created in inventory mode with inventory_quantity (a LIST, one call; an
 * existing quant of the same product+location is returned instead of a new one), then action_apply_inventory.
 */
import type { StockLevel } from '../../model/index.js';
import type { Cursor, ErpStockActions, Json, SourceRecord } from '../contract.js';
import { stockId } from '../contract.js';
import { SyncError, toSyncError } from '../../shared/errors.js';
import { SYSTEM } from './errors.js';
import { createMany, readMany, searchAll, variantsBySku, type OdooContext } from './context.js';
import type { Feed } from './changes.js';
import { storableDomain } from './versions.js';
import type { Location } from './lookups.js';
import { m2oId, quantity, text, toSecond, type OdooRecord } from './values.js';

export function levelFromOdoo(p: OdooRecord, location: string): StockLevel | null {
  const sku = text(p.default_code);
  if (!sku) return null;
  const onHand = quantity(p.qty_available);
  const free = Math.min(quantity(p.free_qty), onHand);
  return { sku, location, onHand, reserved: Math.max(0, onHand - free), available: free };
}

async function levelsFor(env: OdooContext, productIds: number[], locations: Location[]): Promise<Array<{ level: StockLevel; raw: OdooRecord }>> {
  const out: Array<{ level: StockLevel; raw: OdooRecord }> = [];
  for (const loc of locations) {
    const rows = await readMany(env, 'product.product', productIds, ['default_code', 'qty_available', 'free_qty'], { location: loc.id });
    for (const r of rows) {
      const level = levelFromOdoo(r, loc.name);
      if (level) out.push({ level, raw: r });
    }
  }
  return out;
}

async function storableVariantIds(env: OdooContext): Promise<number[]> {
  const traits = await env.traits();
  const rows = await searchAll(env, 'product.product', [...storableDomain(traits), ['default_code', '!=', false]], ['id']);
  return rows.map((r) => r.id);
}

export async function loadStockRecords(env: OdooContext, productIds: number[], locations?: Location[]): Promise<SourceRecord<'stock'>[]> {
  const locs = locations ?? (await env.lookups.stockLocations());
  return (await levelsFor(env, productIds, locs)).map(({ level, raw }) => ({
    entity: 'stock' as const,
    id: stockId(level.sku, level.location),
    updatedAt: null,
    data: level,
    raw: { ...raw, location: level.location },
  }));
}

/** Quants change on every count, reservation and validated move: their write_date is the stock feed. */
export function stockFeeds(): Feed[] {
  return [
    {
      key: 'quant',
      spec: { model: 'stock.quant', domain: [['location_id.usage', '=', 'internal']], fields: ['product_id'] },
      outIds: (rows) => rows.map((r) => m2oId(r.product_id)).filter((x): x is number => x !== null).map(String),
    },
  ];
}

/** Cursor positioned at the newest quant change, for a full read that starts a feed. */
export async function stockStartCursor(env: OdooContext): Promise<Cursor> {
  const [last] = await env.t.call<OdooRecord[]>('stock.quant', 'search_read', { kwargs: { domain: [], fields: ['write_date'], order: 'write_date desc', limit: 1 } });
  const second = typeof last?.write_date === 'string' ? toSecond(last.write_date) : null;
  return { v: 1, feeds: { quant: second }, seen: {} } as unknown as Json;
}

export async function allStockRecords(env: OdooContext): Promise<SourceRecord<'stock'>[]> {
  return loadStockRecords(env, await storableVariantIds(env));
}

/** "SKU@WH/Stock" ids → records (the SKU may contain "@": the location is after the last one). */
export async function fetchStock(env: OdooContext, idsWanted: string[]): Promise<SourceRecord<'stock'>[]> {
  const pairs = idsWanted.map((id) => {
    const at = id.lastIndexOf('@');
    return { sku: id.slice(0, at), location: id.slice(at + 1) };
  });
  const variants = await variantsBySku(env, pairs.map((p) => p.sku));
  const all = await env.lookups.internalLocations();
  const locs = [...new Set(pairs.map((p) => p.location))].map((n) => all.find((l) => l.name === n)).filter((l): l is Location => !!l);
  const recs = await loadStockRecords(env, variants.map((v) => v.id), locs);
  const want = new Set(idsWanted);
  return recs.filter((r) => want.has(r.id));
}

/**
 * Inventory counts: one quant create call (a list, inventory mode) and one action_apply_inventory.
 * Returns per level null (applied) or the error of that level (unknown SKU or location); the rest is applied.
 */
export async function applyCounts(env: OdooContext, levels: Array<{ sku: string; location: string; onHand: number }>): Promise<Map<number, SyncError | null>> {
  const out = new Map<number, SyncError | null>();
  if (levels.length === 0) return out;
  const variants = await variantsBySku(env, levels.map((l) => l.sku));
  const bySku = new Map<string, number[]>();
  for (const v of variants) {
    const sku = text(v.default_code) ?? '';
    bySku.set(sku, [...(bySku.get(sku) ?? []), v.id]);
  }
  const vals: Record<string, Json>[] = [];
  const applied: number[] = [];
  for (const [i, l] of levels.entries()) {
    const where = { system: SYSTEM, entity: 'stock', record: stockId(l.sku, l.location) };
    const ids = bySku.get(l.sku);
    if (!ids) {
      out.set(i, new SyncError('not_found', `no Odoo product with SKU ${l.sku}`, where));
      continue;
    }
    if (ids.length > 1) {
      out.set(i, new SyncError('invalid_data', `SKU ${l.sku} is on ${ids.length} Odoo products`, where));
      continue;
    }
    try {
      const loc = await env.lookups.location(l.location);
      vals.push({ product_id: ids[0]!, location_id: loc.id, inventory_quantity: l.onHand });
      applied.push(i);
    } catch (e) {
      out.set(i, toSyncError(e).about({ entity: 'stock', record: stockId(l.sku, l.location) }));
    }
  }
  if (vals.length > 0) {
    const ctx = { inventory_mode: true };
    const quantIds = [...new Set(await createMany(env, 'stock.quant', vals, ctx))];
    await env.t.call('stock.quant', 'action_apply_inventory', { ids: quantIds, context: ctx });
  }
  for (const i of applied) out.set(i, null);
  return out;
}

export function stockActions(env: OdooContext): ErpStockActions {
  return {
    async readStock(opts = {}) {
      const locations = opts.locations ? await Promise.all(opts.locations.map((l) => env.lookups.location(l))) : await env.lookups.stockLocations();
      const productIds = opts.skus ? (await variantsBySku(env, opts.skus)).map((v) => v.id) : await storableVariantIds(env);
      return (await levelsFor(env, productIds, locations)).map((x) => x.level);
    },

    async setOnHand(levels) {
      const errors = await applyCounts(env, levels);
      const first = [...errors.values()].find((e) => e !== null);
      if (first) throw first;
    },

    async listLocations() {
      return (await env.lookups.stockLocations()).map((l) => ({ id: l.name, name: l.name, warehouse: l.warehouse }));
    },
  };
}
