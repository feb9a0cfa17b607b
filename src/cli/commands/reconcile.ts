/** `tandem reconcile`: compare both systems record by record and report (or repair) drift. */
import type { Command } from 'commander';
import { act, type CliContext, type Session } from '../context.js';
import { reconcile } from '../../engine/reconcile.js';
import { withEngine } from '../engine.js';
import { cliActor } from '../../server/auth/principal.js';
import { printReconcile } from '../summary.js';
import { parseEntities } from './sync.js';

export interface ReconcileOptions {
  entities: string[];
  fix?: boolean;
  json?: boolean;
}

export function register(program: Command, session: Session): void {
  program
    .command('reconcile')
    .description('compare both systems record by record (missing, unlinked, different) and report the drift')
    .argument('[entities...]', 'entities to reconcile (default: every enabled flow)')
    .option('--fix', 'repair the drift through the normal write path (the owning side wins), then check again')
    .option('--json', 'print the report as JSON')
    .action(act(session, (opts: Omit<ReconcileOptions, 'entities'>, ctx, args) => action({ ...opts, entities: (args[0] as string[]) ?? [] }, ctx)));
}

export async function action(opts: ReconcileOptions, ctx: CliContext): Promise<number> {
  const entities = parseEntities(opts.entities);
  return withEngine(ctx, async (engine) => {
    const result = await reconcile(engine, { ...(entities && { entities }), fix: Boolean(opts.fix) });
    // a repair writes to both systems: who ran it, and what it changed
    if (opts.fix) await engine.store.audit.record({ entity: entities?.join(',') ?? 'all', action: 'reconcile:fix', actor: cliActor(), detail: { entities: entities ?? null, remaining: result.differences.length } });
    if (ctx.json) ctx.out(JSON.stringify(result, null, 2));
    else printReconcile(ctx, result);
    return result.differences.length > 0 ? 1 : 0;
  });
}
