/**
 * What people do to dead letters — replay (optionally with an edited payload) and discard — each with
 * its audit row (who, when, which record, the payload before and after) written in the same transaction
 * as the change. Used by the REST API and by `tandem dlq`.
 */
import type { Json } from '../connectors/contract.js';
import type { Engine } from '../engine/context.js';
import type { Job } from '../queue/index.js';
import { SyncError } from '../shared/errors.js';
import type { AuditInput } from '../store/index.js';

/** The record a job is about, for the audit row (so `tandem trace <order>` shows it too). */
export function auditSubject(job: Job): Pick<AuditInput, 'entity' | 'shopId' | 'erpId'> {
  const p = (job.payload ?? {}) as { entity?: string; source?: string; ids?: string[]; shopId?: string };
  if (typeof p.shopId === 'string') return { entity: 'order', shopId: p.shopId };
  const entity = typeof p.entity === 'string' ? p.entity : job.kind.startsWith('order') ? 'order' : job.kind;
  const id = Array.isArray(p.ids) && p.ids.length === 1 ? String(p.ids[0]) : null;
  return { entity, ...(id && p.source === 'shop' && { shopId: id }), ...(id && p.source === 'erp' && { erpId: id }) };
}

export async function replayDeadLetter(engine: Engine, id: string, opts: { actor: string; payload?: Json }): Promise<void> {
  await engine.store.transaction(async (tx) => {
    const job = await engine.queue.get(id, tx);
    if (!job) throw new SyncError('not_found', `job ${id} does not exist`, { record: id });
    await engine.queue.replay(id, opts.payload === undefined ? {} : { payload: opts.payload }, tx);
    const edited = opts.payload !== undefined;
    await engine.store.audit.record(
      {
        ...auditSubject(job),
        action: edited ? 'dlq:edit-replay' : 'dlq:replay',
        jobId: id,
        actor: opts.actor,
        detail: { kind: job.kind, key: job.key, error: job.lastError?.message ?? null, ...(edited && { before: job.payload, after: opts.payload! }) },
      },
      tx,
    );
  });
  engine.queue.notify();
}

export async function discardDeadLetter(engine: Engine, id: string, opts: { actor: string; reason?: string }): Promise<void> {
  await engine.store.transaction(async (tx) => {
    const job = await engine.queue.get(id, tx);
    if (!job) throw new SyncError('not_found', `job ${id} does not exist`, { record: id });
    await engine.queue.discard(id, tx);
    await engine.store.audit.record(
      { ...auditSubject(job), action: 'dlq:discard', jobId: id, actor: opts.actor, detail: { kind: job.kind, key: job.key, state: job.state, reason: opts.reason ?? null, error: job.lastError?.message ?? null, before: job.payload } },
      tx,
    );
  });
}
