/**
 * What an order run really did, for the summary of `tandem sync`: the poll only queues order jobs, so
 * its report says "queued"; once the queue has been worked, each queued order is judged from the store
 * (imported now → created, known before → updated) and from its job (dead → failed, waiting for a
 * retry → failed with when). Each order appears once.
 */
import type { Engine } from '../engine/context.js';
import { ORDER_SYNC } from '../engine/jobs/kinds.js';
import { RunReport } from '../engine/report.js';
import { SyncError } from '../shared/errors.js';

/** The ERP ids of the queued orders before their jobs run (null: not imported yet). */
export async function ordersBefore(engine: Engine, queued: Iterable<string>): Promise<Map<string, string | null>> {
  const before = new Map<string, string | null>();
  for (const id of queued) before.set(id, (await engine.store.orders.get(id))?.erpId ?? null);
  return before;
}

/** The order report after the queue was worked: created / updated / failed per order, from what happened. */
export async function orderOutcomes(engine: Engine, before: Map<string, string | null>): Promise<RunReport> {
  const report = new RunReport('order', 'shop->erp');
  for (const [shopId, erpBefore] of before) {
    report.counts.read += 1;
    const row = await engine.store.orders.get(shopId);
    const label = row?.number ?? shopId;
    const jobs = await engine.queue.list({ kind: ORDER_SYNC, key: `order:${shopId}`, limit: 1000 });
    const open = jobs.filter((j) => j.state !== 'done').at(-1);
    if (open?.lastError) {
      const err = SyncError.fromJSON(open.lastError).describe();
      const reason = open.state === 'dead' ? `${err} (dead letter: tandem dlq list)` : `${err} (retried at ${new Date(open.runAt).toISOString()})`;
      report.add({ outcome: 'failed', id: shopId, label, reason });
    } else if (!row?.erpId) {
      report.add({ outcome: 'skipped', id: shopId, label, reason: 'not imported (see tandem trace)' });
    } else if (erpBefore === null) {
      report.add({ outcome: 'created', id: shopId, label, targetId: row.erpId });
    } else {
      report.add({ outcome: 'updated', id: shopId, label, targetId: row.erpId });
    }
  }
  return report;
}
