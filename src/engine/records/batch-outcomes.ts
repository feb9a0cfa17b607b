/**
 * The outcome of every record of a batch, recorded twice: in the run report (what people read) and in the
 * batch's store mutations (links, dead letters, records to sync again later).
 */
import type { SourceRecord } from '../../connectors/contract.js';
import type { EntityType } from '../../model/entities.js';
import type { SyncError } from '../../shared/errors.js';
import type { LinkRow } from '../../store/index.js';
import type { RunReport } from '../report.js';
import type { BatchMutations } from './batch.js';
import type { Direction } from './direction.js';

export class BatchOutcomes {
  readonly mutations: BatchMutations;

  constructor(
    private readonly dir: Pick<Direction, 'entity' | 'source'>,
    readonly report: RunReport,
  ) {
    this.mutations = { links: [], deadLetters: [], entity: dir.entity, source: dir.source };
  }

  read(): void {
    this.report.counts.read += 1;
  }

  /** Refused or unmappable: reported, and a dead letter with the record's payload. */
  failed(rec: SourceRecord<EntityType>, label: string, error: SyncError): void {
    this.report.add({ outcome: 'failed', id: rec.id, label, reason: error.describe() });
    this.mutations.deadLetters.push({ entity: this.dir.entity, source: this.dir.source, sourceId: rec.id, label, raw: rec.raw, data: rec.data ?? null, error });
  }

  skipped(id: string, label: string | undefined, reason: string): void {
    this.report.add({ outcome: 'skipped', id, ...(label !== undefined && { label }), reason });
  }

  /** Skipped now, synced again by a record job after `afterMs`. */
  retryLater(id: string, label: string, reason: string, afterMs: number, error?: SyncError): void {
    this.skipped(id, label, reason);
    (this.mutations.retries ??= []).push({ id, afterMs, ...(error && { error }) });
  }

  /** In sync (unchanged, linked, created, updated); `link` is stored, `relink` replaces a stale link. */
  synced(outcome: 'unchanged' | 'linked' | 'created' | 'updated', id: string, label: string, targetId: string, opts: { via?: string; link?: LinkRow; relink?: boolean } = {}): void {
    this.report.add({ outcome, id, label, targetId, ...(opts.via && { reason: `matched by ${opts.via}` }) });
    if (opts.link) (opts.relink ? (this.mutations.relinks ??= []) : this.mutations.links).push(opts.link);
  }
}
