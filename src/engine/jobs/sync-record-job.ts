/**
 * The `record.sync` handler: syncs the records of one job (a webhook, a record to retry, a replayed dead
 * letter) through the record pipeline, under the entity's sync lease, and completes the job in the same
 * transaction that commits the batch.
 */
import type { SourceRecord } from '../../connectors/contract.js';
import type { Job, JobContext } from '../../queue/index.js';
import { SyncError } from '../../shared/errors.js';
import type { Engine } from '../context.js';
import { directionsOf, flowOf } from '../context.js';
import { entityLock, withLock } from '../lock.js';
import { observeRun } from '../observe-run.js';
import { commitBatch } from '../records/commit-batch.js';
import { directionLabel, resolveDirection } from '../records/direction.js';
import { syncRecords } from '../records/sync-records.js';
import { RunReport } from '../report.js';
import type { RecordSyncPayload } from './kinds.js';

export async function syncRecordJob(engine: Engine, job: Job, ctx: JobContext): Promise<void> {
  const p = job.payload as unknown as RecordSyncPayload;
  await withLock(engine, entityLock(p.entity), () => syncLocked(engine, ctx, p), { wait: true });
}

async function syncLocked(engine: Engine, ctx: JobContext, p: RecordSyncPayload): Promise<void> {
  const flow = flowOf(engine, p.entity);
  if (!flow) throw new SyncError('config', `no enabled flow for ${p.entity}: enable it in tandem.yaml or discard this job`);
  if (!directionsOf(flow).some(([s]) => s === p.source)) throw new SyncError('config', `the ${p.entity} flow does not sync from ${p.source} (direction ${flow.direction})`);
  const dir = resolveDirection(engine, flow, p.source);
  let records: SourceRecord[];
  if (p.data) {
    records = p.ids.map((id) => ({ entity: p.entity, id, updatedAt: null, data: p.data as never, raw: p.raw ?? null }));
    // A dead letter's raw record may hold only the mapped fields (a feed read with `_fields`): the flow's field
    // overrides read the record whole, so they get it read again from the source (the edited data is kept).
    if (dir.overrides.size > 0) {
      const whole = new Map((await dir.from.fetch(p.entity, p.ids)).map((r) => [r.id, r.raw]));
      records = records.map((r) => (whole.has(r.id) ? { ...r, raw: whole.get(r.id) ?? null } : r));
    }
  } else {
    records = await dir.from.fetch(p.entity, p.ids);
    if (records.length === 0) throw new SyncError('not_found', `${p.entity} ${p.ids.join(', ')} no longer exists in ${dir.from.name}`, { entity: p.entity, record: p.label ?? p.ids[0], hint: 'nothing to sync: discard this dead letter' });
  }
  const report = new RunReport(p.entity, directionLabel(dir));
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
