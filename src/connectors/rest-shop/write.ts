/**
 * Batched writes: `POST <path>/batch {items:[…]}` (≤ 100 items per request) → `{data:[{status, id, data
 * | message, errors}]}`, one result per item in request order. An item with an `id` updates, one without
 * creates. A refused item fails alone; only a failure of the whole request throws.
 */
import type { CanonicalByEntity } from '../../model/index.js';
import { SyncError, toSyncError } from '../../shared/errors.js';
import { stockId, type WriteContext, type WriteOp, type WriteResult } from '../contract.js';
import type { RestShopContext } from './context.js';
import { errorFromStatus, SYSTEM } from './errors.js';
import { categoryToWire, customerToWire, priceToWire, productToWire, stockToWire, type WriteMapContext } from './map-write.js';
import { setPath } from './set-path.js';
import type { CompiledShape, ShopEntity } from './shapes.js';
import { arr, idStr, obj } from './wire-values.js';

export const BATCH_LIMIT = 100;

export type WriteDeps = Pick<RestShopContext, 'transport' | 'currency'>;

type Item = Record<string, unknown>;

function contractItem(entity: ShopEntity, op: WriteOp, ctx: WriteMapContext): Item {
  const rec = op.record as CanonicalByEntity[ShopEntity];
  switch (entity) {
    case 'product':
      return productToWire(rec as CanonicalByEntity['product'], op as WriteOp<'product'>, ctx) as unknown as Item;
    case 'customer':
      return customerToWire(rec as CanonicalByEntity['customer'], op as WriteOp<'customer'>) as unknown as Item;
    case 'category':
      return categoryToWire(rec as CanonicalByEntity['category'], op as WriteOp<'category'>, ctx) as Item;
    case 'price':
      return priceToWire(rec as CanonicalByEntity['price'], ctx) as unknown as Item;
    case 'stock':
      return stockToWire(rec as CanonicalByEntity['stock']) as unknown as Item;
    case 'order':
      throw new SyncError('invalid_data', 'orders are placed in the shop; use the order actions (status, shipments, refunds) instead of writes', { system: SYSTEM, entity });
  }
}

const NEEDS_ID: ReadonlySet<ShopEntity> = new Set(['product', 'customer', 'category']);

async function buildItem(shape: CompiledShape, op: WriteOp, ctx: WriteMapContext): Promise<Item> {
  const entity = shape.entity;
  if (op.kind === 'delete') {
    if (entity === 'product' && op.targetId) return { id: op.targetId, active: false };
    throw new SyncError('invalid_data', `deleting a ${entity} is not part of the REST shop contract${entity === 'product' ? ' (a product is archived with active=false; this op has no targetId)' : ''}`, { system: SYSTEM, entity, record: op.key });
  }
  if (op.kind === 'update' && NEEDS_ID.has(entity) && !op.targetId) {
    throw new SyncError('invalid_data', `update of ${entity} ${op.key} has no targetId (the shop's id)`, { system: SYSTEM, entity, record: op.key });
  }
  const contract = contractItem(entity, op, ctx);
  let item: Item = contract;
  if (shape.write) {
    item = {};
    for (const rule of shape.write) {
      const v: unknown = await rule.expr.evaluate(op.record, { contract });
      if (v !== undefined) setPath(item, rule.segments, JSON.parse(JSON.stringify(v)) as unknown);
    }
  }
  if (op.kind === 'update' && op.targetId && NEEDS_ID.has(entity) && item.id === undefined) item = { id: op.targetId, ...item };
  return item;
}

function resultId(entity: ShopEntity, item: Item, res: Item): string | undefined {
  if (entity === 'stock') return stockId(String(item.sku), String(item.location ?? 'default'));
  if (entity === 'price') return `${String(item.sku)}@${String(item.pricelist ?? 'default')}`;
  return idStr(res.id) ?? idStr(obj(res.data).id) ?? idStr(item.id);
}

function toResult(entity: ShopEntity, op: WriteOp, item: Item, res: unknown, name: string): WriteResult {
  const r = obj(res);
  const status = typeof r.status === 'number' ? r.status : 0;
  if (status >= 200 && status < 300) {
    const id = resultId(entity, item, r);
    if (id === undefined) {
      return { ok: false, key: op.key, error: new SyncError('invalid_data', `the shop accepted ${entity} ${op.key} but returned no id`, { system: SYSTEM, entity, record: op.key }) };
    }
    const result: WriteResult = { ok: true, key: op.key, id, created: status === 201 };
    if (entity === 'product') {
      const variants = arr(obj(r.data).variants).map(obj);
      result.childIds = Object.fromEntries(variants.filter((v) => idStr(v.id) && typeof v.sku === 'string').map((v) => [v.sku as string, idStr(v.id) as string]));
    }
    return result;
  }
  return { ok: false, key: op.key, error: errorFromStatus(status || 500, r, { name, entity, record: op.key }) };
}

export async function writeBatch(deps: WriteDeps, shape: CompiledShape, ops: WriteOp[], ctx: WriteContext): Promise<WriteResult[]> {
  const map: WriteMapContext = { currency: deps.currency, lookup: ctx.lookup };
  const results: Array<WriteResult | undefined> = new Array(ops.length);
  const pending: Array<{ index: number; item: Item }> = [];
  for (const [index, op] of ops.entries()) {
    try {
      pending.push({ index, item: await buildItem(shape, op, map) });
    } catch (e) {
      const err = toSyncError(e, 'mapping');
      results[index] = { ok: false, key: op.key, error: err.about({ entity: shape.entity, record: op.key }) };
    }
  }
  for (let i = 0; i < pending.length; i += BATCH_LIMIT) {
    const chunk = pending.slice(i, i + BATCH_LIMIT);
    const res = await deps.transport.json('POST', shape.writePath, { body: { items: chunk.map((c) => c.item) }, signal: ctx.signal, entity: shape.entity });
    const list = Array.isArray(res.body) ? res.body : arr(obj(res.body).data);
    if (list.length !== chunk.length) {
      throw new SyncError('invalid_data', `the shop answered ${list.length} results for ${chunk.length} items on POST ${shape.writePath}`, {
        system: SYSTEM,
        entity: shape.entity,
        hint: 'a batch endpoint must return one result per item, in order (docs/rest-shop.md)',
      });
    }
    chunk.forEach((c, j) => {
      const op = ops[c.index] as WriteOp;
      results[c.index] = toResult(shape.entity, op, c.item, list[j], deps.transport.name);
    });
  }
  return results as WriteResult[];
}
