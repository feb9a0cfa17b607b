/** Counts a run's records and its duration in the metrics: flow runs, the stock sync and record jobs alike. */
import type { Engine } from './context.js';
import type { RunReport } from './report.js';

export function observeRun(engine: Engine, report: RunReport, kind: string, status: string, startedMs: number): void {
  for (const [outcome, n] of Object.entries(report.counts)) if (n) engine.metrics.records.inc({ entity: report.entity, direction: report.direction, outcome }, n);
  engine.metrics.runDuration.observe({ flow: `${report.entity}:${report.direction}`, kind, status }, (performance.now() - startedMs) / 1000);
}
