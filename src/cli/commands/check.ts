/** `tandem check`: credentials, permissions and version of every configured system, per entity. */
import type { Command } from 'commander';
import { act, type CliContext, type Session } from '../context.js';
import { notAvailable } from '../not-available.js';

export interface CheckOptions {
  system?: string;
  json?: boolean;
}

export function register(program: Command, session: Session): void {
  program
    .command('check')
    .description('connect to every configured system and check credentials, permissions and version, per entity')
    .option('--system <name>', 'check only this system (a key under systems:)')
    .option('--json', 'print the reports as JSON')
    .action(act(session, (opts: CheckOptions, ctx) => action(opts, ctx)));
}

export async function action(_opts: CheckOptions, ctx: CliContext): Promise<number> {
  return notAvailable(ctx, 'check', 'it will log in to each system and report, per entity, what Tandem may read and write', 'connectors');
}
