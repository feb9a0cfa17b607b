/**
 * Writes a batch; when the target refuses the WHOLE batch for a permanent reason (Odoo's create of a
 * list is all-or-nothing), splits it in halves and retries until the bad records stand alone, so one
 * bad record never blocks the rest. Retryable failures propagate: the job is retried as a whole.
 */
import type { Connector, WriteContext, WriteOp, WriteResult } from '../connectors/contract.js';
import type { EntityType } from '../model/entities.js';
import { toSyncError } from '../shared/errors.js';

export async function writeIsolated<E extends EntityType>(conn: Connector, entity: E, ops: WriteOp<E>[], ctx: WriteContext, chunkSize: number): Promise<WriteResult[]> {
  const results: WriteResult[] = [];
  for (let i = 0; i < ops.length; i += chunkSize) {
    results.push(...(await writeSplitting(conn, entity, ops.slice(i, i + chunkSize), ctx)));
  }
  return results;
}

async function writeSplitting<E extends EntityType>(conn: Connector, entity: E, ops: WriteOp<E>[], ctx: WriteContext): Promise<WriteResult[]> {
  if (ops.length === 0) return [];
  try {
    const results = await conn.write(entity, ops, ctx);
    if (results.length !== ops.length) {
      throw new Error(`${conn.name}.write(${entity}) returned ${results.length} results for ${ops.length} operations`);
    }
    return results;
  } catch (e) {
    const err = toSyncError(e);
    if (err.retryable) throw err;
    if (ops.length === 1) {
      const op = ops[0] as WriteOp<E>;
      return [{ ok: false, key: op.key, error: err }];
    }
    const mid = Math.ceil(ops.length / 2);
    const left = await writeSplitting(conn, entity, ops.slice(0, mid), ctx);
    const right = await writeSplitting(conn, entity, ops.slice(mid), ctx);
    return [...left, ...right];
  }
}
