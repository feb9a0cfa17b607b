/**
 * Stage 5 of the record pipeline, WRITE: the planned creates and updates go to the target in batches (bad
 * records isolated, write-batches.ts), and each write result becomes the record's outcome and link.
 */
import type { IdLookup, WriteOp, WriteResult } from '../../connectors/contract.js';
import type { CanonicalByEntity, EntityType } from '../../model/entities.js';
import { SyncError } from '../../shared/errors.js';
import type { Engine } from '../context.js';
import { customerLock, withLocks } from '../lock.js';
import { retryDelayOfRecord } from '../retry-policy.js';
import { KEYED, type Prepared } from './batch.js';
import type { BatchOutcomes } from './batch-outcomes.js';
import { linkRow, type BatchDecision, type DecisionDirection } from './decide-batch.js';
import type { Direction } from './direction.js';
import { writeBatches } from './write-batches.js';
import { writeSizing } from './write-sizing.js';

export async function writeRecords<E extends EntityType>(engine: Engine, dir: Direction<E>, decision: BatchDecision<E>, lookup: IdLookup, outcomes: BatchOutcomes): Promise<void> {
  const createOps: WriteOp<E>[] = decision.creates.map((c) => ({ kind: 'create', key: c.p.rec.id, record: c.p.data }));
  const sizing = writeSizing(engine, dir);
  const batchSize = sizing.adaptive ?? sizing.batchSize;
  const writeCreates = () => writeBatches(dir.to, dir.entity, createOps, { lookup }, batchSize);
  const [createResults, updateResults] = await Promise.all([
    // an order import may be creating the same customer right now: both create under the email's lease,
    // and the connector's own find-before-create then sees the other's record
    dir.entity === 'customer' && createOps.length
      ? withLocks(engine, createOps.map((o) => customerLock((o.record as CanonicalByEntity['customer']).email)), writeCreates, { wait: true })
      : writeCreates(),
    writeBatches(dir.to, dir.entity, decision.updates.map((u) => u.op), { lookup }, batchSize),
  ]);
  decision.creates.forEach((c, i) => record(outcomes, dir, c.p, judgeWrite(dir, c.p, createResults[i]), 'created', c));
  decision.updates.forEach((u, i) => record(outcomes, dir, u.p, judgeWrite(dir, u.p, updateResults[i]), 'updated', u));
}

/** What a write result means for the record (pure). */
export type WriteVerdict =
  | { kind: 'written'; targetId: string; childIds: Record<string, string> }
  /** a keyed record (price) whose SKU the target does not sell */
  | { kind: 'not-sold'; reason: string }
  /** a transient failure of this record alone: retried by a record job, not buried as a dead letter */
  | { kind: 'retry-later'; reason: string; afterMs: number; error: SyncError }
  | { kind: 'failed'; error: SyncError };

export function judgeWrite<E extends EntityType>(dir: Pick<DecisionDirection<E>, 'entity' | 'to'>, p: Prepared<E>, r: WriteResult | undefined): WriteVerdict {
  if (!r) return { kind: 'failed', error: new SyncError('invalid_data', 'no write result returned', { entity: dir.entity, record: p.label }) };
  if (r.ok) return { kind: 'written', targetId: r.id, childIds: r.childIds ?? {} };
  if (r.error.kind === 'not_found' && KEYED.has(dir.entity)) return { kind: 'not-sold', reason: `${p.label} is not sold in ${dir.to.name}: ${r.error.message}` };
  if (r.error.retryable) return { kind: 'retry-later', reason: `${r.error.describe()}; retried later`, afterMs: retryDelayOfRecord(r.error), error: r.error };
  return { kind: 'failed', error: r.error.about({ entity: dir.entity, record: p.label }) };
}

function record<E extends EntityType>(outcomes: BatchOutcomes, dir: Direction<E>, p: Prepared<E>, v: WriteVerdict, outcome: 'created' | 'updated', planned: { via?: string; targetHash: string | null; relink?: boolean }): void {
  if (v.kind === 'failed') outcomes.failed(p.rec, p.label, v.error);
  else if (v.kind === 'not-sold') outcomes.skipped(p.rec.id, p.label, v.reason);
  else if (v.kind === 'retry-later') outcomes.retryLater(p.rec.id, p.label, v.reason, v.afterMs, v.error);
  else outcomes.synced(outcome, p.rec.id, p.label, v.targetId, { ...(planned.via && { via: planned.via }), link: linkRow(dir, p, v.targetId, planned.targetHash, v.childIds), relink: planned.relink === true });
}

/** A plan (dry run): what the writes would do, reported, nothing written. */
export function reportPlanned<E extends EntityType>(decision: BatchDecision<E>, outcomes: BatchOutcomes): void {
  for (const u of decision.updates) outcomes.synced('updated', u.p.rec.id, u.p.label, u.op.targetId ?? '', u.via ? { via: u.via } : {});
  for (const c of decision.creates) outcomes.report.add({ outcome: 'created', id: c.p.rec.id, label: c.p.label });
}
