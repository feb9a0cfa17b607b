/**
 * The job kinds of the engine and their handlers. Every effect goes through the queue, so jobs of one
 * record (key) never run at the same time — including two webhooks and a poll for the same order.
 */
import type { Json, SourceRecord } from '../connectors/contract.js';
import type { EntityType } from '../model/entities.js';
import type { Job, JobContext, JobHandler, NewJob } from '../queue/index.js';
import { SyncError } from '../shared/errors.js';
import type { Engine } from './context.js';
import { directionsOf, flowOf } from './context.js';
import { RECORD_SYNC, type RecordSyncPayload } from './dead-letters.js';
import { entityLock, withLock } from './lock.js';
import { commitBatch, observeRun, runDirection } from './run-flow.js';
import { RunReport } from './report.js';
import { resolveDirection, syncRecords } from './sync-records.js';
import { syncOrder } from './orders/sync-order.js';
import { pollOrders } from './orders/poll-orders.js';
import { syncStock } from './stock/sync-stock.js';
import type { Side } from './ownership.js';
import { parseInterval } from '../config/duration.js';
import { RECONCILE_RUN, verifyScheduled } from './verify-scheduled.js';

export const FLOW_RUN = 'flow.run';
export const ORDER_SYNC = 'order.sync';

export const ORDER_PRIORITY = 90;
/** The rest of a newly imported order (invoice, payment): after the waiting imports, before catalog work. */
export const ORDER_FOLLOW_UP_PRIORITY = 60;

export function orderJob(shopId: string, reason: string, opts: { priority?: number } = {}): NewJob {
  return { kind: ORDER_SYNC, key: `order:${shopId}`, payload: { shopId, reason }, priority: opts.priority ?? ORDER_PRIORITY, dedupe: true };
}

export function recordJob(engine: Engine, entity: EntityType, source: Side, id: string): NewJob {
  const flow = flowOf(engine, entity);
  // keyed per entity: record jobs of one entity run one after the other (and never hold several workers
  // waiting for the entity's sync lease); the inbox already dropped duplicate deliveries
  return {
    kind: RECORD_SYNC,
    key: `sync:${entity}`,
    payload: { entity, source, ids: [id] } satisfies RecordSyncPayload as unknown as Json,
    priority: flow?.priority ?? 50,
    ...(flow && { maxAttempts: flow.errors.maxAttempts, backoff: backoffOf(flow) }),
  };
}

export function flowJob(engine: Engine, entity: EntityType): Omit<NewJob, 'key' | 'dedupe'> {
  const flow = flowOf(engine, entity);
  return { kind: FLOW_RUN, payload: { entity }, priority: flow?.priority ?? 50, ...(flow && { maxAttempts: flow.errors.maxAttempts, backoff: backoffOf(flow) }) };
}

function backoffOf(flow: NonNullable<ReturnType<typeof flowOf>>) {
  const b = flow.errors.backoff;
  return { initialMs: parseInterval(b.initial) ?? 5000, maxMs: parseInterval(b.max) ?? 3_600_000, factor: b.factor };
}

/** Runs one flow: every direction of a record flow, the stock sync, or the order polls. */
export async function runFlow(engine: Engine, entity: EntityType, kind: 'poll' | 'initial' = 'poll'): Promise<RunReport[]> {
  const flow = flowOf(engine, entity);
  if (!flow) throw new SyncError('config', `no enabled flow for ${entity} in tandem.yaml`);
  if (entity === 'stock') return [await syncStock(engine)];
  if (entity === 'order') return [await pollOrders(engine)];
  const reports: RunReport[] = [];
  for (const [source] of directionsOf(flow)) reports.push(await runDirection(engine, resolveDirection(engine, flow, source), { kind }));
  return reports;
}

async function handleRecordSync(engine: Engine, job: Job, ctx: JobContext): Promise<void> {
  const p = job.payload as unknown as RecordSyncPayload;
  await withLock(engine, entityLock(p.entity), () => syncOneRecord(engine, job, ctx, p), { wait: true });
}

async function syncOneRecord(engine: Engine, job: Job, ctx: JobContext, p: RecordSyncPayload): Promise<void> {
  const flow = flowOf(engine, p.entity);
  if (!flow) throw new SyncError('config', `no enabled flow for ${p.entity}: enable it in tandem.yaml or discard this job`);
  if (!directionsOf(flow).some(([s]) => s === p.source)) throw new SyncError('config', `the ${p.entity} flow does not sync from ${p.source} (direction ${flow.direction})`);
  const dir = resolveDirection(engine, flow, p.source);
  let records: SourceRecord[];
  if (p.data) {
    records = p.ids.map((id) => ({ entity: p.entity, id, updatedAt: null, data: p.data as never, raw: p.raw ?? null }));
  } else {
    records = await dir.from.fetch(p.entity, p.ids);
    if (records.length === 0) throw new SyncError('not_found', `${p.entity} ${p.ids.join(', ')} no longer exists in ${dir.from.name}`, { entity: p.entity, record: p.label ?? p.ids[0], hint: 'nothing to sync: discard this dead letter' });
  }
  const report = new RunReport(p.entity, `${p.source}->${dir.target}`);
  const started = performance.now();
  const m = await syncRecords(engine, dir, records, report);
  const own = m.deadLetters.find((d) => p.ids.includes(d.sourceId));
  if (own && p.ids.length === 1) throw own.error; // this job IS the record's dead letter: let the queue retry or bury it
  // a transient failure of this job's one record: the queue's backoff and attempt limit apply (no new job)
  const again = m.retries?.find((r) => p.ids.includes(r.id) && r.error);
  if (again?.error && p.ids.length === 1) throw again.error;
  await commitBatch(engine, m, { extra: async (tx) => void (await ctx.complete(tx)) });
  observeRun(engine, report, 'record', 'ok', started);
}

export function engineHandlers(engine: Engine): Record<string, JobHandler> {
  const timed = (kind: string, fn: JobHandler): JobHandler => async (job, ctx) => {
    const end = engine.metrics.jobDuration.startTimer({ kind });
    try {
      await fn(job, ctx);
      end({ result: 'ok' });
    } catch (e) {
      end({ result: 'error' });
      throw e;
    }
  };
  return {
    [FLOW_RUN]: timed(FLOW_RUN, async (job) => {
      await runFlow(engine, (job.payload as { entity: EntityType }).entity);
    }),
    [RECORD_SYNC]: timed(RECORD_SYNC, (job, ctx) => handleRecordSync(engine, job, ctx)),
    [RECONCILE_RUN]: timed(RECONCILE_RUN, async () => void (await verifyScheduled(engine))),
    [ORDER_SYNC]: timed(ORDER_SYNC, async (job) => {
      await syncOrder(engine, (job.payload as { shopId: string }).shopId, { jobId: job.id });
    }),
  };
}
