/** `tandem stock report`: availability, velocity and days of cover per SKU. */
import type { Command } from 'commander';
import { act, group, type CliContext, type Session } from '../context.js';
import { demandReport } from '../../engine/stock/demand.js';
import { table, withStoreEngine } from '../engine.js';
import { UsageError } from '../../shared/errors.js';

export interface StockReportOptions {
  sku?: string[];
  low?: boolean;
  json?: boolean;
}

export function register(program: Command, session: Session): void {
  group(program, 'stock', 'stock across the ERP and the shop')
    .command('report')
    .description('per SKU: on hand, reserved, available to sell, sales velocity (7/30 days) and days of cover')
    .option('--sku <sku...>', 'only these SKUs')
    .option('--low', 'only SKUs at or below their low-stock threshold')
    .option('--json', 'print as JSON')
    .action(act(session, (opts: StockReportOptions, ctx) => action(opts, ctx)));
}

export async function action(opts: StockReportOptions, ctx: CliContext): Promise<number> {
  return withStoreEngine(ctx, async (engine) => {
    const low = engine.config.stock.lowStock;
    let rows = await demandReport(engine);
    if (opts.sku?.length) {
      const unknown = opts.sku.filter((s) => !rows.some((r) => r.sku === s));
      if (unknown.length) throw new UsageError(`unknown SKU ${unknown.join(', ')}: no stock figure or sale of it is known to Tandem (check the spelling; \`tandem sync stock\` reads the figures)`);
      rows = rows.filter((r) => opts.sku!.includes(r.sku));
    }
    if (opts.low) rows = rows.filter((r) => r.available <= (low.perSku[r.sku] ?? low.threshold));
    if (ctx.json) ctx.out(JSON.stringify(rows, null, 2));
    else if (rows.length === 0) ctx.out('no stock figures yet: run `tandem sync stock` (and import some orders) first');
    else {
      ctx.out(table(['sku', 'available', 'read at', 'sold 7d', 'sold 30d', 'per day', 'days of cover'], rows.map((r) => [r.sku, r.available, r.readAt?.slice(0, 16).replace('T', ' ') ?? '-', r.sold7, r.sold30, r.velocity, r.daysOfCover ?? '∞'])));
      ctx.out('available: the ERP figure as read at that time (UTC), less the units of orders imported since');
    }
    return 0;
  });
}
