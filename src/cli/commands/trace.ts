/** `tandem trace <ref>`: one record's path through inbox, jobs, links and audit. */
import type { Command } from 'commander';
import { act, type CliContext, type Session } from '../context.js';
import { traceOrder } from '../../engine/trace.js';
import { UsageError } from '../../shared/errors.js';
import { withStoreEngine } from '../engine.js';

export interface TraceOptions {
  ref: string;
  json?: boolean;
}

export function register(program: Command, session: Session): void {
  program
    .command('trace')
    .description('the timeline of one order across both systems: webhooks received, jobs and attempts, every step and write, with the ids on both sides')
    .argument('<order>', 'the shop order number or id, or the ERP order name (S00002) or id')
    .option('--json', 'print the trace as JSON')
    .action(act(session, (opts: Omit<TraceOptions, 'ref'>, ctx, args) => action({ ...opts, ref: args[0] as string }, ctx)));
}

export async function action(opts: TraceOptions, ctx: CliContext): Promise<number> {
  return withStoreEngine(ctx, async (engine) => {
    const t = await traceOrder(engine, opts.ref);
    if (!t.order) throw new UsageError(`no order "${opts.ref}" is known to Tandem (give the shop order number or id, or the ERP order name like S00002 or its id)`);
    if (ctx.json) {
      ctx.out(JSON.stringify(t, null, 2));
      return 0;
    }
    const o = t.order;
    ctx.out(`order ${o.number}: shop ${engine.names.shop} #${o.shopId} (${o.shopStatus}, ${o.shopTotal} ${o.currency}) ⇄ ERP ${engine.names.erp} #${o.erpId ?? '-'} (${o.erpState ?? 'not imported'}${o.erpTotal ? `, ${o.erpTotal} ${o.currency}` : ''})`);
    for (const e of t.events) {
      const detail = e.detail && typeof e.detail === 'object' ? JSON.stringify(e.detail) : e.detail ? String(e.detail) : '';
      ctx.out(`${e.at}  ${e.source.padEnd(7)}  ${e.what}${detail && detail !== '{}' && detail !== 'null' ? `  ${detail}` : ''}`);
    }
    return 0;
  });
}
