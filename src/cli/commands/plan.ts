/** `tandem plan`: a dry run — what a sync would create, update or skip, without writing anything. */
import type { Command } from 'commander';
import { act, type CliContext, type Session } from '../context.js';
import { notAvailable } from '../not-available.js';

export interface PlanOptions {
  entities: string[];
  limit?: string;
  json?: boolean;
}

export function register(program: Command, session: Session): void {
  program
    .command('plan')
    .description('dry run: read both systems and show what a sync would create, update or skip, writing nothing')
    .argument('[entities...]', 'entities to plan (default: every enabled flow), e.g. product order')
    .option('--limit <n>', 'read at most n records per flow')
    .option('--json', 'print the plan as JSON')
    .action(act(session, (opts: Omit<PlanOptions, 'entities'>, ctx, args) => action({ ...opts, entities: (args[0] as string[]) ?? [] }, ctx)));
}

export async function action(_opts: PlanOptions, ctx: CliContext): Promise<number> {
  return notAvailable(ctx, 'plan', 'it will show, per flow, the records a sync would create, update or skip', 'engine');
}
