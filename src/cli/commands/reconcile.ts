/** `tandem reconcile`: compare both systems record by record and report (or repair) drift. */
import type { Command } from 'commander';
import { act, type CliContext, type Session } from '../context.js';
import { notAvailable } from '../not-available.js';

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
    .option('--fix', 'queue the writes that repair the drift (owner side wins)')
    .option('--json', 'print the report as JSON')
    .action(act(session, (opts: Omit<ReconcileOptions, 'entities'>, ctx, args) => action({ ...opts, entities: (args[0] as string[]) ?? [] }, ctx)));
}

export async function action(_opts: ReconcileOptions, ctx: CliContext): Promise<number> {
  return notAvailable(ctx, 'reconcile', 'it will compare both systems record by record and report (with --fix: repair) what differs', 'engine');
}
