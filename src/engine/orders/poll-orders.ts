/**
 * The polling safety net for orders: shop orders changed since the cursor and ERP orders whose state,
 * deliveries, returns or invoices changed become keyed `order.sync` jobs (enqueued in the same
 * transaction that moves the cursor, so nothing is skipped and nothing is enqueued twice).
 */
import type { Cursor, Json, SourceRecord } from '../../connectors/contract.js';
import type { Engine } from '../context.js';
import { orderJob } from '../jobs/kinds.js';
import { RunReport } from '../report.js';

/** The poll's report: orders queued (counted as "updated" with reason "queued"), and their shop ids. */
export class OrderPollReport extends RunReport {
  readonly queued = new Set<string>();
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
      const { orderIds, cursor: next } = await engine.erp.orders.listChangedOrders(erpCursor, { limit: 500 });
      await engine.store.transaction(async (tx) => {
        for (const erpId of orderIds) {
          const row = await engine.store.orders.findByErpId(erpId, tx);
          if (!row) continue; // an ERP order that did not come from the shop: not Tandem's, not counted
          report.counts.read += 1;
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
