/** `tandem dlq list|show|replay|discard`: jobs that failed for good, with the remote's own error. */
import type { Command } from 'commander';
import { act, type CliContext, type Session } from '../context.js';
import { readFileSync } from 'node:fs';
import type { Json } from '../../connectors/contract.js';
import type { Job } from '../../queue/index.js';
import { startRuntime } from '../../engine/runtime.js';
import type { RunningEngine } from '../../engine/create-engine.js';
import { UsageError } from '../../shared/errors.js';
import { table, withEngine, withStoreEngine } from '../engine.js';
import { discardDeadLetter, replayDeadLetter } from '../../server/dead-letter-actions.js';
import { cliActor } from '../../server/auth/principal.js';

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
  payload?: string;
  run?: boolean;
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
    .option('--payload <file>', 'replay ONE job with this edited payload (a JSON file, - for stdin)')
    .option('--run', 'run the replayed jobs now instead of leaving them to `tandem serve`')
    .action(act(session, (opts: Omit<DlqReplayOptions, 'ids'>, ctx, args) => replay({ ...opts, ids: (args[0] as string[]) ?? [] }, ctx)));
  dlq
    .command('discard')
    .description('drop dead-lettered jobs for good (an audit record keeps who and why)')
    .argument('<ids...>', 'job ids')
    .option('--reason <text>', 'why, for the audit log')
    .action(act(session, (opts: Omit<DlqDiscardOptions, 'ids'>, ctx, args) => discard({ ...opts, ids: (args[0] as string[]) ?? [] }, ctx)));
}

const entityOf = (j: Job): string => String((j.payload as { entity?: string } | null)?.entity ?? (j.kind.startsWith('order') ? 'order' : ''));

async function dead(engine: RunningEngine, entity: string | undefined, limit = 10_000): Promise<Job[]> {
  const jobs = await engine.queue.list({ state: 'dead', limit });
  return entity ? jobs.filter((j) => entityOf(j) === entity) : jobs;
}

export async function list(opts: DlqListOptions, ctx: CliContext): Promise<number> {
  const limit = Number(opts.limit ?? 50);
  return withStoreEngine(ctx, async (engine) => {
    const jobs = (await dead(engine, opts.entity)).slice(0, limit);
    if (ctx.json) ctx.out(JSON.stringify(jobs, null, 2));
    else if (jobs.length === 0) ctx.out('no dead letters');
    else ctx.out(table(['id', 'kind', 'record', 'attempts', 'failed at', 'error'], jobs.map((j) => [j.id, j.kind, j.key ?? '', j.attempts, new Date(j.updatedAt).toISOString(), j.lastError ? `${j.lastError.kind}: ${j.lastError.message}` : ''])));
    return 0;
  });
}

export async function show(opts: DlqShowOptions, ctx: CliContext): Promise<number> {
  return withStoreEngine(ctx, async (engine) => {
    const job = await engine.queue.get(opts.id);
    if (!job) throw new UsageError(`no job ${opts.id}`);
    if (ctx.json) ctx.out(JSON.stringify(job, null, 2));
    else {
      ctx.out(`job ${job.id} (${job.kind}, key ${job.key ?? '-'}) — ${job.state} after ${job.attempts} of ${job.maxAttempts} attempt(s)`);
      if (job.failures > 1 && job.lastFailedAt !== null) ctx.out(`failed ${job.failures} times, last at ${new Date(job.lastFailedAt).toISOString()}`);
      if (job.lastError) {
        ctx.out(`error: [${job.lastError.kind}${job.lastError.code ? ` ${job.lastError.code}` : ''}] ${job.lastError.message}`);
        if (job.lastError.hint) ctx.out(`what to do: ${job.lastError.hint}`);
      }
      ctx.out(`payload:\n${JSON.stringify(job.payload, null, 2)}`);
    }
    return 0;
  });
}

function readPayload(file: string, cwd: string): Json {
  const text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file.startsWith('/') ? file : `${cwd}/${file}`, 'utf8');
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    throw new UsageError(`--payload ${file}: not valid JSON (${(e as Error).message})`);
  }
}

export async function replay(opts: DlqReplayOptions, ctx: CliContext): Promise<number> {
  if (!opts.all && opts.ids.length === 0) throw new UsageError('name the job ids to replay, or --all');
  if (opts.payload && (opts.all || opts.ids.length !== 1)) throw new UsageError('--payload replays exactly one job: give one id');
  return withEngine(ctx, async (engine) => {
    const ids = opts.all ? (await dead(engine, opts.entity)).map((j) => j.id) : opts.ids;
    const payload = opts.payload ? readPayload(opts.payload, ctx.cwd) : undefined;
    const actor = cliActor();
    for (const id of ids) await replayDeadLetter(engine, id, { actor, ...(payload !== undefined && { payload }) });
    ctx.out(`replayed ${ids.length} job(s)`);
    if (!opts.run) return 0;
    const runtime = startRuntime(engine, { schedules: false });
    await runtime.worker.drain();
    await runtime.stop();
    const results = await Promise.all(ids.map((id) => engine.queue.get(id)));
    const stillDead = results.filter((j) => j?.state === 'dead');
    for (const j of stillDead) ctx.out(`job ${j!.id} failed again: ${j!.lastError?.message ?? ''}`);
    ctx.out(`${ids.length - stillDead.length} done, ${stillDead.length} dead again`);
    return stillDead.length ? 1 : 0;
  });
}

export async function discard(opts: DlqDiscardOptions, ctx: CliContext): Promise<number> {
  return withEngine(ctx, async (engine) => {
    const actor = cliActor();
    for (const id of opts.ids) {
      if (!(await engine.queue.get(id))) throw new UsageError(`no job ${id}`);
      await discardDeadLetter(engine, id, { actor, ...(opts.reason && { reason: opts.reason }) });
    }
    ctx.out(`discarded ${opts.ids.length} job(s)`);
    return 0;
  });
}
