/** `tandem stock report`: availability, velocity and days of cover per SKU. */
import type { Command } from 'commander';
import { act, group, type CliContext, type Session } from '../context.js';
import { notAvailable } from '../not-available.js';

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

export async function action(_opts: StockReportOptions, ctx: CliContext): Promise<number> {
  return notAvailable(ctx, 'stock report', 'it will list per SKU what is on hand, reserved and available, how fast it sells and how many days it lasts', 'stock');
}
