/** The batch endpoints' contract: ≤100 items; each item succeeds or becomes {id, error} in place. */
import { WpError } from './respond.js';

export interface BatchHandlers {
  create: (item: Record<string, unknown>) => Record<string, unknown>;
  update: (item: Record<string, unknown>) => Record<string, unknown>;
  delete: (id: number) => Record<string, unknown>;
}

export const BATCH_LIMIT = 100;

function errorOf(e: unknown): Record<string, unknown> {
  if (e instanceof WpError) return e.toBody();
  return { code: 'internal_error', message: (e as Error).message, data: { status: 500 } };
}

export function batchItems(body: Record<string, unknown>, h: BatchHandlers): Record<string, unknown> {
  const create = Array.isArray(body.create) ? (body.create as Record<string, unknown>[]) : [];
  const update = Array.isArray(body.update) ? (body.update as Record<string, unknown>[]) : [];
  const del = Array.isArray(body.delete) ? (body.delete as unknown[]) : [];
  if (create.length + update.length + del.length > BATCH_LIMIT) {
    throw new WpError('woocommerce_rest_request_entity_too_large', `Unable to accept more than ${BATCH_LIMIT} items for this request.`, 413);
  }
  const out: Record<string, unknown> = {};
  if (body.create !== undefined) {
    out.create = create.map((item) => {
      try {
        return h.create(item ?? {});
      } catch (e) {
        return { id: 0, error: errorOf(e) };
      }
    });
  }
  if (body.update !== undefined) {
    out.update = update.map((item) => {
      try {
        return h.update(item ?? {});
      } catch (e) {
        return { id: Number(item?.id ?? 0), error: errorOf(e) };
      }
    });
  }
  if (body.delete !== undefined) {
    out.delete = del.map((raw) => {
      const id = Number(typeof raw === 'object' && raw ? (raw as { id?: unknown }).id : raw);
      try {
        return h.delete(id);
      } catch (e) {
        return { id, error: errorOf(e) };
      }
    });
  }
  return out;
}
