/** `tandem dlq list|show|replay|discard`: jobs that failed for good, with the remote's own error. */
import type { Command } from 'commander';
import { act, type CliContext, type Session } from '../context.js';
import { notAvailable } from '../not-available.js';

export interface DlqListOptions {
  entity?: string;
  limit?: string;
  json?: boolean;
}
export interface DlqShowOptions {
  id: string;
  json?: boolean;
}
export interface DlqReplayOptions {
  ids: string[];
  all?: boolean;
  entity?: string;
}
export interface DlqDiscardOptions {
  ids: string[];
  reason?: string;
}

export function register(program: Command, session: Session): void {
  const dlq = program.command('dlq').description('dead letters: jobs that failed for good, kept with their payload and error');
  dlq
    .command('list')
    .description('list dead-lettered jobs with their last error')
    .option('--entity <entity>', 'only this entity')
    .option('--limit <n>', 'at most n jobs', '50')
    .option('--json', 'print as JSON')
    .action(act(session, (opts: DlqListOptions, ctx) => list(opts, ctx)));
  dlq
    .command('show')
    .description('show one dead-lettered job: payload, attempts, the remote\'s error')
    .argument('<id>', 'job id')
    .option('--json', 'print as JSON')
    .action(act(session, (opts: Omit<DlqShowOptions, 'id'>, ctx, args) => show({ ...opts, id: args[0] as string }, ctx)));
  dlq
    .command('replay')
    .description('put dead-lettered jobs back in the queue (after fixing the cause)')
    .argument('[ids...]', 'job ids')
    .option('--all', 'every dead-lettered job (with --entity: of that entity)')
    .option('--entity <entity>', 'only this entity')
    .action(act(session, (opts: Omit<DlqReplayOptions, 'ids'>, ctx, args) => replay({ ...opts, ids: (args[0] as string[]) ?? [] }, ctx)));
  dlq
    .command('discard')
    .description('drop dead-lettered jobs for good (an audit record keeps who and why)')
    .argument('<ids...>', 'job ids')
    .option('--reason <text>', 'why, for the audit log')
    .action(act(session, (opts: Omit<DlqDiscardOptions, 'ids'>, ctx, args) => discard({ ...opts, ids: (args[0] as string[]) ?? [] }, ctx)));
}

export async function list(_opts: DlqListOptions, ctx: CliContext): Promise<number> {
  return notAvailable(ctx, 'dlq list', 'it will list the dead-lettered jobs with entity, record, attempts and last error', 'queue');
}

export async function show(_opts: DlqShowOptions, ctx: CliContext): Promise<number> {
  return notAvailable(ctx, 'dlq show', 'it will show a dead-lettered job with its payload, attempts and the remote\'s error', 'queue');
}

export async function replay(_opts: DlqReplayOptions, ctx: CliContext): Promise<number> {
  return notAvailable(ctx, 'dlq replay', 'it will put dead-lettered jobs back in the queue', 'queue');
}

export async function discard(_opts: DlqDiscardOptions, ctx: CliContext): Promise<number> {
  return notAvailable(ctx, 'dlq discard', 'it will drop dead-lettered jobs and record who discarded them and why', 'queue');
}
