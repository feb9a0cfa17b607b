/** `tandem finance report`: payments, invoices and refunds per period, and where the two sides differ. */
import type { Command } from 'commander';
import { act, group, type CliContext, type Session } from '../context.js';
import { financeReport } from '../../engine/finance-report.js';
import { UsageError } from '../../shared/errors.js';
import { table, withStoreEngine } from '../engine.js';

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

function day(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const t = Date.parse(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(t)) throw new UsageError(`--${name} must be a date like 2026-11-26, got "${value}"`);
  return t;
}

export async function action(opts: FinanceReportOptions, ctx: CliContext): Promise<number> {
  const DAY = 86_400_000;
  const today = Math.floor(Date.now() / DAY) * DAY;
  const from = day(opts.from, 'from', today - 30 * DAY);
  const to = day(opts.to, 'to', today) + DAY;
  if (to <= from) throw new UsageError(`--from ${new Date(from).toISOString().slice(0, 10)} is after --to ${new Date(to - DAY).toISOString().slice(0, 10)}: give the earlier day first`);
  return withStoreEngine(ctx, async (engine) => {
    const r = await financeReport(engine, from, to);
    if (ctx.json) ctx.out(JSON.stringify(r, null, 2));
    else {
      ctx.out(table(['day', 'currency', 'orders', 'shop sold', 'shop refunded', 'ERP invoiced', 'ERP credited', 'ERP paid'], r.days.map((d) => [d.day, d.currency, d.orders, d.shopTotal, d.shopRefunded, d.erpInvoiced, d.erpCredited, d.erpPaid])));
      if (r.differences.length === 0) ctx.out('\n0 differences');
      else {
        ctx.out(`\n${r.differences.length} difference(s):`);
        ctx.out(table(['day', 'order', 'shop id', 'erp id', 'what', 'shop', 'erp'], r.differences.map((d) => [d.day, d.order, d.shopId, d.erpId, d.what, d.shop, d.erp])));
      }
    }
    return r.differences.length ? 1 : 0;
  });
}
