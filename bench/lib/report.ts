/** Turns the scenario metrics of one run into the table rows (figure, value, baseline, ratio). */
import type { BaselineMetrics } from '../scenarios/baseline.js';
import type { CatalogMetrics, CatalogPhase } from '../scenarios/catalog.js';
import type { OrdersMetrics } from '../scenarios/orders.js';
import { DEFAULT_WORKERS } from '../../src/config/schema.js';
import type { OrdersBaselineMetrics } from '../scenarios/orders-baseline.js';
import type { PhaseCalls } from './calls.js';
import type { Step } from './plan.js';
import { fmtInt, fmtMs, ratio, type Row } from './result.js';
import { nodesRows } from './report-nodes.js';
import type { ScenarioRun } from './run-scenario.js';

export interface Outcome {
  step: Step;
  run?: ScenarioRun<unknown>;
  error?: string;
}

const arrow = (d: string) => d.replace('->', '→').replace('erp', 'ERP');
const calls = (c: PhaseCalls) => `${fmtInt(c.total)} (${fmtInt(c.reads)} reads, ${fmtInt(c.writes)} writes)`;
const perSec = (n: number, ms: number | null) => (ms ? Math.round((n / ms) * 1000) : NaN);

/** Least calls any sync could make: read pages of the source + write batches on the target. */
export function floorOf(m: CatalogMetrics): { reads: number; writes: number; total: number; note: string } {
  const toErp = m.params.direction === 'shop->erp';
  // WooCommerce pages hold at most 100 products (per_page), the REST shop contract's 500
  const shopPage = m.params.shop === 'woocommerce' ? 100 : 500;
  const reads = Math.ceil(m.products / (toErp ? shopPage : 1000));
  const writes = Math.ceil(m.products / (toErp ? 1000 : 100));
  const note = toErp ? `floor = products/${shopPage} (shop page max) + products/1,000 (Odoo create list)` : 'floor = products/1,000 (Odoo page) + products/100 (shop batch max)';
  return { reads, writes, total: reads + writes, note };
}

function metricsOf<T>(outcomes: Outcome[], id: string): T | undefined {
  return outcomes.find((o) => o.step.id === id)?.run?.metrics as T | undefined;
}

function catalogRows(m: CatalogMetrics, b: BaselineMetrics | undefined, label: string): Row[] {
  const i = m.initial;
  const f = floorOf(m);
  const scale = m.cost.odooScale ?? 0;
  const head = `1. initial sync ${label}, ${fmtInt(m.variants)} variants (${fmtInt(m.products)} products, ${m.params.store})`;
  const rows: Row[] = [
    { figure: `${head}: time, modelled real Odoo 17 + 16 ms shop`, value: fmtMs(i.modelledMs ?? NaN), ...(b && { baseline: fmtMs(b.first.modelledMs), ratio: ratio(b.first.modelledMs, i.modelledMs ?? NaN, 0) }), ...(b && { note: 'ratio = baseline ÷ Tandem' }) },
    { figure: `${head}: time, measured (Odoo delays ×${scale}, shop ${m.cost.shopLatencyMs} ms)`, value: fmtMs(i.wallMs), ...(b && { baseline: `${fmtMs(b.first.wallMs)} (×${b.cost.odooScale})` }), note: 'different delay scales: compare the modelled times' },
    { figure: `${head}: variants/s, modelled`, value: fmtInt(perSec(m.variants, i.modelledMs)), ...(b && { baseline: fmtInt(perSec(b.variants, b.first.modelledMs)), ratio: ratio(perSec(m.variants, i.modelledMs), perSec(b.variants, b.first.modelledMs), 0) }) },
    { figure: `${head}: API calls`, value: calls(i.calls), ...(b && { baseline: calls(b.first.calls), ratio: ratio(b.first.calls.total, i.calls.total) }) },
    { figure: `${head}: API calls ÷ floor`, value: `${fmtInt(i.calls.total)} ÷ ${fmtInt(f.total)}`, ratio: ratio(i.calls.total, f.total), note: f.note },
    { figure: `${head}: peak RSS, engine process`, value: `${i.peakRssMb} MB`, ...(b && { baseline: `${b.first.peakRssMb} MB`, ratio: ratio(i.peakRssMb, b.first.peakRssMb) }), note: `simulators (own process): ${m.simulatorsPeakRssMb} MB` },
  ];
  return rows;
}

function noChangeRows(m: CatalogMetrics, b: BaselineMetrics | undefined, label: string): Row[] {
  const rows: Row[] = [];
  const phases: Array<[string, CatalogPhase | undefined]> = [
    ['incremental (cursor, as scheduled)', m.noChangePoll],
    ['full re-read (sync --initial again)', m.noChangeFull],
  ];
  for (const [what, p] of phases) {
    if (!p) continue;
    const second = b?.second;
    rows.push({
      figure: `3. no-change sync ${label}, ${fmtInt(m.variants)} variants (${m.params.store}), ${what}`,
      value: `${calls(p.calls)}; ${fmtMs(p.modelledMs ?? p.wallMs)} modelled, ${fmtMs(p.wallMs)} measured; ${fmtInt(p.counts.read)} records read`,
      ...(second && { baseline: `${calls(second.calls)}; ${fmtMs(second.modelledMs)} modelled; ${fmtInt(b.after.duplicates)} duplicates`, ratio: ratio(second.calls.total, Math.max(1, p.calls.total), 0) }),
      ...(!second && b && { baseline: 'second run not measured (same calls as its first run: no state)' }),
    });
  }
  return rows;
}

function overheadRow(m: CatalogMetrics): Row[] {
  const i = m.initial;
  const head = `2. engine overhead, zero latency, shop→ERP ${fmtInt(m.variants)} variants`;
  const rows: Row[] = [
    { figure: `${head}: variants/s (wall, simulators in another process)`, value: fmtInt(perSec(m.variants, i.wallMs)), note: `${fmtInt(perSec(m.products, i.wallMs))} products/s; aim ≥ 20,000 records/s` },
    { figure: `${head}: variants per engine CPU-second`, value: fmtInt(perSec(m.variants, i.cpuMs)), note: `engine CPU ${fmtMs(i.cpuMs)}${i.sysMs !== undefined ? ` (${fmtMs(i.sysMs)} system)` : ''} of ${fmtMs(i.wallMs)} wall; ${fmtInt(i.calls.total)} API calls` },
    { figure: `${head}: peak RSS`, value: `engine ${i.peakRssMb} MB`, note: `simulators ${m.simulatorsPeakRssMb} MB (own process)` },
  ];
  if (m.noChangeFull) rows.push({ figure: `${head}: no-change full re-read, variants/s`, value: fmtInt(perSec(m.variants, m.noChangeFull.wallMs)), note: `engine CPU ${fmtMs(m.noChangeFull.cpuMs)}, ${fmtInt(m.noChangeFull.calls.total)} reads, 0 writes expected (${m.noChangeFull.calls.writes})` });
  return rows;
}

function ordersRows(m: OrdersMetrics, b: OrdersBaselineMetrics | undefined): Row[] {
  const p = m.params;
  const head = `4. order burst ${fmtInt(p.orders)} webhooks in ${fmtMs(p.windowMs)}, ${p.latencyMs} ms latency, ${p.store}, concurrency ${p.concurrency}${p.concurrency === DEFAULT_WORKERS ? ' (default)' : ''}`;
  return [
    { figure: `${head}: webhook → ERP confirmed p50 / p95 / p99`, value: `${fmtMs(m.confirm.p50)} / ${fmtMs(m.confirm.p95)} / ${fmtMs(m.confirm.p99)}`, ...(b && { baseline: `${fmtMs(b.confirm.p50)} / ${fmtMs(b.confirm.p95)} / ${fmtMs(b.confirm.p99)}`, ratio: ratio(m.confirm.p99, b.confirm.p99) }), note: `aim p99 < 1 s; ratio = Tandem p99 ÷ baseline p99; webhook answered in p99 ${fmtMs(m.accept.p99)}` },
    { figure: `${head}: orders/minute sustained`, value: fmtInt(m.ordersPerMinute), ...(b && { baseline: fmtInt(b.ordersPerMinute), ratio: ratio(m.ordersPerMinute, b.ordersPerMinute) }), note: `${m.confirmed}/${p.orders} confirmed; all steps (invoice, payment) done after ${fmtMs(m.allStepsMs)}` },
    { figure: `${head}: API calls per order`, value: `${m.callsPerOrder} (import, confirm, invoice, payment)`, ...(b && { baseline: `${b.callsPerOrder} (import, confirm only)` }), note: `ERP orders ${m.erp.total}, duplicates ${m.erp.duplicates}, dead jobs ${m.deadJobs}; engine CPU ${fmtMs(m.engineCpuMs)}, peak RSS ${m.enginePeakRssMb} MB${m.erpLimit ? `; ERP concurrency limit ${m.erpLimit.lowest}–${m.erpLimit.highest}, at most ${m.erpLimit.maxInFlight} calls in flight` : ''}` },
  ];
}

export function buildRows(outcomes: Outcome[]): Row[] {
  const rows: Row[] = [];
  for (const dir of ['shop->erp', 'erp->shop'] as const) {
    const m = metricsOf<CatalogMetrics>(outcomes, `catalog:${dir}:sqlite`);
    const b = metricsOf<BaselineMetrics>(outcomes, `baseline:${dir}`);
    if (m) rows.push(...catalogRows(m, b, arrow(dir)));
  }
  const woo = (dir: string) => metricsOf<CatalogMetrics>(outcomes, `catalog:woocommerce:${dir}:sqlite`);
  for (const dir of ['shop->erp', 'erp->shop'] as const) {
    const m = woo(dir);
    if (m) rows.push(...catalogRows(m, undefined, `${arrow(dir)} (WooCommerce)`));
  }
  for (const o of outcomes.filter((x) => x.step.group === 'overhead')) if (o.run) rows.push(...overheadRow(o.run.metrics as CatalogMetrics));
  for (const dir of ['shop->erp', 'erp->shop'] as const) {
    const m = metricsOf<CatalogMetrics>(outcomes, `catalog:${dir}:sqlite`);
    if (m) rows.push(...noChangeRows(m, metricsOf<BaselineMetrics>(outcomes, `baseline:${dir}`), arrow(dir)));
  }
  for (const dir of ['shop->erp', 'erp->shop'] as const) {
    const m = woo(dir);
    if (m) rows.push(...noChangeRows(m, undefined, `${arrow(dir)} (WooCommerce)`));
  }
  const ob = metricsOf<OrdersBaselineMetrics>(outcomes, 'orders:baseline');
  for (const o of outcomes.filter((x) => x.step.scenario === 'orders')) if (o.run) rows.push(...ordersRows(o.run.metrics as OrdersMetrics, ob));
  if (ob) {
    rows.push({ figure: `5. baseline order flow (n8n-style): errors, ERP orders, duplicates`, value: `${ob.errors} errors, ${ob.erp.total} orders, ${ob.erp.duplicates} duplicates`, note: `engine-less receiver: CPU ${fmtMs(ob.cpuMs)}, peak RSS ${ob.peakRssMb} MB` });
  }
  // 6. SQLite vs PostgreSQL
  for (const dir of ['shop->erp', 'erp->shop'] as const) {
    const s = metricsOf<CatalogMetrics>(outcomes, `catalog:${dir}:sqlite`);
    const pgm = metricsOf<CatalogMetrics>(outcomes, `catalog:${dir}:postgres`);
    if (!pgm) continue;
    rows.push({
      figure: `6. initial sync ${arrow(dir)}, ${fmtInt(pgm.variants)} variants, PostgreSQL vs SQLite: time modelled / measured, peak RSS`,
      value: `${fmtMs(pgm.initial.modelledMs ?? NaN)} / ${fmtMs(pgm.initial.wallMs)}, ${pgm.initial.peakRssMb} MB`,
      ...(s && { baseline: `SQLite ${fmtMs(s.initial.modelledMs ?? NaN)} / ${fmtMs(s.initial.wallMs)}, ${s.initial.peakRssMb} MB`, ratio: ratio(pgm.initial.wallMs, s.initial.wallMs, 2) }),
      note: 'ratio = PostgreSQL ÷ SQLite measured wall time',
    });
  }
  for (const c of [4, 8, 32]) {
    const s = metricsOf<OrdersMetrics>(outcomes, `orders:sqlite:c${c}`);
    const pgm = metricsOf<OrdersMetrics>(outcomes, `orders:postgres:c${c}`);
    if (!pgm) continue;
    rows.push({
      figure: `6. order burst, concurrency ${c}, PostgreSQL vs SQLite: p99, orders/min`,
      value: `${fmtMs(pgm.confirm.p99)}, ${fmtInt(pgm.ordersPerMinute)}/min`,
      ...(s && { baseline: `SQLite ${fmtMs(s.confirm.p99)}, ${fmtInt(s.ordersPerMinute)}/min`, ratio: ratio(pgm.ordersPerMinute, s.ordersPerMinute, 2) }),
      note: 'ratio = PostgreSQL ÷ SQLite orders/min',
    });
  }
  rows.push(...nodesRows(outcomes));
  for (const o of outcomes.filter((x) => x.error)) rows.push({ figure: `FAILED: ${o.step.id}`, value: (o.error ?? '').split('\n')[0] ?? '' });
  return rows;
}

export function markdownTable(rows: Row[]): string {
  const esc = (s: string | undefined) => (s ?? '').replace(/\|/g, '\\|');
  const lines = ['| figure | value | baseline | ratio | note |', '|---|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${esc(r.figure)} | ${esc(r.value)} | ${esc(r.baseline)} | ${esc(r.ratio)} | ${esc(r.note)} |`);
  return lines.join('\n');
}
