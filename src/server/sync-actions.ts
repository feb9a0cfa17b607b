/**
 * Syncs and repairs started by a person (dashboard, API): a flow run now (the same job the scheduler
 * enqueues, so a queued scheduled run and a manual one are one job), and a reconcile — with `fix`, the
 * drift is repaired through the normal write path. Each is audited with its actor.
 */
import type { Json } from '../connectors/contract.js';
import type { Engine } from '../engine/context.js';
import { flowOf } from '../engine/context.js';
import { flowJob } from '../engine/jobs/kinds.js';
import { entityLock, withLock } from '../engine/lock.js';
import { reconcile, type ReconcileResult } from '../engine/reconcile.js';
import { ENTITY_TYPES, type EntityType } from '../model/entities.js';
import { scheduleKey } from '../queue/index.js';
import { SyncError } from '../shared/errors.js';

export function parseEntity(value: unknown): EntityType {
  if (typeof value !== 'string' || !(ENTITY_TYPES as readonly string[]).includes(value)) {
    throw new SyncError('invalid_data', `"entity" must be one of ${ENTITY_TYPES.join(', ')}`, { field: 'entity' });
  }
  return value as EntityType;
}

/** Enqueues a run of the entity's flow; returns the job id. */
export async function triggerSync(engine: Engine, entity: EntityType, actor: string): Promise<string> {
  if (!flowOf(engine, entity)) throw new SyncError('invalid_data', `no enabled flow for ${entity} in tandem.yaml`, { field: 'entity' });
  const jobId = await engine.store.transaction(async (tx) => {
    const id = await engine.queue.enqueue({ ...flowJob(engine, entity), key: scheduleKey(`flow:${entity}`), dedupe: true }, tx);
    await engine.store.audit.record({ entity, action: 'sync:manual', jobId: id, actor, detail: { entity } }, tx);
    return id;
  });
  engine.queue.notify();
  return jobId;
}

/**
 * Starts a reconcile of the given entities (default: every enabled record flow) in the background,
 * entity by entity under the entity's sync lease; returns the run id and the promise of its end.
 */
export async function startReconcile(engine: Engine, opts: { entities?: EntityType[]; fix: boolean; actor: string }): Promise<{ runId: string; done: Promise<void> }> {
  const entities = opts.entities ?? [...new Set(engine.config.flows.filter((f) => f.enabled && f.entity !== 'order').map((f) => f.entity))];
  for (const e of entities) if (!flowOf(engine, e)) throw new SyncError('invalid_data', `no enabled flow for ${e} in tandem.yaml`, { field: 'entities' });
  const runId = await engine.store.runs.start({ flow: 'reconcile', kind: opts.fix ? 'fix' : 'reconcile' });
  await engine.store.audit.record({ entity: entities.join(',') || 'all', action: opts.fix ? 'reconcile:fix' : 'reconcile:check', actor: opts.actor, detail: { entities, runId } });
  const done = (async () => {
    const result: ReconcileResult = { entities: [], differences: [] };
    let status = 'failed';
    try {
      for (const [i, entity] of entities.entries()) {
        await engine.store.runs.progress(runId, { entities: entities.length, entitiesDone: i, differences: result.differences.length });
        const r = await withLock(engine, entityLock(entity), () => reconcile(engine, { entities: [entity], fix: opts.fix }), { wait: true });
        result.entities.push(...r.entities);
        result.differences.push(...r.differences);
      }
      status = result.differences.length ? 'differences' : 'ok';
    } catch (e) {
      engine.log.error({ err: e instanceof Error ? e.message : String(e), runId }, 'reconcile started from the API failed');
    } finally {
      await engine.store.runs.finish(runId, { status, counts: { differences: result.differences.length }, report: JSON.parse(JSON.stringify(result)) as Json });
    }
  })();
  return { runId, done };
}
