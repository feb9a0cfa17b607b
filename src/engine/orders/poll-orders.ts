/**
 * The polling safety net for orders: shop orders changed since the cursor and ERP orders whose state,
 * deliveries, returns or invoices changed become keyed `order.sync` jobs (enqueued in the same
 * transaction that moves the cursor, so nothing is skipped and nothing is enqueued twice).
 *
 * With `orders.skipOwnErpWrites` (off by default: sound only when Tandem's ERP user is Tandem's alone), an
 * ERP order whose only change is Tandem's own write (confirm, invoice, payment…) is not re-queued: the
 * connector says the change was made by Tandem's ERP user (`own`) and when (whole seconds), and the order's
 * last run that wrote to the ERP ended in a LATER second (order_erp_writes). The same second is a tie — a
 * change right after Tandem's run cannot be told from Tandem's own by the stamp — and is re-queued, as is
 * any change by another user or one with no stamp.
 */
import type { Cursor, ErpOrderChange, Json, SourceRecord } from '../../connectors/contract.js';
import type { Engine } from '../context.js';
import { orderJob } from '../jobs/kinds.js';
import { RunReport } from '../report.js';

/** The poll's report: orders queued (counted as "updated" with reason "queued"), and their shop ids. */
export class OrderPollReport extends RunReport {
  readonly queued = new Set<string>();
  /** ERP changes that were only Tandem's own writes (counted as "unchanged"; not queued). */
  ownSkipped = 0;
}

/**
 * The ERP change is Tandem's own write, already synced: made by Tandem's ERP user, stamped (whole
 * seconds) in a second that ended before the end of the order's last run that wrote to the ERP
 * (`writtenAt`, ms). A stamp in that run's last second or later is re-synced (a tie is never skipped).
 */
export function isOwnErpWrite(change: ErpOrderChange | undefined, writtenAt: number | undefined): boolean {
  if (!change?.own || writtenAt === undefined) return false;
  const second = Date.parse(change.at);
  if (!Number.isFinite(second)) return false;
  return second + 1000 <= Math.floor(writtenAt / 1000) * 1000;
}

export async function pollOrders(engine: Engine): Promise<OrderPollReport> {
  const report = new OrderPollReport('order', 'both');
  const runId = await engine.store.runs.start({ flow: 'order:both', kind: 'poll' });
  let status = 'ok';
  try {
    const shopKey = 'shop:order';
    const cursor = (await engine.store.cursors.get(shopKey)) as Cursor | null;
    for await (const batch of engine.shop.read('order', cursor, { pageSize: 100 })) {
      await engine.store.transaction(async (tx) => {
        for (const r of batch.records as SourceRecord<'order'>[]) {
          report.counts.read += 1;
          await engine.queue.enqueue(orderJob(engine, r.id, 'poll:shop'), tx);
          report.queued.add(r.id);
          report.add({ outcome: 'updated', id: r.id, label: r.data?.number ?? r.id, reason: 'queued' });
        }
        await engine.store.cursors.set(shopKey, batch.cursor as Json, tx);
      });
      engine.queue.notify();
    }
    const erpKey = 'erp:order';
    let erpCursor = (await engine.store.cursors.get(erpKey)) as Cursor | null;
    for (;;) {
      const { orderIds, cursor: next, changes } = await engine.erp.orders.listChangedOrders(erpCursor, { limit: 500 });
      const changeOf = new Map((changes ?? []).map((c) => [c.id, c]));
      await engine.store.transaction(async (tx) => {
        const rows = [];
        for (const erpId of orderIds) {
          const row = await engine.store.orders.findByErpId(erpId, tx);
          if (row) rows.push({ erpId, row }); // an ERP order that did not come from the shop: not Tandem's, not counted
        }
        const own = engine.config.orders.skipOwnErpWrites ? rows.filter((r) => changeOf.get(r.erpId)?.own).map((r) => r.row.shopId) : [];
        const written = await engine.store.orderErpWrites.getMany(own, tx);
        for (const { erpId, row } of rows) {
          report.counts.read += 1;
          if (isOwnErpWrite(changeOf.get(erpId), written.get(row.shopId))) {
            report.ownSkipped += 1;
            report.add({ outcome: 'unchanged', id: row.shopId, label: row.number, reason: "Tandem's own ERP write" });
            continue;
          }
          await engine.queue.enqueue(orderJob(engine, row.shopId, 'poll:erp'), tx);
          report.queued.add(row.shopId);
          report.add({ outcome: 'updated', id: row.shopId, label: row.number, reason: 'queued (ERP changed)' });
        }
        await engine.store.cursors.set(erpKey, next as Json, tx);
      });
      engine.queue.notify();
      if (orderIds.length < 500) break;
      erpCursor = next;
    }
    engine.metrics.flowSucceeded('order:both');
    return report;
  } catch (e) {
    status = 'failed';
    throw e;
  } finally {
    await engine.store.runs.finish(runId, { status, counts: report.counts, report: report.toJSON() as never });
  }
}
