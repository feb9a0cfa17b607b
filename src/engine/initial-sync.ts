/**
 * `tandem sync --initial`: every record flow, both ways where configured, matching existing records by
 * natural key before creating anything; resumable batch by batch. Then stock, then the order feeds are
 * fast-forwarded (history is not imported: orders placed from now on are), then a reconciliation.
 */
import type { EntityType } from '../model/entities.js';
import type { Cursor, Json, SourceRecord } from '../connectors/contract.js';
import type { Engine } from './context.js';
import { directionsOf, flowOf } from './context.js';
import { resolveDirection } from './records/direction.js';
import { runDirection, type Progress, type RunKind } from './records/run-direction.js';
import type { RunReport } from './report.js';
import { syncStock } from './stock/sync-stock.js';
import { feedWatch, reconcile, startListing, type EarlyListing, type ReconcileResult } from './reconcile.js';

/** Entities in dependency order: categories before products, products before stock. */
export const SYNC_ORDER: EntityType[] = ['category', 'product', 'price', 'customer', 'stock'];

export interface SyncSummary {
  reports: RunReport[];
  reconcile?: ReconcileResult;
}

/**
 * `reconcile`: the verification after the sync. The listing of a one-way flow's source starts as soon as the
 * sync has read that source to its end, while the sync still writes the target (reconcile.ts `startListing`
 * says why that is sound); the target side is read after the sync. `onSynced`: called between the two.
 */
export async function syncAll(engine: Engine, opts: { kind: RunKind; entities?: EntityType[]; onProgress?: (p: Progress) => void; signal?: AbortSignal; reconcile?: boolean; onSynced?: () => void }): Promise<SyncSummary> {
  const reports: RunReport[] = [];
  const early = new Map<EntityType, EarlyListing>();
  const stopEarly = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stopEarly.signal]) : stopEarly.signal;
  try {
    return await syncThenVerify(engine, opts, reports, early, signal);
  } finally {
    // a sync that failed leaves its early listings unused: stop their reads
    stopEarly.abort(new Error('the sync ended'));
  }
}

async function syncThenVerify(engine: Engine, opts: Parameters<typeof syncAll>[1], reports: RunReport[], early: Map<EntityType, EarlyListing>, earlySignal: AbortSignal): Promise<SyncSummary> {
  const listEarly = opts.reconcile === true && opts.kind !== 'plan';
  for (const entity of SYNC_ORDER) {
    if (opts.entities && !opts.entities.includes(entity)) continue;
    const flow = flowOf(engine, entity);
    if (!flow) continue;
    if (entity === 'stock') {
      reports.push(await syncStock(engine, { dryRun: opts.kind === 'plan' }));
      continue;
    }
    const runOpts = { ...(opts.onProgress && { onProgress: opts.onProgress }), ...(opts.signal && { signal: opts.signal }) };
    const dirs = directionsOf(flow).map(([source]) => resolveDirection(engine, flow, source));
    const done: RunReport[] = [];
    // early only when nothing synced after this flow in this run writes to its source (stock, prices)
    const source = dirs.length === 1 ? dirs[0]!.source : undefined;
    const later = SYNC_ORDER.slice(SYNC_ORDER.indexOf(entity) + 1).filter((e) => !opts.entities || opts.entities.includes(e));
    const writesTo = (e: EntityType, role: string) => {
      const f = flowOf(engine, e);
      return f !== undefined && directionsOf(f).some(([, target]) => target === role);
    };
    const untouched = source !== undefined && !later.some((e) => writesTo(e, source));
    // an initial run that reads the whole source keeps what it read, so the verification need not read it again
    const read = listEarly && untouched && opts.kind === 'initial' ? await feedWatch(engine, entity) : undefined;
    const onReadDone = (whole: boolean) => {
      if (early.has(entity)) return;
      const listing = startListing(engine, entity, earlySignal, whole ? read : undefined);
      if (listing) early.set(entity, listing);
    };
    const onPage = read && ((records: SourceRecord[]) => read.add(records));
    for (const dir of dirs) done.push(await runDirection(engine, dir, { kind: opts.kind, ...runOpts, ...(listEarly && untouched && { onReadDone }), ...(onPage && { onPage }) }));
    // Two-way flows: what the second direction created or updated may have come out differently on its
    // target (a shop puts a new product in its default category, fills defaults): one incremental pass of
    // the first direction settles it now instead of at the next poll (so the verification finds no drift).
    // Categories created in one batch could not name parents created in the same batch (no link yet):
    // one more pass of the same direction sets those parents; only its updates are added to the report.
    if (entity === 'category' && opts.kind !== 'plan') {
      for (const [i, r] of done.entries()) if (r.counts.created > 0) r.counts.updated += (await runDirection(engine, dirs[i]!, { kind: opts.kind, ...runOpts })).counts.updated;
    }
    const [first, second] = [done[0], done[1]];
    if (opts.kind !== 'plan' && first && second && second.written > 0) first.merge(await runDirection(engine, dirs[0]!, { kind: 'poll', ...runOpts }));
    reports.push(...done);
  }
  if (opts.kind === 'initial' && flowOf(engine, 'order') && (!opts.entities || opts.entities.includes('order'))) await fastForwardOrders(engine);
  const summary: SyncSummary = { reports };
  opts.onSynced?.();
  if (opts.reconcile) summary.reconcile = await reconcile(engine, { ...(opts.entities && { entities: opts.entities }), early });
  return summary;
}

/** Moves the order cursors to "now" without importing history (only when they were never set). */
export async function fastForwardOrders(engine: Engine): Promise<void> {
  if ((await engine.store.cursors.get('shop:order')) === null) {
    let cursor: Cursor | null = null;
    for await (const batch of engine.shop.read('order', null, { pageSize: 100 })) cursor = batch.cursor;
    if (cursor !== null) await engine.store.cursors.set('shop:order', cursor as Json);
  }
  if ((await engine.store.cursors.get('erp:order')) === null) {
    let cursor: Cursor | null = null;
    for (;;) {
      const page: { orderIds: string[]; cursor: Cursor } = await engine.erp.orders.listChangedOrders(cursor, { limit: 500 });
      cursor = page.cursor;
      if (page.orderIds.length < 500) break;
    }
    if (cursor !== null) await engine.store.cursors.set('erp:order', cursor as Json);
  }
}
