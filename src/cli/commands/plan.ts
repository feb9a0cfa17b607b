/** `tandem plan`: a dry run — what a sync would create, update or skip, without writing anything. */
import type { Command } from 'commander';
import { act, type CliContext, type Session } from '../context.js';
import { syncAll } from '../../engine/initial-sync.js';
import { withEngine } from '../engine.js';
import { printReports } from '../summary.js';
import { parseEntities } from './sync.js';

export interface PlanOptions {
  entities: string[];
  json?: boolean;
}

export function register(program: Command, session: Session): void {
  program
    .command('plan')
    .description('dry run: read both systems and show what a sync would create, update or skip, writing nothing')
    .argument('[entities...]', 'entities to plan (default: every enabled flow), e.g. product order')
    .option('--json', 'print the plan as JSON')
    .action(act(session, (opts: Omit<PlanOptions, 'entities'>, ctx, args) => action({ ...opts, entities: (args[0] as string[]) ?? [] }, ctx)));
}

export async function action(opts: PlanOptions, ctx: CliContext): Promise<number> {
  const entities = parseEntities(opts.entities);
  return withEngine(ctx, async (engine) => {
    const { reports } = await syncAll(engine, { kind: 'plan', ...(entities && { entities }) });
    if (ctx.json) ctx.out(JSON.stringify({ dryRun: true, reports: reports.map((r) => r.toJSON()) }, null, 2));
    else {
      ctx.out('plan (dry run: nothing is written anywhere)');
      printReports(ctx, reports, { examples: true });
    }
    return 0;
  });
}
