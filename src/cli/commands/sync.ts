/** `tandem sync`: one pass of every flow (or the given entities), then exit. */
import type { Command } from 'commander';
import { act, type CliContext, type Session } from '../context.js';
import { ENTITY_TYPES, type EntityType } from '../../model/entities.js';
import { UsageError } from '../../shared/errors.js';
import { closest } from '../../config/suggest.js';
import { syncAll } from '../../engine/initial-sync.js';
import { pollOrders } from '../../engine/orders/poll-orders.js';
import { flowOf } from '../../engine/context.js';
import { startRuntime } from '../../engine/runtime.js';
import { withEngine } from '../engine.js';
import { cliActor } from '../../server/auth/principal.js';
import { progressPrinter } from '../progress.js';
import { orderOutcomes, ordersBefore } from '../order-outcomes.js';
import { printReconcile, printReports } from '../summary.js';

export interface SyncOptions {
  entities: string[];
  full?: boolean;
  initial?: boolean;
  json?: boolean;
}

export function register(program: Command, session: Session): void {
  program
    .command('sync')
    .description('run each flow once: pull changed records, map, skip unchanged, write them to the other side')
    .argument('[entities...]', 'entities to sync (default: every enabled flow), e.g. product order')
    .option('--initial', 'initial sync: read everything both ways, match existing records by natural key (SKU, barcode, email) instead of duplicating them, then reconcile; resumable')
    .option('--full', 'same as --initial')
    .option('--json', 'print the run summary as JSON')
    .action(act(session, (opts: Omit<SyncOptions, 'entities'>, ctx, args) => action({ ...opts, entities: (args[0] as string[]) ?? [] }, ctx)));
}

export function parseEntities(list: string[]): EntityType[] | undefined {
  if (list.length === 0) return undefined;
  for (const e of list) {
    if ((ENTITY_TYPES as readonly string[]).includes(e)) continue;
    const guess = closest(e, ENTITY_TYPES);
    throw new UsageError(`unknown entity "${e}"${guess ? `: did you mean ${guess}?` : ''} (one of ${ENTITY_TYPES.join(', ')})`);
  }
  return list as EntityType[];
}

export async function action(opts: SyncOptions, ctx: CliContext): Promise<number> {
  const entities = parseEntities(opts.entities);
  const initial = Boolean(opts.initial || opts.full);
  return withEngine(ctx, async (engine) => {
    await engine.store.audit.record({ entity: entities?.join(',') ?? 'all', action: 'sync:manual', actor: cliActor(), detail: { entities: entities ?? null, kind: initial ? 'initial' : 'poll' } });
    const progress = progressPrinter(ctx.progress);
    const summary = await syncAll(engine, { kind: initial ? 'initial' : 'poll', ...(entities && { entities }), onProgress: (p) => progress.update(p), reconcile: initial });
    progress.done();
    // Orders (and anything queued by webhooks or replays) run as keyed jobs: poll, then work the queue dry,
    // then say what each queued order became (the poll itself only queues).
    const polled = flowOf(engine, 'order') && (!entities || entities.includes('order')) && !initial ? await pollOrders(engine) : undefined;
    const before = polled ? await ordersBefore(engine, polled.queued) : undefined;
    // job failures are listed in the summary below, once; the worker's own log lines only with --verbose
    const runtime = startRuntime(engine, { schedules: false, ...(!ctx.verbose && { workerLog: engine.log.child({}, { level: 'silent' }) }) });
    await runtime.worker.drain();
    await runtime.stop();
    if (before) summary.reports.push(await orderOutcomes(engine, before));
    const counts = await engine.queue.counts();
    if (ctx.json) {
      ctx.out(JSON.stringify({ reports: summary.reports.map((r) => r.toJSON()), reconcile: summary.reconcile ?? null, jobs: counts }, null, 2));
    } else {
      printReports(ctx, summary.reports);
      if (counts.dead) ctx.out(`\n${counts.dead} dead letter(s) waiting: tandem dlq list`);
      if (summary.reconcile) {
        ctx.out('\nverification:');
        printReconcile(ctx, summary.reconcile);
      }
    }
    const failed = summary.reports.some((r) => r.counts.failed > 0) || (summary.reconcile?.differences.length ?? 0) > 0;
    return failed ? 1 : 0;
  });
}
