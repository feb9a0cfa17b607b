/**
 * The Odoo connector's records: read (change feeds, or every stock level on a full read), fetch by id,
 * find by natural key, write — per entity, each to its adapter file.
 */
import type { Batch, Cursor, NaturalKey, ReadOptions, SourceRecord, WriteContext, WriteOp, WriteResult } from '../contract.js';
import { naturalKeyString, stockId } from '../contract.js';
import type { EntityType } from '../../model/index.js';
import { unsupported } from '../module.js';
import { SYSTEM } from './errors.js';
import type { OdooContext } from './context.js';
import { readChanges, type Feed } from './changes.js';
import { findProducts, findProductsByName, findVariants, loadProducts, productFeeds } from './products-read.js';
import { writeProducts } from './products-write.js';
import { customerFeeds, findCustomers, loadCustomers, writeCustomers } from './customers.js';
import { writeCategories } from './categories.js';
import { fetchPrices, loadPriceKeys, priceFeeds, writePrices } from './prices.js';
import { categoryFeeds, invoiceFeeds, loadCategories, loadInvoices, loadOrders, loadShipments, orderFeeds, shipmentFeeds } from './records-read.js';
import { allStockRecords, applyCounts, fetchStock, loadStockRecords, stockFeeds, stockStartCursor } from './stock.js';
import { findOrderByNumber } from './order-actions.js';
import { chunks } from './values.js';
import { onlySellable, parentsFirst } from './category-order.js';

const LABEL = 'Odoo';
const DEFAULT_PAGE = 200;
const MAX_PAGE = 1000;

function numericIds(ids: string[]): number[] {
  return ids.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
}

type Loader = (env: OdooContext, ids: string[]) => Promise<SourceRecord[]>;
const LOADERS: Partial<Record<EntityType, { feeds: () => Feed[]; load: Loader }>> = {
  product: { feeds: productFeeds, load: (env, ids) => loadProducts(env, numericIds(ids)) },
  customer: { feeds: customerFeeds, load: (env, ids) => loadCustomers(env, numericIds(ids)) },
  category: { feeds: categoryFeeds, load: (env, ids) => loadCategories(env, numericIds(ids)) },
  price: { feeds: priceFeeds, load: (env, ids) => loadPriceKeys(env, ids) },
  order: { feeds: orderFeeds, load: (env, ids) => loadOrders(env, numericIds(ids)) },
  invoice: { feeds: invoiceFeeds, load: (env, ids) => loadInvoices(env, numericIds(ids)) },
  shipment: { feeds: shipmentFeeds, load: (env, ids) => loadShipments(env, numericIds(ids)) },
  stock: { feeds: stockFeeds, load: (env, ids) => loadStockRecords(env, numericIds(ids)) },
};

const refuse = (entity: string, what: string) => unsupported(SYSTEM, LABEL, entity, what);

export async function* readRecords<E extends EntityType>(env: OdooContext, entity: E, cursor: Cursor | null, opts: ReadOptions = {}): AsyncIterable<Batch<E>> {
  const l = LOADERS[entity];
  if (!l) throw refuse(entity, 'read');
  const pageSize = Math.min(Math.max(1, opts.pageSize ?? DEFAULT_PAGE), MAX_PAGE);
  if (entity === 'stock' && cursor === null) {
    // Full read: every storable SKU × stock location; the cursor then follows quant changes.
    const start = await stockStartCursor(env);
    const all = await allStockRecords(env);
    const parts = chunks(all, pageSize);
    if (parts.length === 0) yield { records: [], cursor: start, total: 0 } as Batch<E>;
    for (const part of parts) yield { records: part, cursor: start, total: all.length } as unknown as Batch<E>;
    return;
  }
  const changes = readChanges<E>({
    transport: env.t,
    feeds: l.feeds(),
    cursor,
    overlapSeconds: env.overlapSeconds,
    pageSize,
    signal: opts.signal,
    load: ((ids: string[]) => l.load(env, ids)) as (ids: string[]) => Promise<SourceRecord<E>[]>,
  });
  yield* parentsFirst(entity, cursor, entity === 'category' && opts.categories === 'sellable' ? onlySellable(env, changes) : changes);
}

export async function fetchRecords<E extends EntityType>(env: OdooContext, entity: E, ids: string[]): Promise<SourceRecord<E>[]> {
  if (ids.length === 0) return [];
  if (entity === 'stock') return (await fetchStock(env, ids)) as SourceRecord<E>[];
  if (entity === 'price') return (await fetchPrices(env, ids)) as SourceRecord<E>[];
  const l = LOADERS[entity];
  if (!l) throw refuse(entity, 'fetch');
  return (await l.load(env, ids)) as SourceRecord<E>[];
}

export async function findByNaturalKey(env: OdooContext, entity: EntityType, keys: NaturalKey[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const byType = new Map<string, string[]>();
  for (const k of keys) {
    const list = byType.get(k.type);
    if (list) list.push(k.value);
    else byType.set(k.type, [k.value]);
  }
  if (entity === 'product') {
    // SKUs and barcodes in one search; names (if asked) in another
    const other = [...byType.keys()].find((t) => t !== 'sku' && t !== 'barcode' && t !== 'name');
    if (other) throw refuse(entity, `look up by ${other}`);
    const codes = await findProducts(env, byType.get('sku') ?? [], byType.get('barcode') ?? []);
    const byName = await findProductsByName(env, byType.get('name') ?? []);
    for (const [type, found] of [['sku', codes.sku], ['barcode', codes.barcode], ['name', byName]] as const) {
      for (const v of byType.get(type) ?? []) {
        const hit = found.get(v);
        if (hit && hit.length) out.set(naturalKeyString({ type, value: v }), hit);
      }
    }
    return out;
  }
  for (const [type, values] of byType) {
    let found: Map<string, string[]>;
    if ((entity === 'price' || entity === 'stock') && type === 'sku') found = await findVariants(env, values);
    else if (entity === 'customer') found = await findCustomers(env, type, values);
    else if (entity === 'order' && (type === 'number' || type === 'name')) {
      found = new Map();
      for (const v of values) {
        const o = await findOrderByNumber(env, v);
        if (o) found.set(v, [o.id]);
      }
    } else if (entity === 'category' && type === 'name') {
      const rows = await env.t.call<Array<{ id: number; name: string }>>('product.category', 'search_read', { kwargs: { domain: [['name', 'in', values]], fields: ['name'] } });
      found = new Map();
      for (const r of rows) found.set(r.name, [...(found.get(r.name) ?? []), String(r.id)]);
    } else throw refuse(entity, `look up by ${type}`);
    for (const v of values) {
      const hit = found.get(v);
      if (hit && hit.length) out.set(naturalKeyString({ type: type as NaturalKey['type'], value: v }), hit);
    }
  }
  return out;
}

export async function writeRecords<E extends EntityType>(env: OdooContext, entity: E, ops: WriteOp<E>[], ctx: WriteContext): Promise<WriteResult[]> {
  if (ops.length === 0) return [];
  switch (entity) {
    case 'product':
      return writeProducts(env, ops as WriteOp<'product'>[], ctx);
    case 'customer':
      return writeCustomers(env, ops as WriteOp<'customer'>[]);
    case 'category':
      return writeCategories(env, ops as WriteOp<'category'>[], ctx);
    case 'price':
      return writePrices(env, ops as WriteOp<'price'>[]);
    case 'stock': {
      const levels = (ops as WriteOp<'stock'>[]).map((o) => ({ sku: o.record.sku, location: o.record.location, onHand: o.record.onHand }));
      const errors = await applyCounts(env, levels);
      return levels.map((l, i) => {
        const error = errors.get(i);
        return error ? { ok: false as const, key: ops[i]!.key, error } : { ok: true as const, key: ops[i]!.key, id: stockId(l.sku, l.location), created: false };
      });
    }
    default:
      throw refuse(entity, 'write');
  }
}

