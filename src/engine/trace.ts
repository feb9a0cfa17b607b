/**
 * `tandem trace <order>`: the timeline of one order across both systems — webhook deliveries, jobs with
 * their attempts and errors, every step and write, status changes — with the ids on both sides.
 */
import type { Engine } from './context.js';
import type { OrderRow } from '../store/order-repo.js';

export interface TraceEvent {
  at: string;
  source: 'webhook' | 'job' | 'audit';
  what: string;
  detail: unknown;
}

export interface OrderTrace {
  order: { shopId: string; number: string; erpId: string | null; shopStatus: string; erpState: string | null; shopTotal: string; erpTotal: string | null; currency: string } | null;
  events: TraceEvent[];
}

/** By shop id, shop number, ERP id, then ERP name (S00002: kept on the order row by the import, backfilled by migration 007). */
async function findOrder(engine: Engine, ref: string): Promise<OrderRow | undefined> {
  const { orders } = engine.store;
  return (await orders.get(ref)) ?? (await orders.findByNumber(ref))[0] ?? (await orders.findByErpId(ref)) ?? (await orders.findByErpName(ref));
}

export async function traceOrder(engine: Engine, ref: string): Promise<OrderTrace> {
  const row = await findOrder(engine, ref);
  if (!row) return { order: null, events: [] };
  const iso = (ms: number) => new Date(ms).toISOString();
  const [deliveries, jobs, audit] = await Promise.all([
    engine.store.inbox.list({ system: engine.names.shop, entity: 'order', recordId: row.shopId, limit: 1000 }),
    engine.queue.list({ key: `order:${row.shopId}`, limit: 1000 }),
    engine.store.audit.query({ entity: 'order', shopId: row.shopId, limit: 5000 }),
  ]);
  const events: TraceEvent[] = [];
  for (const d of deliveries) events.push({ at: iso(d.receivedAt), source: 'webhook', what: `delivery ${d.deliveryId}: ${d.action ?? 'event'}`, detail: { jobId: d.jobId, processedAt: d.processedAt ? iso(d.processedAt) : null } });
  for (const j of jobs) {
    events.push({ at: iso(j.createdAt), source: 'job', what: `job ${j.id} ${j.kind} enqueued (${(j.payload as { reason?: string } | null)?.reason ?? ''})`.trim(), detail: null });
    events.push({ at: iso(j.updatedAt), source: 'job', what: `job ${j.id} ${j.state} after ${j.attempts} attempt(s)`, detail: j.lastError });
  }
  for (const a of audit) events.push({ at: iso(a.at), source: 'audit', what: a.action, detail: { shopId: a.shopId, erpId: a.erpId, jobId: a.jobId, ...(a.detail && typeof a.detail === 'object' ? a.detail : { detail: a.detail }) } });
  events.sort((a, b) => a.at.localeCompare(b.at));
  return {
    order: { shopId: row.shopId, number: row.number, erpId: row.erpId, shopStatus: row.shopStatus, erpState: row.erpState, shopTotal: row.shopTotal, erpTotal: row.erpTotal, currency: row.currency },
    events,
  };
}
