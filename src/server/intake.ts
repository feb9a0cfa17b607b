/**
 * Webhook intake: body checks (strict UTF-8, JSON nesting) → verify (the verifier of the system's
 * connector module, with the system's settings) → the engine's router (which job, if any:
 * engine/jobs/route-webhook.ts) and the inbox, in one transaction, then answer. No business logic here, and
 * nothing is enqueued for a delivery that does not verify, nor for one the inbox has seen. A delivery of one
 * event: on PostgreSQL its inbox row and job in ONE statement (queue/enqueue-delivery.ts); an ignored event
 * (no job) its inbox row alone, on both stores. Otherwise (SQLite, several events) one transaction: each
 * job's insert and one inbox insert (already marked processed, with the job); a delivery seen before rolls
 * that back and is recorded as a duplicate.
 *
 * De-duplication is by the sha256 of the raw body the signature covers, never by an unsigned header (a
 * delivery id header can be changed on a captured body): a redelivery and a replay are the same bytes.
 * Inbox rows are kept `server.webhooks.dedupeWindow` (purged by the retention job).
 */
import type { Json, RawRequest } from '../connectors/contract.js';
import type { Engine } from '../engine/context.js';
import { roleOfSystem } from '../engine/context.js';
import { connectorLog } from '../connectors/module.js';
import { moduleOf } from '../connectors/registry.js';
import { jobForWebhook, routeWebhook } from '../engine/jobs/route-webhook.js';
import { checkWebhookBody, deliveryKey } from './webhook-body.js';

/** The delivery is in the inbox already: roll back what the first-delivery path did. */
class SeenBefore extends Error {}

export interface IntakeResult {
  status: number;
  body: Json;
}

export async function intakeWebhook(engine: Engine, system: string, req: RawRequest): Promise<IntakeResult> {
  const role = roleOfSystem(engine, system);
  const settings = role ? engine.config.systems[system] : undefined;
  const verify = settings ? moduleOf(settings.type).verifyWebhook : undefined;
  if (!role || !settings || !verify) {
    engine.metrics.webhooks.inc({ system, result: 'rejected_unknown_system' });
    return { status: 404, body: { error: `no system "${system}" that sends webhooks is configured` } };
  }
  const check = checkWebhookBody(req.body);
  if (!check.ok) {
    engine.metrics.webhooks.inc({ system, result: `rejected_${check.status}` });
    engine.log.warn({ system, status: check.status, reason: check.reason, bytes: req.body.length }, 'webhook rejected');
    return { status: check.status, body: { error: check.reason } };
  }
  const verdict = verify(settings, req, connectorLog(engine.log, system, settings.type));
  if (!verdict.ok) {
    engine.metrics.webhooks.inc({ system, result: `rejected_${verdict.status}` });
    engine.log.warn({ system, status: verdict.status, reason: verdict.reason, deliveryId: verdict.deliveryId }, 'webhook rejected');
    return { status: verdict.status, body: { error: verdict.reason } };
  }
  if (verdict.ping) {
    engine.metrics.webhooks.inc({ system, result: 'ping' });
    return { status: 200, body: { ok: true, ping: true } };
  }
  const key = deliveryKey(req.body);
  const events = verdict.events.map((ev, i) => ({
    ev,
    input: { system, deliveryId: verdict.events.length > 1 ? `${key}#${i}` : key, entity: ev.entity, recordId: ev.id, action: ev.action, payload: (ev.payload ?? null) as Json, receivedAt: req.receivedAt.getTime() },
  }));
  let accepted = 0;
  let duplicates = 0;
  let ignored = 0;
  const single = events.length === 1 ? events[0] : undefined;
  const singleJob = single && jobForWebhook(engine, role, single.ev);
  if (single && !singleJob) {
    // ignored: its inbox row alone, one statement (a delivery seen before inserts nothing)
    const { inserted } = await engine.store.inbox.record({ ...single.input, processed: { jobId: null } });
    if (inserted) ignored = 1;
    else duplicates = 1;
  } else if (single && singleJob && engine.store.dialect === 'postgres') {
    // PostgreSQL: inbox row and job in ONE statement (queue/enqueue-delivery.ts), no transaction round trips
    const { inserted } = await engine.queue.enqueueDelivery(singleJob, engine.store.inbox.columns(single.input));
    if (inserted) accepted = 1;
    else duplicates = 1;
  } else {
    try {
      // a first delivery (nearly all): its job, then its inbox row already processed — one statement each;
      // a delivery seen before rolls it all back (its inbox row is there: the unique key) and is sorted below
      await engine.store.transaction(async (tx) => {
        for (const { ev, input } of events) {
          const job = jobForWebhook(engine, role, ev);
          const jobId = job ? await engine.queue.enqueue(job, tx) : null;
          const { inserted } = await engine.store.inbox.record({ ...input, processed: { jobId } }, tx);
          if (!inserted) throw new SeenBefore();
          if (jobId) accepted += 1;
          else ignored += 1;
        }
      });
    } catch (e) {
      if (!(e instanceof SeenBefore)) throw e;
      // inbox first: each event seen before is a duplicate and enqueues nothing
      [accepted, duplicates, ignored] = [0, 0, 0];
      await engine.store.transaction(async (tx) => {
        for (const { ev, input } of events) {
          const { inserted, id } = await engine.store.inbox.record(input, tx);
          if (!inserted) {
            duplicates += 1;
            continue;
          }
          const jobId = await routeWebhook(engine, role, ev, tx);
          if (jobId) accepted += 1;
          else ignored += 1;
          await engine.store.inbox.markProcessed(id, jobId, tx);
        }
      });
    }
  }
  if (accepted) engine.queue.notify();
  engine.metrics.webhooks.inc({ system, result: 'accepted' }, accepted);
  if (duplicates) engine.metrics.webhooks.inc({ system, result: 'duplicate' }, duplicates);
  if (ignored) engine.metrics.webhooks.inc({ system, result: 'ignored' }, ignored);
  return { status: 200, body: { ok: true, accepted, duplicates, ignored } };
}
