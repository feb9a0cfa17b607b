/**
 * The orders part of `tandem plan`: the shop orders a sync would pick up (changed since the order cursor)
 * and, for each, what would happen — imported (SKUs all found in the ERP), followed (imported already),
 * or not imported and why. Reads only; moves no cursor. Before the initial sync (no cursor yet) nothing
 * is listed: history is not imported, orders placed after `tandem sync --initial` are.
 */
import type { Cursor, SourceRecord } from '../../connectors/contract.js';
import type { Engine } from '../context.js';
import { RunReport } from '../report.js';
import { isImportable } from './order-state.js';
import { lookupAll } from './import-order.js';
import { buildErpOrder } from './build-order.js';
import { toSyncError } from '../../shared/errors.js';

export interface OrderPlan {
  report: RunReport;
  /** Why nothing is listed, when that is the case. */
  note?: string;
}

export async function planOrders(engine: Engine): Promise<OrderPlan> {
  const report = new RunReport('order', 'shop->erp');
  const cursor = (await engine.store.cursors.get('shop:order')) as Cursor | null;
  for await (const batch of engine.shop.read('order', cursor, { pageSize: 100 })) {
    for (const r of batch.records as SourceRecord<'order'>[]) {
      report.counts.read += 1;
      report.add(await judge(engine, r));
    }
  }
  if (cursor !== null || report.counts.read === 0) return { report };
  return { report, note: `orders: no order was read yet, so \`tandem sync\` would take all ${report.counts.read} shop order(s); \`tandem sync --initial\` skips the shop's history instead` };
}

async function judge(engine: Engine, r: SourceRecord<'order'>): Promise<Parameters<RunReport['add']>[0]> {
  const label = r.data?.number ?? r.id;
  if (!r.data) return { outcome: 'failed', id: r.id, label, reason: r.error?.message ?? 'could not be read' };
  const order = r.data;
  const known = await engine.store.orders.get(r.id);
  if (known?.erpId) return { outcome: 'updated', id: r.id, label, targetId: known.erpId, reason: 'imported already; its changes are followed' };
  if (!isImportable(order)) return { outcome: 'skipped', id: r.id, label, reason: `order is ${order.status} in the shop: never imported` };
  try {
    // the import's own reads and its pure build: what would stop the import stops the plan too
    const lookups = await lookupAll(engine, order);
    buildErpOrder(order, engine.config.orders, { products: lookups.products, taxes: lookups.taxes, carriers: lookups.carriers, partnerId: 'planned' }, `${engine.names.shop}:${order.number}`);
  } catch (e) {
    return { outcome: 'failed', id: r.id, label, reason: `would fail: ${toSyncError(e).describe()}` };
  }
  return { outcome: 'created', id: r.id, label, reason: 'would be imported' };
}
