/**
 * The handlers of the engine's job kinds (kinds.ts), timed in the metrics. Every effect goes through the
 * queue, so jobs of one key never run at the same time — including two webhooks and a poll for one order.
 */
import type { EntityType } from '../../model/entities.js';
import type { JobHandler } from '../../queue/index.js';
import type { Engine } from '../context.js';
import { syncOrder } from '../orders/sync-order.js';
import { runFlow } from '../run-flow.js';
import { verifyScheduled } from '../verify-scheduled.js';
import { FLOW_RUN, ORDER_SYNC, RECONCILE_RUN, RECORD_SYNC, type FlowRunPayload, type OrderSyncPayload } from './kinds.js';
import { syncRecordJob } from './sync-record-job.js';

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
      await runFlow(engine, (job.payload as unknown as FlowRunPayload).entity as EntityType);
    }),
    [RECORD_SYNC]: timed(RECORD_SYNC, (job, ctx) => syncRecordJob(engine, job, ctx)),
    [RECONCILE_RUN]: timed(RECONCILE_RUN, async () => void (await verifyScheduled(engine))),
    [ORDER_SYNC]: timed(ORDER_SYNC, async (job, ctx) => {
      await syncOrder(engine, (job.payload as unknown as OrderSyncPayload).shopId, { jobId: job.id, signal: ctx.signal });
    }),
  };
}
