/**
 * Runs one flow direction: read from the stored cursor, sync each group of pages (sync-records.ts), commit
 * links + dead letters + the cursor in one transaction per group, in read order, the next page read
 * meanwhile (read-ahead.ts) and several groups written at once where the target allows (batch-pipeline.ts).
 * Initial runs start from the beginning and are resumable: an interrupted initial run continues from the
 * last committed batch.
 */
import type { Batch, Cursor, Json, SourceRecord } from '../../connectors/contract.js';
import type { EntityType } from '../../model/entities.js';
import type { Engine } from '../context.js';
import { entityLock, withLock } from '../lock.js';
import { observeRun } from '../observe-run.js';
import { RunReport } from '../report.js';
import { waitBeforeRetry, type InProcessRetry } from '../retry-policy.js';
import type { BatchMutations } from './batch.js';
import { conflictKeys, runPipeline, type PipelineSteps } from './batch-pipeline.js';
import { commitBatch } from './commit-batch.js';
import { directionLabel, unwritableNote, type Direction } from './direction.js';
import { readAhead } from './read-ahead.js';
import { syncRecords } from './sync-records.js';
import { categoryScope } from './category-scope.js';
import { writeSizing } from './write-sizing.js';

export type RunKind = 'initial' | 'poll' | 'webhook' | 'plan' | 'replay' | 'reconcile';

export interface Progress {
  entity: EntityType;
  direction: string;
  done: number;
  total?: number;
}

export interface RunOptions {
  kind: RunKind;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /**
   * Called once the source has handed out its last page (its writes may still be running); `whole`: this run
   * read the source from its first page (a resumed initial run, or a poll, did not).
   */
  onReadDone?: (whole: boolean) => void;
  /** Sees the records of every page the source hands out (again after a retry re-reads a page). */
  onPage?: (records: SourceRecord[]) => void;
}

export const cursorKey = (dir: Pick<Direction, 'source' | 'entity'>) => `${dir.source}:${dir.entity}`;
const initialKey = (dir: Pick<Direction, 'source' | 'entity'>) => `initial:${cursorKey(dir)}`;

/** The same pages, each shown to `page`; `done` is called when the source has none left (not when the reader stops early). */
async function* observed<E extends EntityType>(source: AsyncIterable<Batch<E>>, page?: (records: SourceRecord[]) => void, done?: () => void): AsyncGenerator<Batch<E>> {
  for await (const b of source) {
    page?.(b.records as SourceRecord[]);
    yield b;
  }
  done?.();
}

export async function runDirection(engine: Engine, dir: Direction, opts: RunOptions): Promise<RunReport> {
  return withLock(engine, entityLock(dir.entity), () => runLocked(engine, dir, opts), { wait: true });
}

async function runLocked(engine: Engine, dir: Direction, opts: RunOptions): Promise<RunReport> {
  const report = new RunReport(dir.entity, directionLabel(dir));
  const unwritable = unwritableNote(dir);
  if (unwritable) report.note(unwritable);
  const dryRun = opts.kind === 'plan';
  const key = cursorKey(dir);
  let cursor = (await engine.store.cursors.get(key)) as Cursor | null;
  if (opts.kind === 'initial') {
    const marker = (await engine.store.cursors.get(initialKey(dir))) as { state?: string } | null;
    if (marker?.state !== 'running') {
      cursor = null; // a fresh initial run reads everything; a resumed one continues from the last batch
      await engine.store.transaction(async (tx) => {
        await engine.store.cursors.set(initialKey(dir), { state: 'running', startedAt: engine.now().toISOString() }, tx);
        await engine.store.cursors.set(key, null, tx);
      });
    }
  }
  const runId = dryRun ? null : await engine.store.runs.start({ flow: `${dir.entity}:${directionLabel(dir)}`, kind: opts.kind });
  const started = performance.now();
  let status = 'ok';
  const sizing = writeSizing(engine, dir);
  let failures = 0;
  const whole = cursor === null; // the first read starts at the source's first page
  const steps: PipelineSteps<{ mutations: BatchMutations; part: RunReport }> = {
    // a group is synced from scratch on every try (every decision re-made against the links and natural
    // keys, so nothing is written twice); its report counts only once it is committed
    sync: async (records) => {
      const part = new RunReport(dir.entity, report.direction);
      return { mutations: await syncRecords(engine, dir, records, part, { dryRun }), part };
    },
    commit: async ({ mutations, part }, group) => {
      if (!dryRun) await commitBatch(engine, mutations, { cursorKey: key, ...(group.cursor !== undefined && { cursor: group.cursor }) });
      report.merge(part);
      if (group.cursor !== undefined) cursor = group.cursor;
      failures = 0;
      opts.onProgress?.({ entity: dir.entity, direction: report.direction, done: report.counts.read, ...(group.total !== undefined && { total: group.total }) });
    },
    keysOf: (rec) => conflictKeys(dir.entity, rec),
  };
  const retry: InProcessRetry = {
    ...(opts.signal && { signal: opts.signal }),
    onRetry: (err, delayMs, attempt) => engine.log.warn({ flow: `${dir.entity}:${directionLabel(dir)}`, attempt, delayMs, err: err.describe() }, 'transient failure, retrying'),
  };
  try {
    // Pages are read one ahead, gathered into groups of the target's write batch, several groups written at
    // once where the target allows, committed in read order (batch-pipeline.ts). A transient failure (rate
    // limit, Odoo serialization failure, connection lost) while reading or syncing: the run resumes after
    // the last committed group (the retry policy's first layer). The tries count per group: each commit
    // starts the count again.
    for (;;) {
      try {
        // field overrides evaluate the source record as the remote sent it: whole; else the mapped fields suffice
        const fields = dir.overrides.size > 0 ? 'all' : 'mapped';
        const read = dir.from.read(dir.entity, cursor, { pageSize: dir.flow.batchSize, fields, ...(opts.signal && { signal: opts.signal }), ...categoryScope(dir.flow, dir.source) });
        const onReadDone = opts.onReadDone;
        const pages = readAhead(opts.onReadDone || opts.onPage ? observed(read, opts.onPage, onReadDone && (() => onReadDone(whole))) : read);
        await runPipeline(pages, dryRun ? { ...sizing, concurrency: 1 } : sizing, steps, opts.signal);
        break;
      } catch (e) {
        await waitBeforeRetry(e, ++failures, retry);
      }
    }
    if (opts.kind === 'initial') await engine.store.cursors.set(initialKey(dir), { state: 'done', finishedAt: engine.now().toISOString() });
    if (!dryRun) engine.metrics.flowSucceeded(`${dir.entity}:${report.direction}`);
    return report;
  } catch (e) {
    status = 'failed';
    throw e;
  } finally {
    if (!dryRun) {
      observeRun(engine, report, opts.kind, status, started);
      if (runId) await engine.store.runs.finish(runId, { status, counts: report.counts, report: report.toJSON() as unknown as Json });
    }
  }
}
