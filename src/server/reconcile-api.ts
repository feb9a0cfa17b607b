/**
 * The console's reconcile page: the last verification's differences (GET /api/reconcile/last, with a
 * running one's state), and POST /api/reconcile/fix — fix one difference or every difference of one kind
 * of one entity through the normal write path, then check that entity again and store the result as a
 * new run, so the page shows what is left. Audited as `reconcile:fix`.
 */
import type { Json } from '../connectors/contract.js';
import { entityLock, withLock } from '../engine/lock.js';
import { fixDifferences, reconcile, type Difference, type ReconcileResult } from '../engine/reconcile.js';
import { redactPersonal } from '../shared/redact-personal.js';
import type { Run } from '../store/run-repo.js';
import { actorOf } from './auth/principal.js';
import { allows } from './auth/roles.js';
import { HttpError, type Reply, type RequestContext } from './route-table.js';
import { parseEntity } from './sync-actions.js';

const iso = (ms: number | null) => (ms ? new Date(ms).toISOString() : null);

function runJson(r: Run | undefined): Json {
  if (!r) return null;
  const report = (r.report ?? {}) as unknown as Partial<ReconcileResult>;
  return { id: r.id, kind: r.kind, status: r.status, counts: r.counts, startedAt: iso(r.startedAt), finishedAt: iso(r.finishedAt), entities: (report.entities ?? []) as unknown as Json, differences: (report.differences ?? []) as unknown as Json, fixed: report.fixed ?? null };
}

export async function lastReconcile(c: RequestContext): Promise<Reply> {
  const runs = await c.engine.store.runs.list({ flow: 'reconcile', limit: 20 });
  const running = runs.find((r) => r.status === 'running');
  const last = runs.find((r) => r.status !== 'running');
  const body = { running: runJson(running), last: runJson(last) };
  return { body: c.principal && allows(c.principal.role, 'operator') ? body : redactPersonal(body) };
}

export async function fixReconcile(c: RequestContext): Promise<Reply> {
  const { engine } = c;
  const b = await c.json();
  const entity = parseEntity(b.entity);
  const last = (await engine.store.runs.list({ flow: 'reconcile', limit: 20 })).find((r) => r.status !== 'running');
  const diffs = (((last?.report ?? {}) as unknown as Partial<ReconcileResult>).differences ?? []).filter(
    (d: Difference) => d.entity === entity && (b.kind === undefined || d.kind === b.kind) && (b.shopId === undefined || d.shopId === b.shopId) && (b.erpId === undefined || d.erpId === b.erpId),
  );
  if (!diffs.length) throw new HttpError(404, `the last verification has no such ${entity} difference: run a new verification`);
  const runId = await engine.store.runs.start({ flow: 'reconcile', kind: 'fix' });
  await engine.store.audit.record({ entity, shopId: diffs.length === 1 ? (diffs[0]!.shopId ?? null) : null, erpId: diffs.length === 1 ? (diffs[0]!.erpId ?? null) : null, action: 'reconcile:fix', actor: actorOf(c.principal!), detail: { runId, differences: diffs.length, kind: typeof b.kind === 'string' ? b.kind : null } });
  const previous = (last?.report ?? { entities: [], differences: [] }) as unknown as ReconcileResult;
  let status = 'failed';
  let result: ReconcileResult = previous;
  try {
    const fixed = await fixDifferences(engine, diffs);
    const again = await withLock(engine, entityLock(entity), () => reconcile(engine, { entities: [entity] }), { wait: true });
    result = {
      entities: [...previous.entities.filter((e) => e.entity !== entity), ...again.entities],
      differences: [...previous.differences.filter((d) => d.entity !== entity), ...again.differences],
      fixed,
    };
    status = result.differences.length ? 'differences' : 'ok';
    return { body: { ok: true, runId, fixed, remaining: again.differences.length } };
  } finally {
    await engine.store.runs.finish(runId, { status, counts: { differences: result.differences.length, fixed: result.fixed ?? 0 }, report: JSON.parse(JSON.stringify(result)) as Json });
  }
}
