/** `tandem sync`: one pass of every flow (or the given entities), then exit. */
import type { Command } from 'commander';
import { act, type CliContext, type Session } from '../context.js';
import { notAvailable } from '../not-available.js';

export interface SyncOptions {
  entities: string[];
  full?: boolean;
  limit?: string;
  json?: boolean;
}

export function register(program: Command, session: Session): void {
  program
    .command('sync')
    .description('run each flow once: pull changed records, map, skip unchanged, write them to the other side')
    .argument('[entities...]', 'entities to sync (default: every enabled flow), e.g. product order')
    .option('--full', 'ignore the stored cursors and read everything (initial sync); existing records are matched by natural key, not duplicated')
    .option('--limit <n>', 'process at most n records per flow')
    .option('--json', 'print the run summary as JSON')
    .action(act(session, (opts: Omit<SyncOptions, 'entities'>, ctx, args) => action({ ...opts, entities: (args[0] as string[]) ?? [] }, ctx)));
}

export async function action(_opts: SyncOptions, ctx: CliContext): Promise<number> {
  return notAvailable(ctx, 'sync', 'it will pull changed records from the source side of each flow and write them to the other side', 'engine');
}
