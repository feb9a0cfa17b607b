/**
 * Runs one flow direction: read from the stored cursor, sync each batch, commit links + dead letters +
 * the cursor in one transaction per batch. Initial runs start from the beginning and are resumable: an
 * interrupted initial run continues from the last committed batch.
 */
import type { Cursor, Json } from '../connectors/contract.js';
import type { EntityType } from '../model/entities.js';
import type { Executor } from '../store/index.js';
import type { Engine } from './context.js';
import { RECORD_SYNC, deadLetterJob, recordJobKey } from './dead-letters.js';
import { recordJob } from './jobs.js';
import { entityLock, withLock } from './lock.js';
import { RunReport } from './report.js';
import { syncRecords, type BatchMutations, type Direction } from './sync-records.js';
import { retryTransient, type RetryOptions } from './write-isolated.js';

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
}

export const cursorKey = (dir: Pick<Direction, 'source' | 'entity'>) => `${dir.source}:${dir.entity}`;
const initialKey = (dir: Pick<Direction, 'source' | 'entity'>) => `initial:${cursorKey(dir)}`;
export const directionLabel = (dir: Pick<Direction, 'source' | 'target'>) => `${dir.source}->${dir.target}`;

/** Writes a batch's effects on the store atomically (plus the cursor, plus whatever `extra` does). */
export async function commitBatch(engine: Engine, m: BatchMutations, opts: { cursorKey?: string; cursor?: Cursor; extra?: (tx: Executor) => Promise<void> } = {}): Promise<void> {
  await engine.store.transaction(async (tx) => {
    if (m.links.length) await engine.store.links.upsertMany(m.links, tx);
    if (m.relinks?.length) await engine.store.links.replaceMany(m.relinks, tx);
    // records that synced now no longer wait in the dead letters from an earlier failure
    const synced = [...m.links, ...(m.relinks ?? [])];
    if (synced.length && m.entity && m.source) {
      const source = m.source;
      await engine.queue.resolveDead(RECORD_SYNC, synced.map((l) => recordJobKey(m.entity!, source, source === 'shop' ? l.shopId : l.erpId)), tx);
    }
    for (const d of m.deadLetters) {
      // one dead letter per record: a rerun that fails the same record again replaces the older one
      const job = deadLetterJob(d);
      for (const old of await engine.queue.list({ state: 'dead', kind: job.kind, key: job.key }, tx)) await engine.queue.discard(old.id, tx);
      await engine.queue.bury(job, d.error, tx);
    }
    for (const r of m.retries ?? []) {
      if (m.entity && m.source) await engine.queue.enqueue({ ...recordJob(engine, m.entity, m.source, r.id), runAt: Date.now() + r.afterMs }, tx);
    }
    if (opts.cursorKey !== undefined && opts.cursor !== undefined) await engine.store.cursors.set(opts.cursorKey, opts.cursor as Json, tx);
    await opts.extra?.(tx);
  });
}

/** Counts a run's records and its duration in the metrics: flow runs, the stock sync and record jobs alike. */
export function observeRun(engine: Engine, report: RunReport, kind: string, status: string, startedMs: number): void {
  for (const [outcome, n] of Object.entries(report.counts)) if (n) engine.metrics.records.inc({ entity: report.entity, direction: report.direction, outcome }, n);
  engine.metrics.runDuration.observe({ flow: `${report.entity}:${report.direction}`, kind, status }, (performance.now() - startedMs) / 1000);
}

function retryOpts(engine: Engine, dir: Direction, signal: AbortSignal | undefined): RetryOptions {
  return {
    ...(signal && { signal }),
    onRetry: (err, delayMs, attempt) => engine.log.warn({ flow: `${dir.entity}:${directionLabel(dir)}`, attempt, delayMs, err: err.describe() }, 'transient failure, retrying'),
  };
}

export async function runDirection(engine: Engine, dir: Direction, opts: RunOptions): Promise<RunReport> {
  return withLock(engine, entityLock(dir.entity), () => runLocked(engine, dir, opts), { wait: true });
}

async function runLocked(engine: Engine, dir: Direction, opts: RunOptions): Promise<RunReport> {
  const report = new RunReport(dir.entity, directionLabel(dir));
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
  try {
    // A transient failure (rate limit, Odoo serialization failure, connection lost) is retried here, a
    // few times with backoff: a batch is synced again from scratch (every decision is re-made against the
    // links and natural keys, so nothing is written twice), a failed read resumes after the last batch.
    await retryTransient(async () => {
      for await (const batch of dir.from.read(dir.entity, cursor, { pageSize: dir.flow.batchSize, ...(opts.signal && { signal: opts.signal }) })) {
        opts.signal?.throwIfAborted();
        const { mutations, part } = await retryTransient(async () => {
          const attempt = new RunReport(dir.entity, report.direction);
          return { mutations: await syncRecords(engine, dir, batch.records, attempt, { dryRun }), part: attempt };
        }, retryOpts(engine, dir, opts.signal));
        if (!dryRun) await commitBatch(engine, mutations, { cursorKey: key, cursor: batch.cursor });
        report.merge(part);
        cursor = batch.cursor;
        opts.onProgress?.({ entity: dir.entity, direction: report.direction, done: report.counts.read, ...(batch.total !== undefined && { total: batch.total }) });
      }
    }, retryOpts(engine, dir, opts.signal));
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
