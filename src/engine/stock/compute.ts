/**
 * Available-to-sell per shop location, from the ERP's stock per location (pure).
 * available = Σ on hand − Σ reserved − safety buffer (per SKU, else the global one) − quantities of shop
 * orders not yet in the ERP; never negative.
 */
import type { StockLevel } from '../../model/entities.js';
import type { Config } from '../../config/schema.js';
import { stockId } from '../../connectors/contract.js';

export interface ShopStock {
  id: string;
  sku: string;
  location: string;
  onHand: number;
  reserved: number;
  available: number;
}

/** ERP location → shop location; null when the ERP location is not sold from. */
export function locationMapper(cfg: Config['stock']): (erpLocation: string) => string | null {
  if (cfg.locations.length === 0) return () => 'default';
  const exact = new Map(cfg.locations.map((l) => [l.erp, l.shop]));
  return (erpLocation) => {
    const hit = exact.get(erpLocation);
    if (hit !== undefined) return hit;
    // a mapping of "WH/Stock" also covers "WH/Stock/Shelf 1"; a warehouse code "WH" covers "WH/…"
    for (const [erp, shop] of exact) if (erpLocation.startsWith(`${erp}/`)) return shop;
    return null;
  };
}

/**
 * SKUs the ERP has more than once at one location (Odoo allows two products with one SKU): their levels
 * belong to different products, so adding them up for the shop would be a guess. Returned apart, with
 * the levels of every other SKU.
 */
export function splitAmbiguous(levels: StockLevel[]): { levels: StockLevel[]; ambiguous: Map<string, number> } {
  const seen = new Map<string, number>();
  for (const l of levels) seen.set(`${l.sku}@${l.location}`, (seen.get(`${l.sku}@${l.location}`) ?? 0) + 1);
  const ambiguous = new Map<string, number>();
  for (const l of levels) {
    const n = seen.get(`${l.sku}@${l.location}`) ?? 0;
    if (n > 1) ambiguous.set(l.sku, Math.max(n, ambiguous.get(l.sku) ?? 0));
  }
  return { levels: ambiguous.size ? levels.filter((l) => !ambiguous.has(l.sku)) : levels, ambiguous };
}

export function computeShopStock(levels: Iterable<StockLevel>, cfg: Config['stock'], pending: Map<string, number> = new Map()): Map<string, ShopStock> {
  const mapLocation = locationMapper(cfg);
  const out = new Map<string, ShopStock>();
  for (const l of levels) {
    const location = mapLocation(l.location);
    if (location === null) continue;
    const id = stockId(l.sku, location);
    const cur = out.get(id) ?? { id, sku: l.sku, location, onHand: 0, reserved: 0, available: 0 };
    cur.onHand += l.onHand;
    cur.reserved += Math.max(0, l.onHand - l.available);
    out.set(id, cur);
  }
  const pendingLeft = new Map(pending);
  for (const s of out.values()) {
    const buffer = cfg.safetyBuffer.perSku[s.sku] ?? cfg.safetyBuffer.default;
    // shop orders not in the ERP yet are taken from the first location that has the SKU
    const inflight = pendingLeft.get(s.sku) ?? 0;
    pendingLeft.delete(s.sku);
    s.available = Math.max(0, round(s.onHand - s.reserved - buffer - inflight));
  }
  return out;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
