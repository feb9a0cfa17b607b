/**
 * Writes a batch; when the target refuses the WHOLE batch for a permanent reason (Odoo's create of a
 * list is all-or-nothing), splits it in halves and retries until the bad records stand alone, so one
 * bad record never blocks the rest. Retryable failures propagate: the job is retried as a whole.
 */
import type { Connector, WriteContext, WriteOp, WriteResult } from '../connectors/contract.js';
import type { EntityType } from '../model/entities.js';
import { toSyncError, type SyncError } from '../shared/errors.js';

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

export interface RetryOptions {
  /** Tries in all (default 5). */
  attempts?: number;
  /** First backoff delay (default 250 ms), doubled each time; a Retry-After given by the system wins. */
  baseMs?: number;
  /** Longest single wait (default 60 s). */
  maxDelayMs?: number;
  signal?: AbortSignal;
  onRetry?: (err: SyncError, delayMs: number, attempt: number) => void;
}

/**
 * Runs `fn` again after a transient failure (retryable SyncError: rate limited, unavailable, conflict such
 * as Odoo's serialization failure, network), honouring the system's Retry-After. Permanent errors and the
 * last transient one are thrown. `fn` must be safe to repeat.
 */
export async function retryTransient<T>(fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const err = toSyncError(e);
      if (!err.retryable || attempt >= attempts || opts.signal?.aborted) throw e;
      const backoff = (opts.baseMs ?? 250) * 2 ** (attempt - 1);
      const delayMs = Math.min(Math.max(err.retryAfterMs ?? 0, backoff), opts.maxDelayMs ?? 60_000);
      opts.onRetry?.(err, delayMs, attempt);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        opts.signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
      opts.signal?.throwIfAborted();
    }
  }
}
