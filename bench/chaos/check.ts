/**
 * The chaos suite's outcome checks: every shop order exactly once in the ERP (by client_order_ref) with
 * one posted invoice and one payment; the job table's re-runs (attempts past the first) and stuck jobs;
 * and the verdict over all of it. Pure over what it is given, so the checks themselves are tested
 * (test/e2e/chaos-check.test.ts: a planted duplicate or missing order must fail the run).
 */

/** The part of the Odoo simulator the checks read (`odoo.env`). */
export interface ErpReader {
  searchRead(model: string, domain: unknown[], fields: string[]): Array<Record<string, unknown>>;
}

export interface OrderCheck {
  missing: string[];
  duplicated: string[];
  withoutInvoice: string[];
  withoutPayment: string[];
}

/** Orders missing in the ERP, imported twice, without exactly one posted invoice, without exactly one payment. */
export function checkOrders(erp: ErpReader, numbers: readonly string[]): OrderCheck {
  const out: OrderCheck = { missing: [], duplicated: [], withoutInvoice: [], withoutPayment: [] };
  for (const number of numbers) {
    const sos = erp.searchRead('sale.order', [['client_order_ref', '=', `shop-${number}`]], ['name', 'state']);
    if (sos.length === 0) out.missing.push(number);
    if (sos.length > 1) out.duplicated.push(number);
    const so = sos[0];
    if (!so) continue;
    const invoices = erp.searchRead('account.move', [['invoice_origin', '=', String(so.name)], ['move_type', '=', 'out_invoice'], ['state', '=', 'posted']], ['payment_state']);
    if (invoices.length !== 1) out.withoutInvoice.push(number);
    const payments = erp.searchRead('account.payment', [['ref', '=like', `${number} %`]], ['id']);
    if (payments.length !== 1) out.withoutPayment.push(number);
  }
  return out;
}

export function converged(c: OrderCheck): boolean {
  return !c.missing.length && !c.duplicated.length && !c.withoutInvoice.length && !c.withoutPayment.length;
}

export interface JobRow {
  state: string;
  attempts: number;
  run_at: number;
  locked_until: number | null;
}

export interface JobSummary {
  deadLetters: number;
  /** Queued for more than 30 s past its time, or running on a lease that ended more than 30 s ago. */
  stuckJobs: number;
  /** Jobs that ran more than once (a fault's retry, or a killed node's job run again elsewhere). */
  rerunJobs: number;
  /** Attempts past the first, over all jobs. */
  extraAttempts: number;
  /** Jobs not done yet (queued or running), whatever their time. */
  pending: number;
}

export function summarizeJobs(jobs: readonly JobRow[], now: number): JobSummary {
  const s: JobSummary = { deadLetters: 0, stuckJobs: 0, rerunJobs: 0, extraAttempts: 0, pending: 0 };
  for (const j of jobs) {
    if (j.state === 'dead') s.deadLetters += 1;
    if (j.state === 'queued' || j.state === 'running') s.pending += 1;
    if ((j.state === 'queued' && Number(j.run_at) < now - 30_000) || (j.state === 'running' && Number(j.locked_until) < now - 30_000)) s.stuckJobs += 1;
    const attempts = Number(j.attempts);
    if (attempts > 1) {
      s.rerunJobs += 1;
      s.extraAttempts += attempts - 1;
    }
  }
  return s;
}

export interface VerdictInput {
  orders: OrderCheck;
  jobs: Pick<JobSummary, 'deadLetters' | 'stuckJobs'>;
  convergedMs: number | null;
  /** undefined: no outage in this run; null: the outage never recovered. */
  outageRecoveredMs?: number | null;
  stockMismatches: readonly unknown[];
  /** Kills asked for and kills done (a planned kill that never happened is not a pass). */
  kills: { planned: number; done: number };
}

/** Why the run failed; empty when it passed. */
export function verdict(v: VerdictInput): string[] {
  const why: string[] = [];
  if (v.orders.duplicated.length) why.push(`${v.orders.duplicated.length} orders twice in the ERP`);
  if (v.orders.missing.length) why.push(`${v.orders.missing.length} orders missing in the ERP`);
  if (v.orders.withoutInvoice.length) why.push(`${v.orders.withoutInvoice.length} orders without exactly one posted invoice`);
  if (v.orders.withoutPayment.length) why.push(`${v.orders.withoutPayment.length} orders without exactly one payment`);
  if (v.convergedMs === null) why.push('did not converge within the timeout');
  if (v.outageRecoveredMs === null) why.push('orders placed during the outage never reached the ERP');
  if (v.jobs.deadLetters) why.push(`${v.jobs.deadLetters} dead letters`);
  if (v.jobs.stuckJobs) why.push(`${v.jobs.stuckJobs} stuck jobs`);
  if (v.stockMismatches.length) why.push(`${v.stockMismatches.length} stock levels differ from the ERP`);
  if (v.kills.done < v.kills.planned) why.push(`${v.kills.planned - v.kills.done} planned kills did not happen`);
  return why;
}
