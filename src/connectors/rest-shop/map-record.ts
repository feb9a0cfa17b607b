/**
 * One shop record → SourceRecord: contract reader, then the configured JSONata overrides, then the
 * canonical schema. A record that does not fit fails alone (SourceRecord.error), naming the field.
 */
import { SCHEMAS, parseCanonical, type CanonicalByEntity, type OrderStatus } from '../../model/index.js';
import { SyncError } from '../../shared/errors.js';
import { stockId, type SourceRecord } from '../contract.js';
import { toUtcIso, type Keyset } from './keyset.js';
import { categoryFromWire, customerFromWire, priceFromWire, productFromWire, stockFromWire } from './map-read.js';
import { orderFromWire } from './map-order-read.js';
import { setPath } from './set-path.js';
import type { CompiledShape, ShopEntity } from './shapes.js';
import { SYSTEM } from './errors.js';
import { idStr, obj, type Obj } from './wire-values.js';

export interface MapperContext {
  currency: string;
  statuses: Record<string, OrderStatus>;
}

export interface MappedRecord<E extends ShopEntity> {
  record: SourceRecord<E>;
  /** Position of this record in the shop's change feed (shop id + updated_at as sent). */
  keyset: Keyset | null;
}

/** Canonical fields that hold lists: a JSONata result of one element is wrapped back into a list. */
const TOP_LISTS = new Set(['variants', 'categoryIds', 'attributes', 'addresses', 'lines', 'shipping', 'discounts', 'taxes', 'shipments', 'refunds']);
const NESTED_LISTS = new Set(['values', 'lines']);

function contractReader(entity: ShopEntity, raw: unknown, ctx: MapperContext): Obj {
  switch (entity) {
    case 'category':
      return categoryFromWire(raw);
    case 'product':
      return productFromWire(raw, ctx);
    case 'price':
      return priceFromWire(raw, ctx);
    case 'customer':
      return customerFromWire(raw);
    case 'order':
      return orderFromWire(raw, ctx);
    case 'stock':
      return stockFromWire(raw);
  }
}

/** Fills what JSONata results leave loose: currency on money, numbers as decimal strings, lists. */
function tidy(value: unknown, key: string | null, depth: number, currency: string): unknown {
  if (Array.isArray(value)) return value.map((v) => tidy(v, null, depth + 1, currency));
  if (value !== null && typeof value === 'object') {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value as Obj)) {
      const t = tidy(v, k, depth + 1, currency);
      const list = depth === 0 ? TOP_LISTS.has(k) : NESTED_LISTS.has(k);
      out[k] = list && t !== null && t !== undefined && !Array.isArray(t) ? [t] : t;
    }
    if ('amount' in out) {
      if (typeof out.amount === 'number') out.amount = String(out.amount);
      if (out.currency === undefined) out.currency = currency;
    }
    return out;
  }
  return key === 'amount' && typeof value === 'number' ? String(value) : value;
}

function schemaError(entity: ShopEntity, id: string, issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): SyncError {
  const first = issues[0];
  const field = first?.path.map(String).join('.') ?? '';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new SyncError('mapping', `${field ? `${field}: ` : ''}${first?.message ?? 'invalid'}${more}`, {
    system: SYSTEM,
    entity,
    record: id,
    field: field || undefined,
    hint: 'the shop\'s record does not fit the REST shop contract: fix the record, or map the field in systems.<name>.entities.' + entity + '.fields',
  });
}

/**
 * Maps one record. A shape without JSONata expressions (the contract's own field names) is mapped without
 * awaiting anything: the result is returned as is, not as a promise (read pages map 500 records at a time).
 */
export function mapRecord<E extends ShopEntity>(entity: E, raw: unknown, shape: CompiledShape, ctx: MapperContext): MappedRecord<E> | Promise<MappedRecord<E>> {
  if (shape.id || shape.updatedAt || shape.fields.length > 0) return mapWithExpressions(entity, raw, shape, ctx);
  const r = obj(raw);
  let candidate: Obj;
  try {
    candidate = contractReader(entity, raw, ctx);
  } catch (e) {
    return mappingFailed(entity, raw, idStr(r.id), e);
  }
  return validate(entity, raw, shape, ctx, idStr(r.id), r.updated_at, candidate);
}

async function mapWithExpressions<E extends ShopEntity>(entity: E, raw: unknown, shape: CompiledShape, ctx: MapperContext): Promise<MappedRecord<E>> {
  const r = obj(raw);
  let shopId: string | undefined;
  let updatedRaw: unknown;
  let candidate: Obj;
  try {
    shopId = idStr(shape.id ? await shape.id.evaluate(raw) : r.id);
    updatedRaw = shape.updatedAt ? await shape.updatedAt.evaluate(raw) : r.updated_at;
    candidate = contractReader(entity, raw, ctx);
    for (const rule of shape.fields) {
      const v: unknown = await rule.expr.evaluate(raw);
      if (v !== undefined) setPath(candidate, rule.segments, JSON.parse(JSON.stringify(v)) as unknown);
    }
  } catch (e) {
    return mappingFailed(entity, raw, shopId, e);
  }
  return validate(entity, raw, shape, ctx, shopId, updatedRaw, candidate);
}

function mappingFailed<E extends ShopEntity>(entity: E, raw: unknown, shopId: string | undefined, e: unknown): MappedRecord<E> {
  const id = shopId ?? '?';
  const err = e instanceof SyncError ? e : new SyncError('mapping', `JSONata: ${(e as Error).message}`, { system: SYSTEM, entity, record: id });
  return { record: { entity, id, updatedAt: null, raw, error: err }, keyset: null };
}

function validate<E extends ShopEntity>(entity: E, raw: unknown, shape: CompiledShape, ctx: MapperContext, shopId: string | undefined, updatedRaw: unknown, candidate: Obj): MappedRecord<E> {
  const r = obj(raw);
  const updatedAt = toUtcIso(updatedRaw);
  const keyset = shopId !== undefined && typeof updatedRaw === 'string' ? { since: updatedRaw, id: shopId } : null;
  const parsed = parseCanonical(SCHEMAS[entity], shape.fields.length > 0 ? tidy(candidate, null, 0, ctx.currency) : candidate);
  if (!parsed.success) {
    const id = shopId ?? '?';
    const failed: SourceRecord<E> = { entity, id, updatedAt, raw, error: schemaError(entity, id, parsed.error.issues) };
    if (r.deleted_at) failed.deleted = true;
    return { record: failed, keyset };
  }
  const data = parsed.data as CanonicalByEntity[E];
  const record: SourceRecord<E> = { entity, id: recordId(entity, data, shopId), updatedAt, data, raw };
  if (r.deleted_at) record.deleted = true;
  if (entity === 'product') {
    const variants = (data as CanonicalByEntity['product']).variants;
    record.childIds = Object.fromEntries(variants.filter((v) => v.id !== undefined).map((v) => [v.sku, v.id as string]));
  }
  return { record, keyset };
}

/** Stock and prices are known by "<sku>@<location|pricelist>", everything else by the shop's id. */
function recordId(entity: ShopEntity, data: CanonicalByEntity[ShopEntity], shopId: string | undefined): string {
  if (entity === 'stock') {
    const s = data as CanonicalByEntity['stock'];
    return stockId(s.sku, s.location);
  }
  if (entity === 'price') {
    const p = data as CanonicalByEntity['price'];
    return `${p.sku}@${p.pricelist}`;
  }
  return shopId ?? '?';
}
