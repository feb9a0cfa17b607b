/** `tandem finance report`: payments, invoices and refunds per period, and where the two sides differ. */
import type { Command } from 'commander';
import { act, group, type CliContext, type Session } from '../context.js';
import { notAvailable } from '../not-available.js';

export interface FinanceReportOptions {
  from?: string;
  to?: string;
  json?: boolean;
}

export function register(program: Command, session: Session): void {
  group(program, 'finance', 'payments, invoices and refunds across the shop and the ERP')
    .command('report')
    .description('totals of shop payments, ERP invoices and refunds for a period, and every order where they differ')
    .option('--from <date>', 'first day (YYYY-MM-DD, UTC)')
    .option('--to <date>', 'last day (YYYY-MM-DD, UTC)')
    .option('--json', 'print as JSON')
    .action(act(session, (opts: FinanceReportOptions, ctx) => action(opts, ctx)));
}

export async function action(_opts: FinanceReportOptions, ctx: CliContext): Promise<number> {
  return notAvailable(ctx, 'finance report', 'it will total payments, invoices and refunds for the period and list the orders where shop and ERP differ', 'finance');
}
