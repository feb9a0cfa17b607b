/**
 * The pipeline of a run's batches: source pages are gathered into groups of about the target's write batch
 * (write-sizing.ts, at its size when the group is cut: an adaptive size may have grown or shrunk since the
 * last group; whole pages, so a group ends where a page ends; the first group of a run may be smaller,
 * `first`, so that the target starts early), and up to `concurrency` groups are
 * synced (decided and written) at once while the source reads on. Each group is committed — links, dead
 * letters and the cursor after its last page, in ONE transaction — strictly in read order.
 *
 * Crash safety. A group commits only after every group before it committed, and carries the cursor of its
 * own last page: whenever the process dies, the stored cursor is the end of the last source page whose
 * records are ALL committed. What groups after it had written already is found by natural key when the
 * rerun reads those pages again (find-before-create), exactly as for a single batch killed between write
 * and commit.
 * Groups in flight at once share no key (record id, natural keys, a product's name: `conflictKeys`; the
 * shared lookups a target finds or creates by name, such as attribute values, it serialises itself): a group holding a key of a group in flight waits until that group is committed, so the second
 * of two records with one SKU sees the first's link or target record, as when written one after another.
 * A failed group stops the launching; the groups in flight settle (those before it commit), then the
 * failure is thrown and the caller resumes from the stored cursor.
 */
import { naturalKeyString, type Batch, type Cursor, type SourceRecord } from '../../connectors/contract.js';
import type { CanonicalByEntity, EntityType } from '../../model/entities.js';
import { naturalKeys } from './natural-keys.js';
import { writeSizeNow, type WriteSizing } from './write-sizing.js';

export interface Group {
  records: SourceRecord[];
  /** The cursor after the group's last page (undefined when the pages carried none). */
  cursor: Cursor | undefined;
  total?: number;
}

export interface PipelineSteps<R> {
  /** Decides and writes a group (remote effects; nothing committed). */
  sync(records: SourceRecord[]): Promise<R>;
  /** Commits a synced group with the cursor after its last page, in one transaction. Called in read order. */
  commit(result: R, group: Group): Promise<void>;
  /** Keys two groups in flight at once must not share (asked only when concurrency > 1). */
  keysOf(rec: SourceRecord): string[];
}

interface Running {
  keys: Set<string> | null;
  /** Resolves once the group is committed or has failed (never rejects). */
  settled: Promise<void>;
}

export async function runPipeline<R>(pages: AsyncIterable<Batch>, sizing: WriteSizing, steps: PipelineSteps<R>, signal?: AbortSignal): Promise<void> {
  const inFlight = new Set<Running>();
  let lastCommit: Promise<void> = Promise.resolve();
  const state: { failed: { error: unknown } | null } = { failed: null };

  const launch = async (group: Group): Promise<void> => {
    const keys = sizing.concurrency > 1 ? new Set(group.records.flatMap((r) => steps.keysOf(r))) : null;
    // wait for a free slot, and for every group in flight that shares a key with this one
    for (;;) {
      if (state.failed) return;
      const full = inFlight.size >= sizing.concurrency;
      const blocking = [...inFlight].filter((r) => full || (keys !== null && r.keys !== null && shares(r.keys, keys)));
      if (blocking.length === 0) break;
      await Promise.race(blocking.map((r) => r.settled));
    }
    const written = steps.sync(group.records);
    written.catch(() => undefined); // awaited below; not an unhandled rejection while an earlier group commits
    const previous = lastCommit;
    const committed = (async () => {
      const result = await written;
      await previous; // in read order; an earlier group that failed fails this one too, uncommitted
      await steps.commit(result, group);
    })();
    lastCommit = committed;
    const running: Running = { keys, settled: Promise.resolve() };
    running.settled = committed.then(
      () => {
        inFlight.delete(running);
      },
      (error: unknown) => {
        state.failed ??= { error };
        inFlight.delete(running);
      },
    );
    inFlight.add(running);
  };
  const drain = () => Promise.all([...inFlight].map((r) => r.settled));

  let group: Group = { records: [], cursor: undefined };
  let pagesInGroup = 0;
  // the first group may be smaller (write-sizing.ts `first`): the target starts while the source is read
  let launched = 0;
  const cutAt = () => (launched === 0 && sizing.first !== undefined ? Math.min(sizing.first, writeSizeNow(sizing)) : writeSizeNow(sizing));
  try {
    for await (const page of pages) {
      signal?.throwIfAborted();
      if (state.failed) break;
      for (const r of page.records) group.records.push(r);
      group.cursor = page.cursor;
      if (page.total !== undefined) group.total = page.total;
      pagesInGroup += 1;
      // the size of the moment: an adaptive write size grows and shrinks while the run goes (write-sizing.ts)
      if (group.records.length >= cutAt()) {
        // while it grows, the next group waits for the write in flight to tell the size how it went, and is
        // cut at the size of then: one write per step of the growth rather than one per write in flight
        while (sizing.adaptive?.probing && inFlight.size > 0 && !state.failed) await Promise.race([...inFlight].map((r) => r.settled));
        if (group.records.length < cutAt()) continue;
        launched += 1;
        await launch(group);
        group = { records: [], cursor: undefined };
        pagesInGroup = 0;
      }
    }
    // the last group, however small (a last empty page still carries the cursor)
    if (!state.failed && pagesInGroup > 0) await launch(group);
  } catch (e) {
    await drain();
    throw e;
  }
  await drain();
  if (state.failed) throw state.failed.error;
}

function shares(a: Set<string>, b: Set<string>): boolean {
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  for (const k of small) if (big.has(k)) return true;
  return false;
}

/**
 * What two groups in flight must not share: the record, its natural keys (SKUs, barcodes, email…), and for
 * products the name, which a target may find by name (Odoo adopts an unfinished template of the same name).
 * Attribute values are not among them: products of a catalog share them (every shirt has Size M), so
 * keying on them would write nearly every group of variable products one after another. A target that
 * finds or creates shared lookup records by name does that one call at a time itself (Odoo:
 * `OdooLookups.ensureAttributes`), which is the connector's part of the bargain.
 */
export function conflictKeys(entity: EntityType, rec: SourceRecord): string[] {
  const keys = [`id:${rec.id}`];
  if (!rec.data) return keys;
  for (const k of naturalKeys(entity, rec.data as never).flat()) keys.push(naturalKeyString(k));
  if (entity === 'product') keys.push(`name:${(rec.data as CanonicalByEntity['product']).name}`);
  return keys;
}
