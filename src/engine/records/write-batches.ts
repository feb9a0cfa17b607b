/**
 * The one bad-record isolation of Tandem. Writes go to the target in batches of the flow's batch size;
 * when the target refuses a WHOLE batch for a permanent reason (an all-or-nothing API such as Odoo's create
 * of a list, where one bad record rolls the call back), the batch is split in halves, and halves again,
 * until each refused record stands alone: its result carries the target's error, every other record is
 * written. Connectors do not isolate on their own: they refuse the batch (throw) or answer per record.
 * A transient failure is not isolated: it propagates, and the retry policy (retry-policy.ts) applies.
 */
import type { Connector, WriteContext, WriteOp, WriteResult } from '../../connectors/contract.js';
import type { EntityType } from '../../model/entities.js';
import { toSyncError } from '../../shared/errors.js';

export async function writeBatches<E extends EntityType>(conn: Pick<Connector, 'name' | 'write'>, entity: E, ops: WriteOp<E>[], ctx: WriteContext, batchSize: number): Promise<WriteResult[]> {
  const results: WriteResult[] = [];
  for (let i = 0; i < ops.length; i += batchSize) {
    results.push(...(await writeIsolatingRefusals(conn, entity, ops.slice(i, i + batchSize), ctx)));
  }
  return results;
}

async function writeIsolatingRefusals<E extends EntityType>(conn: Pick<Connector, 'name' | 'write'>, entity: E, ops: WriteOp<E>[], ctx: WriteContext): Promise<WriteResult[]> {
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
    const left = await writeIsolatingRefusals(conn, entity, ops.slice(0, mid), ctx);
    const right = await writeIsolatingRefusals(conn, entity, ops.slice(mid), ctx);
    return [...left, ...right];
  }
}
