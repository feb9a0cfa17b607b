/** `tandem demo`: the sneakers story end to end, on simulated systems and an embedded SQLite store. */
import type { Command } from 'commander';
import { act, type CliContext, type Session } from '../context.js';
import { notAvailable } from '../not-available.js';

export interface DemoOptions {
  data?: string;
  keep?: boolean;
}

export function register(program: Command, session: Session): void {
  program
    .command('demo')
    .description('run the sneakers story (catalog, order, shipment, invoice, return, refund) against simulated shop and Odoo')
    .option('--data <dir>', 'folder for the demo SQLite store (default: a temporary folder)')
    .option('--keep', 'keep the simulators and the store running after the story, to explore with trace and dlq')
    .action(act(session, (opts: DemoOptions, ctx) => action(opts, ctx)));
}

export async function action(_opts: DemoOptions, ctx: CliContext): Promise<number> {
  return notAvailable(ctx, 'demo', 'it will play the sneakers story end to end against simulated systems and print each step', 'demo');
}
