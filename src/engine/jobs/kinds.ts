/**
 * The engine's job kinds, their payloads and the builders of their jobs: the one place that says what a
 * job of each kind looks like. A leaf: it imports no handler (the handlers are in handlers.ts), so every
 * part of the engine can enqueue a job without importing the code that runs it.
 *
 *   flow.run       run one flow (every direction, or the stock sync, or the order polls)     scheduler
 *   record.sync    sync records of one entity from one side (webhook, retry, dead letter)  intake, commit
 *   order.sync     bring one order to the same state in both systems                       intake, polls
 *   reconcile.run  the scheduled verification of both systems                              scheduler
 */
import type { Json } from '../../connectors/contract.js';
import type { EntityType } from '../../model/entities.js';
import type { SystemRole } from '../../model/system-role.js';
import type { NewJob } from '../../queue/index.js';
import type { Engine } from '../context.js';
import { flowOf } from '../context.js';
import type { DeadLetter } from '../records/batch.js';
import { jobRetryOf } from '../retry-policy.js';

export const FLOW_RUN = 'flow.run';
export const RECORD_SYNC = 'record.sync';
export const ORDER_SYNC = 'order.sync';
export const RECONCILE_RUN = 'reconcile.run';

/** Order imports first: what the customer and the warehouse wait for. */
export const ORDER_PRIORITY = 90;
/** The rest of a newly imported order (invoice, payment): after the waiting imports, before catalog work. */
export const ORDER_FOLLOW_UP_PRIORITY = 60;
const DEFAULT_PRIORITY = 50;
const RECONCILE_PRIORITY = 10;

export interface FlowRunPayload {
  entity: EntityType;
}

export interface RecordSyncPayload {
  entity: EntityType;
  source: SystemRole;
  ids: string[];
  /** Edited canonical record supplied on replay: synced instead of re-reading the source. */
  data?: Json;
  /** The record as it was when it failed, in the source's shape and mapped (for people reading it). */
  raw?: Json;
  mapped?: Json;
  label?: string;
}

export interface OrderSyncPayload {
  shopId: string;
  reason: string;
}

/** An order's job; attempts and backoff are the order flow's `errors` (like every job kind's). */
export function orderJob(engine: Engine, shopId: string, reason: string, opts: { priority?: number } = {}): NewJob {
  const flow = flowOf(engine, 'order');
  return {
    kind: ORDER_SYNC,
    key: `order:${shopId}`,
    payload: { shopId, reason } satisfies OrderSyncPayload,
    priority: opts.priority ?? ORDER_PRIORITY,
    dedupe: true,
    recordKey: recordJobKey('order', 'shop', shopId),
    ...(flow && jobRetryOf(flow)),
  };
}

export function recordJob(engine: Engine, entity: EntityType, source: SystemRole, id: string): NewJob {
  const flow = flowOf(engine, entity);
  // keyed per entity: record jobs of one entity run one after the other (and never hold several workers
  // waiting for the entity's sync lease); the inbox already dropped duplicate deliveries
  return {
    kind: RECORD_SYNC,
    key: `sync:${entity}`,
    payload: { entity, source, ids: [id] } satisfies RecordSyncPayload as unknown as Json,
    priority: flow?.priority ?? DEFAULT_PRIORITY,
    recordKey: recordJobKey(entity, source, id),
    ...(flow && jobRetryOf(flow)),
  };
}

export function flowJob(engine: Engine, entity: EntityType): Omit<NewJob, 'key' | 'dedupe'> {
  const flow = flowOf(engine, entity);
  return { kind: FLOW_RUN, payload: { entity } satisfies FlowRunPayload as unknown as Json, priority: flow?.priority ?? DEFAULT_PRIORITY, ...(flow && jobRetryOf(flow)) };
}

export function reconcileJob(): Omit<NewJob, 'key' | 'dedupe'> {
  return { kind: RECONCILE_RUN, payload: {}, priority: RECONCILE_PRIORITY };
}

/** The key of a record's dead letter, "<entity>:<side>:<id>" (one per record: a newer failure is counted on it). */
export function recordJobKey(entity: EntityType, source: SystemRole, id: string): string {
  return `${entity}:${source}:${id}`;
}

/**
 * A record's dead letter: a dead `record.sync` job with its payload and the target's message. `tandem dlq
 * replay <id>` re-runs it — by default re-reading the record from its source; with an edited payload
 * (`data`), syncing that.
 */
export function deadLetterJob(d: DeadLetter): NewJob {
  const payload: RecordSyncPayload = { entity: d.entity, source: d.source, ids: [d.sourceId], label: d.label, raw: toJson(d.raw), mapped: toJson(d.data) };
  const key = recordJobKey(d.entity, d.source, d.sourceId);
  return { kind: RECORD_SYNC, key, payload: payload as unknown as Json, maxAttempts: 1, recordKey: key };
}

function toJson(v: unknown): Json {
  if (v === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(v)) as Json;
  } catch {
    return String(v);
  }
}
