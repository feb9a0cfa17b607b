/** WooCommerce batch endpoints: ≤100 items per call; a failing item comes back as {id, error} in place. */
import { SyncError } from '../../shared/errors.js';
import type { WooContext } from './context.js';
import { SYSTEM, errorFromWoo, isWooError, statusOf } from './errors.js';

export const BATCH_MAX = 100;

export type BatchItem = { ok: true; id: number; body: Record<string, unknown> } | { ok: false; id: number; error: SyncError };

export interface BatchInput {
  create?: Array<Record<string, unknown>>;
  update?: Array<Record<string, unknown>>;
  delete?: number[];
}

export interface BatchOutput {
  create: BatchItem[];
  update: BatchItem[];
  delete: BatchItem[];
}

function item(raw: unknown, entity: string): BatchItem {
  if (!raw || typeof raw !== 'object') return { ok: false, id: 0, error: new SyncError('unavailable', 'WooCommerce returned no result for this batch item', { system: SYSTEM, entity }) };
  const r = (raw ?? {}) as Record<string, unknown>;
  const id = Number(r.id ?? 0);
  if (isWooError(r.error)) return { ok: false, id, error: errorFromWoo(r.error, statusOf(r.error.data) ?? 400, { entity, record: id ? String(id) : undefined }) };
  return { ok: true, id, body: r };
}

/** Sends create/update/delete in as few calls as the 100-item limit allows; results keep input order. */
export async function runBatch(ctx: WooContext, path: string, input: BatchInput, entity: string, signal?: AbortSignal): Promise<BatchOutput> {
  const queue: Array<['create' | 'update' | 'delete', unknown]> = [
    ...(input.create ?? []).map((x) => ['create', x] as ['create', unknown]),
    ...(input.update ?? []).map((x) => ['update', x] as ['update', unknown]),
    ...(input.delete ?? []).map((x) => ['delete', x] as ['delete', unknown]),
  ];
  const out: BatchOutput = { create: [], update: [], delete: [] };
  for (let i = 0; i < queue.length; i += BATCH_MAX) {
    const chunk = queue.slice(i, i + BATCH_MAX);
    const body: Record<string, unknown[]> = {};
    for (const [kind, x] of chunk) (body[kind] ??= []).push(x);
    const res = await ctx.transport.request<Record<string, unknown[]>>('POST', path, { body, signal, entity });
    for (const kind of ['create', 'update', 'delete'] as const) {
      const sent = body[kind]?.length ?? 0;
      const got = Array.isArray(res.data[kind]) ? res.data[kind] : [];
      for (let j = 0; j < sent; j += 1) out[kind].push(item(got[j], entity));
    }
  }
  return out;
}
