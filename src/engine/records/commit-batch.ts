/**
 * Stage 7 of the record pipeline, COMMIT: a batch's effects on the store in ONE transaction — links (and
 * relinks), the settling of the records' older dead letters, new dead letters, record jobs for the records
 * to sync again later, the cursor, and whatever the caller adds (a record job's own completion).
 */
import type { Cursor, Json } from '../../connectors/contract.js';
import type { Executor } from '../../store/index.js';
import type { Engine } from '../context.js';
import { RECORD_SYNC, deadLetterJob, recordJob, recordJobKey } from '../jobs/kinds.js';
import type { BatchMutations } from './batch.js';

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
      // one dead letter per record: a rerun that fails the same record again counts one more failure on it
      // (dead letters from before migration 006 carry no record key: those are replaced)
      const job = deadLetterJob(d);
      for (const old of await engine.queue.list({ state: 'dead', kind: job.kind, key: job.key }, tx)) if (!old.recordKey) await engine.queue.discard(old.id, tx);
      await engine.queue.bury(job, d.error, tx);
    }
    for (const r of m.retries ?? []) {
      if (m.entity && m.source) await engine.queue.enqueue({ ...recordJob(engine, m.entity, m.source, r.id), runAt: Date.now() + r.afterMs }, tx);
    }
    if (opts.cursorKey !== undefined && opts.cursor !== undefined) await engine.store.cursors.set(opts.cursorKey, opts.cursor as Json, tx);
    await opts.extra?.(tx);
  });
}
