/**
 * The one bad-record isolation of Tandem. Writes go to the target in batches of the flow's batch size;
 * when the target refuses a WHOLE batch for a permanent reason (an all-or-nothing API such as Odoo's create
 * of a list, where one bad record rolls the call back), the batch is split in halves, and halves again,
 * until each refused record stands alone: its result carries the target's error, every other record is
 * written. Connectors do not isolate on their own: they refuse the batch (throw) or answer per record.
 * A transient failure is not isolated: it propagates, and the retry policy (retry-policy.ts) applies.
 *
 * The batch size is a number, or the target's adaptive write size (adaptive-write-size.ts): then each write
 * takes the size of the moment, and tells it how long it took, or that it failed for the system's load.
 */
import type { Connector, WriteContext, WriteOp, WriteResult } from '../../connectors/contract.js';
import type { EntityType } from '../../model/entities.js';
import { toSyncError, type ErrorKind } from '../../shared/errors.js';
import type { AdaptiveWriteSize } from './adaptive-write-size.js';

/** Failures that say the system is overloaded (a timeout, a 5xx, a 429, a lost connection): a smaller write next. */
const OVERLOAD: ReadonlySet<ErrorKind> = new Set<ErrorKind>(['unavailable', 'rate_limited', 'network']);

export async function writeBatches<E extends EntityType>(
  conn: Pick<Connector, 'name' | 'write'>,
  entity: E,
  ops: WriteOp<E>[],
  ctx: WriteContext,
  batchSize: number | AdaptiveWriteSize,
): Promise<WriteResult[]> {
  const results: WriteResult[] = [];
  for (let i = 0; i < ops.length; ) {
    const chunk = ops.slice(i, i + chunkSize(batchSize, ops.length - i));
    i += chunk.length;
    results.push(...(typeof batchSize === 'number' ? await writeIsolatingRefusals(conn, entity, chunk, ctx) : await writeMeasured(conn, entity, chunk, ctx, batchSize)));
  }
  return results;
}

/**
 * Records in the next write: a fixed size is a hard limit; an adaptive one is a target, so a group of pages
 * a little over it (pages of 200 gathered for 500: 600) goes in one write rather than 500 + 100, within
 * its bounds.
 */
function chunkSize(batchSize: number | AdaptiveWriteSize, left: number): number {
  if (typeof batchSize === 'number') return Math.max(1, batchSize);
  const size = batchSize.size;
  return left <= Math.min(batchSize.max, Math.floor(size * 1.25)) ? left : size;
}

/** One write (its isolation of refused records included), its time or its overload told to the adaptive size. */
async function writeMeasured<E extends EntityType>(conn: Pick<Connector, 'name' | 'write'>, entity: E, ops: WriteOp<E>[], ctx: WriteContext, sizer: AdaptiveWriteSize): Promise<WriteResult[]> {
  const started = performance.now();
  let refused = false;
  let results: WriteResult[];
  try {
    results = await writeIsolatingRefusals(conn, entity, ops, ctx, () => {
      refused = true;
    });
  } catch (e) {
    if (OVERLOAD.has(toSyncError(e).kind)) sizer.overloaded(ops.length);
    throw e;
  }
  // a write whose list was refused took the time of its halves too: it says nothing about the size
  if (!refused) sizer.observe(ops.length, performance.now() - started);
  return results;
}

async function writeIsolatingRefusals<E extends EntityType>(conn: Pick<Connector, 'name' | 'write'>, entity: E, ops: WriteOp<E>[], ctx: WriteContext, onRefused?: () => void): Promise<WriteResult[]> {
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
    onRefused?.();
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
