/** Printing run reports and reconciliation results for people (tables) and machines (--json). */
import type { RunReport } from '../engine/report.js';
import type { ReconcileResult } from '../engine/reconcile.js';
import type { CliContext } from './context.js';
import { table } from './engine.js';

export function printReports(ctx: CliContext, reports: RunReport[], opts: { examples?: boolean } = {}): void {
  ctx.out(table(
    ['entity', 'direction', 'read', 'created', 'updated', 'linked', 'unchanged', 'skipped', 'failed'],
    reports.map((r) => [r.entity, r.direction, r.counts.read, r.counts.created, r.counts.updated, r.counts.linked, r.counts.unchanged, r.counts.skipped, r.counts.failed]),
  ));
  if (opts.examples) {
    for (const r of reports) {
      for (const outcome of ['created', 'updated', 'linked'] as const) {
        const ex = r.examples[outcome];
        if (ex?.length) ctx.out(`  ${r.entity} ${r.direction} ${outcome}: ${ex.map((e) => e.label ?? e.id).join(', ')}${r.counts[outcome] > ex.length ? ', …' : ''}`);
      }
    }
  }
  for (const note of new Set(reports.flatMap((r) => r.notes))) ctx.out(`note: ${note}`);
  const problems = reports.flatMap((r) => r.problems.map((p) => ({ ...p, entity: r.entity, direction: r.direction })));
  if (problems.length) {
    ctx.out(`\n${problems.length} record(s) skipped or failed:`);
    for (const p of problems.slice(0, 20)) ctx.out(`  ${p.outcome} ${p.entity} ${p.label ?? p.id} (${p.direction}): ${p.reason ?? ''}`);
    if (problems.length > 20) ctx.out(`  … and ${problems.length - 20} more (tandem dlq list)`);
  }
}

export function printReconcile(ctx: CliContext, r: ReconcileResult): void {
  ctx.out(table(['entity', 'shop', 'erp', 'linked', 'differences'], r.entities.map((e) => [e.entity, e.shop, e.erp, e.linked, e.differences])));
  if (r.fixed !== undefined) ctx.out(`repaired: ${r.fixed}`);
  if (r.differences.length === 0) {
    ctx.out('0 differences');
    return;
  }
  ctx.out(`\n${r.differences.length} difference(s):`);
  ctx.out(table(
    ['entity', 'kind', 'record', 'shop id', 'erp id', 'detail'],
    r.differences.slice(0, 200).map((d) => [d.entity, d.kind, d.label, d.shopId, d.erpId, d.fields?.join(', ') ?? (d.kind === 'stock' ? `shop ${String(d.shop)} vs ${String(d.erp)} from the ERP` : '')]),
  ));
  if (r.differences.length > 200) ctx.out(`… and ${r.differences.length - 200} more (--json lists all)`);
}
