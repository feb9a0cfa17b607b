/**
 * Webhook → job: what a verified, first-seen webhook event makes the engine do. A shop order becomes an
 * `order.sync` job; a record of a flow that takes webhooks from that side becomes a `record.sync` job;
 * everything else (flow off, webhooks off, the side the flow only writes to, deletions) is ignored.
 */
import type { WebhookEvent } from '../../connectors/contract.js';
import type { SystemRole } from '../../model/system-role.js';
import type { NewJob } from '../../queue/index.js';
import type { Executor } from '../../store/index.js';
import type { Engine } from '../context.js';
import { flowOf } from '../context.js';
import { orderJob, recordJob } from './kinds.js';

/** The job an event becomes, or null when it is ignored. */
export function jobForWebhook(engine: Engine, side: SystemRole, ev: Pick<WebhookEvent, 'entity' | 'id' | 'action'>): NewJob | null {
  const flow = flowOf(engine, ev.entity);
  if (ev.entity === 'order' && side === 'shop' && flow) return orderJob(engine, ev.id, `webhook:${ev.action}`);
  const writesOnly = side === 'shop' ? 'erp->shop' : 'shop->erp';
  if (flow?.webhooks && flow.direction !== writesOnly && ev.action !== 'deleted') return recordJob(engine, ev.entity, side, ev.id);
  return null;
}

/** Enqueues the event's job in the intake's transaction; the job id, or null when the event is ignored. */
export async function routeWebhook(engine: Engine, side: SystemRole, ev: Pick<WebhookEvent, 'entity' | 'id' | 'action'>, tx: Executor): Promise<string | null> {
  const job = jobForWebhook(engine, side, ev);
  return job ? engine.queue.enqueue(job, tx) : null;
}
