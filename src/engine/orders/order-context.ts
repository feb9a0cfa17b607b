/**
 * What a lifecycle step works with: the engine, the order's shared state, and the two ways a step leaves
 * a trace — `once` (a named effect done at most once per order, recorded with an audit entry in one
 * transaction) and `audit`.
 */
import type { Json } from '../../connectors/contract.js';
import type { AuditInput, Executor } from '../../store/index.js';
import type { Engine } from '../context.js';
import { isDone, type OrderState } from './order-state.js';

export interface OrderContext {
  readonly engine: Engine;
  readonly state: OrderState;
  readonly jobId: string | null;
  /** Aborted when this run must make no more writes (sync-order.ts OrderSyncOptions.signal). */
  readonly signal?: AbortSignal;
}

/** One step of the order lifecycle (lifecycle.ts lists them in order). */
export interface LifecycleStep {
  /** The name it is recorded under (per-item steps: `<name>:<item id>`, e.g. `ship:17`). */
  readonly name: string;
  /** Reads the order's deliveries and returns (once per run) before deciding. */
  readonly needsShipments?: boolean;
  /** Whether there is work for it in this state (pure). */
  appliesTo(state: OrderState): boolean;
  /** Does the work; 'stop' ends the run here. */
  run(ctx: OrderContext): Promise<void | 'stop'>;
}

export async function audit(ctx: OrderContext, action: string, detail: Json, erpId: string | null, tx?: Executor): Promise<void> {
  const { engine, state } = ctx;
  await engine.store.audit.record({ entity: 'order', shopId: state.shopId, erpId, orderNumber: state.order.number, action, jobId: ctx.jobId, detail }, tx);
}

export function stepAudit(ctx: OrderContext, name: string, detail: Json, erpId: string | null): AuditInput {
  return { entity: 'order', shopId: ctx.state.shopId, erpId, orderNumber: ctx.state.order.number, action: `step:${name}`, jobId: ctx.jobId, detail };
}

/** Runs `effect` unless `name` is recorded as done; records its result. */
export async function once(ctx: OrderContext, name: string, effect: () => Promise<Json>): Promise<void> {
  const { state } = ctx;
  if (isDone(state, name)) return;
  const erpId = state.erp?.id ?? null;
  const result = await effect();
  // step and audit in one statement on PostgreSQL (one round trip instead of four), one transaction on SQLite
  await ctx.engine.store.orders.recordStepAudited(state.shopId, name, result, stepAudit(ctx, name, result, erpId));
  markDone(state, name, result);
}

export function markDone(state: OrderState, name: string, result: Json): void {
  state.done.set(name, { step: name, state: 'done', result, at: Date.now() });
  state.ran.push(name);
}
