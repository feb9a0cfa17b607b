/** `tandem trace <ref>`: one record's path through inbox, jobs, links and audit. */
import type { Command } from 'commander';
import { act, type CliContext, type Session } from '../context.js';
import { notAvailable } from '../not-available.js';

export interface TraceOptions {
  ref: string;
  entity?: string;
  json?: boolean;
}

export function register(program: Command, session: Session): void {
  program
    .command('trace')
    .description('follow one record through webhooks received, jobs, attempts, links and writes')
    .argument('<ref>', 'a SKU, an order number, an email, or system:id (e.g. shop:1042)')
    .option('--entity <entity>', 'the entity the reference belongs to, when ambiguous')
    .option('--json', 'print the trace as JSON')
    .action(act(session, (opts: Omit<TraceOptions, 'ref'>, ctx, args) => action({ ...opts, ref: args[0] as string }, ctx)));
}

export async function action(_opts: TraceOptions, ctx: CliContext): Promise<number> {
  return notAvailable(ctx, 'trace', 'it will show every delivery, job, attempt, link and write that concerned the record', 'engine');
}
