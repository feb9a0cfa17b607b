/** Demand per SKU: units sold over 7 and 30 days (from imported orders) and days of cover at that pace. */
import type { Engine } from '../context.js';

export interface DemandRow {
  sku: string;
  /** Available to sell: the last figure read from the ERP, less the units of orders imported since. */
  available: number;
  /** When the ERP's figure was read (ISO 8601 UTC); null when never. */
  readAt: string | null;
  sold7: number;
  sold30: number;
  /** Units per day over the last 30 days. */
  velocity: number;
  /** available / velocity; null when nothing sold (infinite cover). */
  daysOfCover: number | null;
}

export function demandRows(available: Map<string, number>, sold7: Map<string, number>, sold30: Map<string, number>): DemandRow[] {
  const skus = new Set([...available.keys(), ...sold30.keys()]);
  return [...skus]
    .map((sku) => {
      const s30 = sold30.get(sku) ?? 0;
      const velocity = s30 / 30;
      const avail = available.get(sku) ?? 0;
      return { sku, available: avail, readAt: null as string | null, sold7: sold7.get(sku) ?? 0, sold30: s30, velocity: Math.round(velocity * 100) / 100, daysOfCover: velocity > 0 ? Math.round((avail / velocity) * 10) / 10 : null };
    })
    .sort((a, b) => (a.daysOfCover ?? Infinity) - (b.daysOfCover ?? Infinity) || a.sku.localeCompare(b.sku));
}

export async function demandReport(engine: Engine, now = engine.now().getTime()): Promise<DemandRow[]> {
  const day = 86_400_000;
  const [sold7, sold30, alerts] = await Promise.all([engine.store.orders.unitsSold(now - 7 * day), engine.store.orders.unitsSold(now - 30 * day), engine.store.alerts.getAll()]);
  const available = new Map<string, number>();
  const readAt = new Map<string, number>();
  for (const a of alerts.values()) {
    available.set(a.sku, (available.get(a.sku) ?? 0) + a.available);
    if (a.readAt !== undefined) readAt.set(a.sku, Math.max(readAt.get(a.sku) ?? 0, a.readAt));
  }
  // orders imported after the figure was read have reserved more since: net them out
  const soldSince = new Map<number, Map<string, number>>();
  for (const at of new Set(readAt.values())) soldSince.set(at, await engine.store.orders.unitsSold(at));
  for (const [sku, at] of readAt) available.set(sku, (available.get(sku) ?? 0) - (soldSince.get(at)?.get(sku) ?? 0));
  return demandRows(available, sold7, sold30).map((r) => ({ ...r, readAt: readAt.has(r.sku) ? new Date(readAt.get(r.sku)!).toISOString() : null }));
}
