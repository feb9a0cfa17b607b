/**
 * The scheduled verification (`reconcile.run` job under `tandem serve`, `reconcile.schedule`, daily at 03:00 UTC by default): reconcile every record
 * flow and stock, entity by entity under the entity's sync lease (so a sync running at the same moment
 * cannot show up as drift), record the result as a run and alert when the systems differ.
 */
import type { Json } from '../connectors/contract.js';
import type { Engine } from './context.js';
import { entityLock, withLock } from './lock.js';
import { reconcile, type ReconcileResult } from './reconcile.js';
import { notify } from './alerts/notify.js';

export async function verifyScheduled(engine: Engine): Promise<ReconcileResult> {
  const entities = [...new Set(engine.config.flows.filter((f) => f.enabled && f.entity !== 'order').map((f) => f.entity))];
  const result: ReconcileResult = { entities: [], differences: [] };
  const runId = await engine.store.runs.start({ flow: 'reconcile', kind: 'reconcile' });
  let status = 'ok';
  try {
    for (const entity of entities) {
      const r = await withLock(engine, entityLock(entity), () => reconcile(engine, { entities: [entity] }), { wait: true });
      result.entities.push(...r.entities);
      result.differences.push(...r.differences);
    }
    status = result.differences.length ? 'differences' : 'ok';
    if (result.differences.length) {
      const lines = result.differences.slice(0, 20).map((d) => `${d.entity} ${d.kind}: ${d.label}${d.fields ? ` (${d.fields.join(', ')})` : ''}`);
      await notify(engine, {
        type: 'drift',
        subject: `${result.differences.length} difference(s) between ${engine.names.shop} and ${engine.names.erp}`,
        text: `The scheduled verification found differences:\n${lines.join('\n')}${result.differences.length > 20 ? `\n… and ${result.differences.length - 20} more` : ''}\nRun \`tandem reconcile\` to see them all, \`tandem reconcile --fix\` to repair.\n`,
        data: { entities: result.entities, differences: result.differences.slice(0, 50) },
        at: engine.now().toISOString(),
      });
    }
    return result;
  } catch (e) {
    status = 'failed';
    throw e;
  } finally {
    await engine.store.runs.finish(runId, { status, counts: { differences: result.differences.length }, report: JSON.parse(JSON.stringify(result)) as Json });
  }
}
