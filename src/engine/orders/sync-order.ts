/**
 * Brings one order to the same state in both systems. It always starts from the CURRENT state of both
 * sides (never from the event that triggered it), so duplicated, reordered or late webhooks all end the
 * same way: the state is read once (read-order-state.ts), then the lifecycle's steps (lifecycle.ts) run
 * in order where they apply; each effect is a named step recorded per order, and every connector action
 * is idempotent.
 */
import type { Engine } from '../context.js';
import { withLock } from '../lock.js';
import { ORDER_LIFECYCLE } from './lifecycle.js';
import type { OrderContext } from './order-context.js';
import { readOrderState, readShipments } from './read-order-state.js';

/** Recorded steps that write to the ERP order, its deliveries or its invoices. */
export function writesErp(step: string): boolean {
  return step === 'import' || step === 'confirm' || step === 'cancel:erp' || step === 'invoice' || step === 'payment' || step.startsWith('refund:');
}

export interface OrderSyncResult {
  shopId: string;
  number: string;
  erpId: string | null;
  steps: string[];
  skipped?: string;
}

export interface OrderSyncOptions {
  jobId?: string;
  /** Do every step in this call (CLI, tests) instead of leaving invoice and payment of a new order to a follow-up job. */
  complete?: boolean;
  /**
   * The job's signal: aborted when the run may no longer be the order's only one (its lease lost, or its
   * node's heartbeat too old: others may have declared the node dead and run the order). Checked before
   * every step and right before the ERP order is created, so such a run makes no further ERP write.
   */
  signal?: AbortSignal;
}

/**
 * Run by an order job (`jobId`), the job's claim is the order's lease: every order job has the key
 * `order:<shopId>` and the queue claims a keyed job only when no other job of its key runs with a live lease
 * (on every node), renewed while it runs and aborted when it cannot be — so a `locks` row would only repeat
 * that (two statements per run). Every run in the product is a job (webhooks, polls, resync, replay all
 * enqueue). A direct call (tests, scripts) takes the `locks` lease instead, which serialises direct calls
 * with each other but not with a job: enqueue an order job to run next to a serving node.
 */
export async function syncOrder(engine: Engine, shopId: string, opts: OrderSyncOptions = {}): Promise<OrderSyncResult> {
  if (opts.jobId !== undefined) return syncOrderLocked(engine, shopId, opts);
  return withLock(engine, `order:${shopId}`, () => syncOrderLocked(engine, shopId, opts), { wait: true });
}

async function syncOrderLocked(engine: Engine, shopId: string, opts: OrderSyncOptions): Promise<OrderSyncResult> {
  const jobId = opts.jobId ?? null;
  const state = await readOrderState(engine, shopId, { jobId, completeNow: opts.complete === true });
  const ctx: OrderContext = { engine, state, jobId, ...(opts.signal && { signal: opts.signal }) };
  for (const step of ORDER_LIFECYCLE) {
    if (step.needsShipments) await readShipments(ctx);
    if (!step.appliesTo(state)) continue;
    opts.signal?.throwIfAborted();
    if ((await step.run(ctx)) === 'stop') break;
  }
  // the run wrote to the ERP: with orders.skipOwnErpWrites its own writes are not re-synced by the ERP poll
  // (poll-orders.ts); without it nothing reads the record, so the hot path does not pay its statement
  if (engine.config.orders.skipOwnErpWrites && state.ran.some(writesErp)) await engine.store.orderErpWrites.record(shopId);
  return { shopId, number: state.order.number, erpId: state.erp?.id ?? null, steps: state.ran, ...(state.skipped && { skipped: state.skipped }) };
}
