/**
 * The chaos suite's stock check: every SKU's stock in the shop against what the stock flow (ERP → shop)
 * derives from the ERP: available = Σ free quantity over the mapped locations − safety buffer − shop orders
 * not yet in the ERP (`computeShopStock`, the flow's own rule). Read through the connectors without faults.
 */
import type { Engine } from '../../src/engine/context.js';
import { computeShopStock, splitAmbiguous } from '../../src/engine/stock/compute.js';
import { readAllStock } from '../../src/engine/stock/sync-stock.js';
import { stockId } from '../../src/connectors/contract.js';
import type { OdooSimulator } from '../../src/simulators/index.js';

export interface StockMismatch {
  sku: string;
  location: string;
  shop: number | null;
  erp: number;
}

/** One entry per shop stock level (SKU + location) whose quantity differs from the ERP's available to sell. */
export async function stockMismatches(engine: Engine): Promise<StockMismatch[]> {
  const { levels } = splitAmbiguous(await readAllStock(engine.erp, 500));
  const wanted = computeShopStock(levels, engine.config.stock, await engine.store.orders.pendingQuantities());
  const shop = new Map((await readAllStock(engine.shop, 500)).map((l) => [stockId(l.sku, l.location), l]));
  const out: StockMismatch[] = [];
  for (const w of wanted.values()) {
    const s = shop.get(w.id);
    if (!s) continue; // a SKU the shop does not sell (the flow skips it too)
    if (s.available !== w.available) out.push({ sku: w.sku, location: w.location, shop: s.available, erp: w.available });
  }
  for (const s of shop.values()) {
    if (!wanted.has(stockId(s.sku, s.location)) && s.available !== 0) out.push({ sku: s.sku, location: s.location, shop: s.available, erp: 0 });
  }
  return out.sort((a, b) => a.sku.localeCompare(b.sku) || a.location.localeCompare(b.location));
}

/**
 * Stock moves in the ERP during the burst (goods received, a count): new on-hand quantities for a few
 * seeded-random SKUs (SOCK-3, which the orders buy, among them), set in Odoo directly. The stock flow must
 * carry them to the shop; without them the shop and Odoo would agree with no flow at all (both take each
 * order's quantity off). Returns the SKUs counted.
 */
export function countErpStock(odoo: OdooSimulator, random: () => number): string[] {
  const products = odoo.env.searchRead('product.product', [['default_code', '!=', false]], ['default_code', 'qty_available'], { order: 'id' });
  const counted: string[] = [];
  for (const p of products) {
    const sku = String(p.default_code);
    if (sku !== 'SOCK-3' && random() > 0.3) continue;
    odoo.env.setStock(Number(p.id), Number(p.qty_available) + 1 + Math.floor(random() * 500));
    counted.push(sku);
  }
  return counted;
}
