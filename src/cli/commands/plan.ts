/** `tandem plan`: a dry run — what a sync would create, update or skip, without writing anything. */
import type { Command } from 'commander';
import { act, type CliContext, type Session } from '../context.js';
import { syncAll } from '../../engine/initial-sync.js';
import { withEngine } from '../engine.js';
import { flowOf } from '../../engine/context.js';
import { planOrders } from '../../engine/orders/plan-orders.js';
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
    const orders = flowOf(engine, 'order') && (!entities || entities.includes('order')) ? await planOrders(engine) : undefined;
    if (orders) reports.push(orders.report);
    if (ctx.json) ctx.out(JSON.stringify({ dryRun: true, reports: reports.map((r) => r.toJSON()), ...(orders?.note && { notes: [orders.note] }) }, null, 2));
    else {
      ctx.out('plan (dry run: nothing is written anywhere)');
      printReports(ctx, reports, { examples: true });
      if (orders?.note) ctx.out(`\n${orders.note}`);
    }
    return 0;
  });
}
