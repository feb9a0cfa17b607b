/**
 * The record pipeline: one batch of one flow direction, stage by stage.
 *
 *   1. prepare   source records → overrides → validated canonical records → hash     prepare-records.ts
 *   2. read      links of the batch; natural-key matches of the unlinked ones          read-facts.ts
 *   3. match     unchanged / compare with a target / create / failed (pure)            decide-batch.ts
 *   4. read      the current target records to compare                                  read-facts.ts
 *   5. plan      in sync (link) / update (merged) / create / failed (pure)              decide-batch.ts
 *   6. write     creates and updates in batches, bad records isolated                  write-records.ts
 *   7. commit    links, dead letters, retries (+ cursor) in ONE transaction            commit-batch.ts (by the caller)
 *
 * Remote effects happen in 6; the caller commits 7. If the process dies in between, the rerun finds the
 * written records by natural key (stage 2) and links them instead of creating them twice.
 */
import type { SourceRecord } from '../../connectors/contract.js';
import type { EntityType } from '../../model/entities.js';
import type { Engine } from '../context.js';
import type { RunReport } from '../report.js';
import type { BatchMutations } from './batch.js';
import { BatchOutcomes } from './batch-outcomes.js';
import { matchBatch, planBatch } from './decide-batch.js';
import type { Direction } from './direction.js';
import { prepareRecords } from './prepare-records.js';
import { readMatchFacts, readTargetFacts } from './read-facts.js';
import { reportPlanned, writeRecords } from './write-records.js';

export interface SyncOptions {
  /** Plan only: decide everything, write nothing anywhere. */
  dryRun?: boolean;
}

export async function syncRecords<E extends EntityType>(engine: Engine, dir: Direction<E>, records: SourceRecord<E>[], report: RunReport, opts: SyncOptions = {}): Promise<BatchMutations> {
  const outcomes = new BatchOutcomes(dir, report);
  const { ready, lookup } = await prepareRecords(engine, dir, records, outcomes);
  if (ready.length === 0) return outcomes.mutations;

  const matched = matchBatch(dir, await readMatchFacts(engine, dir, ready));
  const decision = planBatch(dir, matched, await readTargetFacts(engine, dir, matched.compare, lookup));
  for (const s of decision.settled) {
    if (s.outcome === 'failed') outcomes.failed(s.p.rec, s.p.label, s.error);
    else outcomes.synced(s.outcome, s.p.rec.id, s.p.label, s.targetId, { ...(s.via && { via: s.via }), ...(s.link && !opts.dryRun && { link: s.link }) });
  }

  if (opts.dryRun) reportPlanned(decision, outcomes);
  else await writeRecords(engine, dir, decision, lookup, outcomes);
  return outcomes.mutations;
}
