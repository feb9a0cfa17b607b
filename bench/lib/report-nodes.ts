/** Rows of the nodes group (issue 17): orders/min on 1, 2, 3 nodes, PostgreSQL vs SQLite on one node. */
import type { NodesMetrics } from '../scenarios/nodes.js';
import type { ScenarioRun } from './run-scenario.js';
import { fmtInt, fmtMs, ratio, type Row } from './result.js';

/** Outcome of bench/lib/report.ts (not imported from there: it imports this file). */
interface Outcome {
  step: { id: string; scenario: string };
  run?: ScenarioRun<unknown>;
}

const metricsOf = (outcomes: Outcome[], id: string) => outcomes.find((o) => o.step.id === id)?.run?.metrics as NodesMetrics | undefined;

export function nodesRows(outcomes: Outcome[]): Row[] {
  const rows: Row[] = [];
  const one = metricsOf(outcomes, 'nodes:postgres:n1');
  for (const o of outcomes) {
    if (o.step.scenario !== 'nodes' || !o.run) continue;
    const m = o.run.metrics as NodesMetrics;
    const p = m.params;
    const head = `7. order burst ${fmtInt(p.orders)} webhooks in ${fmtMs(p.windowMs)}, ${p.latencyMs} ms latency, ${p.store}, ${p.nodes} node${p.nodes > 1 ? 's' : ''} × ${m.concurrency} workers`;
    const load = o.run.load;
    rows.push(
      {
        figure: `${head}: orders/min confirmed; all steps`,
        value: `${fmtInt(m.ordersPerMinute)}; ${fmtInt(m.allStepsPerMinute)} (all steps after ${fmtMs(m.allStepsMs)})`,
        ...(one && p.store === 'postgres' && p.nodes > 1 && { baseline: `1 node ${fmtInt(one.ordersPerMinute)}`, ratio: ratio(m.ordersPerMinute, one.ordersPerMinute, 2) }),
        note: `${m.confirmed}/${p.orders} confirmed; ERP orders ${m.erp.total}, duplicates ${m.erp.duplicates}, dead jobs ${m.deadJobs}; load ${load.start.join(' ')} → ${load.end.join(' ')}`,
      },
      { figure: `${head}: webhook → ERP confirmed p50 / p95 / p99`, value: `${fmtMs(m.confirm.p50)} / ${fmtMs(m.confirm.p95)} / ${fmtMs(m.confirm.p99)}`, note: `webhook answered in p99 ${fmtMs(m.accept.p99)}` },
      {
        figure: `${head}: engine CPU per order; store statements per order`,
        value: `${m.engineCpuMsPerOrder} ms; ${m.statementsPerOrder}`,
        note: `nodes' CPU ${fmtMs(m.engineCpuMs)} in all (${m.nodes.map((n) => fmtMs(n.cpuMs)).join(' + ')}), peak RSS ${m.nodes.map((n) => `${n.peakRssMb}`).join(' / ')} MB${m.postgresCpuMs !== null ? `; postgres processes ${fmtMs(m.postgresCpuMs)} CPU (whole server)` : ''}`,
      },
    );
  }
  const s = metricsOf(outcomes, 'nodes:sqlite:n1');
  if (s && one) {
    rows.push({ figure: '7. order burst, 1 node, default workers, PostgreSQL vs SQLite: p99, orders/min', value: `${fmtMs(one.confirm.p99)}, ${fmtInt(one.ordersPerMinute)}/min`, baseline: `SQLite ${fmtMs(s.confirm.p99)}, ${fmtInt(s.ordersPerMinute)}/min`, ratio: ratio(one.confirm.p99, s.confirm.p99, 2), note: 'ratio = PostgreSQL p99 ÷ SQLite p99 (aim ≤ 1)' });
  }
  return rows;
}
