/** Runs one flow of tandem.yaml: every direction of a record flow, the stock sync, or the order polls. */
import type { EntityType } from '../model/entities.js';
import { SyncError } from '../shared/errors.js';
import type { Engine } from './context.js';
import { directionsOf, flowOf } from './context.js';
import { pollOrders } from './orders/poll-orders.js';
import { resolveDirection } from './records/direction.js';
import { runDirection } from './records/run-direction.js';
import type { RunReport } from './report.js';
import { syncStock } from './stock/sync-stock.js';

export async function runFlow(engine: Engine, entity: EntityType, kind: 'poll' | 'initial' = 'poll'): Promise<RunReport[]> {
  const flow = flowOf(engine, entity);
  if (!flow) throw new SyncError('config', `no enabled flow for ${entity} in tandem.yaml`);
  if (entity === 'stock') return [await syncStock(engine)];
  if (entity === 'order') return [await pollOrders(engine)];
  const reports: RunReport[] = [];
  for (const [source] of directionsOf(flow)) reports.push(await runDirection(engine, resolveDirection(engine, flow, source), { kind }));
  return reports;
}
