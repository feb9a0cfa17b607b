/** `tandem serve`: webhook server, scheduler and workers in one process, until stopped. */
import type { Command } from 'commander';
import { act, type CliContext, type Session } from '../context.js';
import { notAvailable } from '../not-available.js';

export interface ServeOptions {
  host?: string;
  port?: string;
  workers?: string;
  scheduler?: boolean;
}

export function register(program: Command, session: Session): void {
  program
    .command('serve')
    .description('run the webhook server, REST API, /metrics, the scheduler and the workers until stopped')
    .option('--host <host>', 'listen address (default: server.host of the config)')
    .option('--port <port>', 'listen port (default: server.port of the config; 0 = any free port)')
    .option('--workers <n>', 'jobs run at the same time (default: workers.concurrency)')
    .option('--no-scheduler', 'do not poll on the schedules (another process does)')
    .action(act(session, (opts: ServeOptions, ctx) => action(opts, ctx)));
}

export async function action(_opts: ServeOptions, ctx: CliContext): Promise<number> {
  return notAvailable(ctx, 'serve', 'it will receive webhooks, run the scheduled polls and the workers, and serve the REST API and /metrics', 'server');
}
