/**
 * The Odoo connector (ERP role): Odoo 16–19 over JSON-RPC or JSON-2 (transport.ts), entity adapters,
 * order/fulfilment/finance actions and stock. Wiring only; the work is in the files it imports.
 */
import type { Batch, Cursor, ErpConnector, ErpOrderActions, NaturalKey, ReadOptions, SourceRecord, WriteContext, WriteOp, WriteResult } from '../contract.js';
import { naturalKeyString, stockId } from '../contract.js';
import type { ConnectorDeps } from '../deps.js';
import type { EntityType } from '../../model/index.js';
import { SyncError } from '../../shared/errors.js';
import { RateLimiter } from '../../shared/rate-limit.js';
import { parseInterval } from '../../config/duration.js';
import type { OdooSettings } from './settings.js';
import { OdooTransport } from './transport.js';
import { OdooLookups } from './lookups.js';
import { SYSTEM } from './errors.js';
import { traitsOf, type OdooEnv } from './env.js';
import type { OdooTraits } from './versions.js';
import { readChanges, type Feed } from './changes.js';
import { checkOdoo } from './check.js';
import { findProducts, loadProducts, productFeeds } from './products-read.js';
import { writeProducts } from './products-write.js';
import { customerFeeds, findCustomers, loadCustomers, writeCustomers } from './customers.js';
import { writeCategories } from './categories.js';
import { fetchPrices, loadPriceKeys, priceFeeds, writePrices } from './prices.js';
import { categoryFeeds, invoiceFeeds, loadCategories, loadInvoices, loadOrders, loadShipments, orderFeeds, shipmentFeeds } from './records-read.js';
import { allStockRecords, applyCounts, fetchStock, loadStockRecords, stockActions, stockFeeds, stockStartCursor } from './stock.js';
import * as orders from './order-actions.js';
import { listChangedOrders } from './orders-feed.js';
import { createReturn, listShipments, validateDelivery } from './delivery-actions.js';
import { createCreditNote, createInvoice, listInvoices, registerPayment } from './invoice-actions.js';
import { chunks } from './values.js';
import { onlySellable, parentsFirst } from './category-order.js';

export type { OdooSettings };
export { OdooTransport };

const DEFAULT_PAGE = 200;
const MAX_PAGE = 1000;

function numericIds(ids: string[]): number[] {
  return ids.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
}

export function createOdooConnector(name: string, settings: OdooSettings, deps: ConnectorDeps): ErpConnector {
  const log = deps.log.child({ system: SYSTEM, connector: name });
  const t = new OdooTransport({
    url: settings.url,
    db: settings.db,
    user: settings.user,
    apiKey: settings.apiKey,
    protocol: settings.protocol ?? 'auto',
    version: settings.version ?? 'auto',
    company: settings.company,
    lang: settings.lang ?? 'en_US',
    tz: settings.tz ?? 'UTC',
    timeoutMs: parseInterval(settings.timeout ?? '30s') ?? 30_000,
    limiter: settings.rateLimit ? new RateLimiter(settings.rateLimit.perSecond, settings.rateLimit.burst) : undefined,
    fetch: deps.fetch,
    observe: deps.observe,
    log,
  });
  const lookups = new OdooLookups(t, { company: settings.company, warehouse: settings.warehouse });
  // version traits + what this database has installed (asked once; a failed probe is asked again)
  let traits: Promise<OdooTraits> | undefined;
  const loadTraits = (): Promise<OdooTraits> => {
    traits ??= Promise.all([traitsOf(t), lookups.modules()]).then(([v, m]) => ({ ...v, delivery: m.delivery }));
    traits.catch(() => (traits = undefined));
    return traits;
  };
  const env: OdooEnv = {
    name,
    t,
    lookups,
    log,
    overlapSeconds: Math.round((parseInterval(settings.readOverlap ?? '5m') ?? 300_000) / 1000),
    invoicePolicy: settings.invoicePolicy ?? 'order',
    orderRefPrefix: settings.orderReferencePrefix ?? (deps.shopName ? `${deps.shopName}-` : ''),
    traits: loadTraits,
  };

  type Loader = (ids: string[]) => Promise<SourceRecord[]>;
  const loaders: Partial<Record<EntityType, { feeds: () => Feed[]; load: Loader }>> = {
    product: { feeds: productFeeds, load: (ids) => loadProducts(env, numericIds(ids)) },
    customer: { feeds: customerFeeds, load: (ids) => loadCustomers(env, numericIds(ids)) },
    category: { feeds: categoryFeeds, load: (ids) => loadCategories(env, numericIds(ids)) },
    price: { feeds: priceFeeds, load: (ids) => loadPriceKeys(env, ids) },
    order: { feeds: orderFeeds, load: (ids) => loadOrders(env, numericIds(ids)) },
    invoice: { feeds: invoiceFeeds, load: (ids) => loadInvoices(env, numericIds(ids)) },
    shipment: { feeds: shipmentFeeds, load: (ids) => loadShipments(env, numericIds(ids)) },
    stock: { feeds: stockFeeds, load: (ids) => loadStockRecords(env, numericIds(ids)) },
  };

  const unsupported = (entity: string, what: string) =>
    new SyncError('config', `the Odoo connector does not ${what} ${entity} records`, { system: SYSTEM, entity, hint: 'check the flow configuration: direction and entity' });

  async function* read<E extends EntityType>(entity: E, cursor: Cursor | null, opts: ReadOptions = {}): AsyncIterable<Batch<E>> {
    const l = loaders[entity];
    if (!l) throw unsupported(entity, 'read');
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
      transport: t,
      feeds: l.feeds(),
      cursor,
      overlapSeconds: env.overlapSeconds,
      pageSize,
      signal: opts.signal,
      load: l.load as (ids: string[]) => Promise<SourceRecord<E>[]>,
    });
    yield* parentsFirst(entity, cursor, entity === 'category' && opts.categories === 'sellable' ? onlySellable(env, changes) : changes);
  }

  async function fetchRecords<E extends EntityType>(entity: E, ids: string[]): Promise<SourceRecord<E>[]> {
    if (ids.length === 0) return [];
    if (entity === 'stock') return (await fetchStock(env, ids)) as SourceRecord<E>[];
    if (entity === 'price') return (await fetchPrices(env, ids)) as SourceRecord<E>[];
    const l = loaders[entity];
    if (!l) throw unsupported(entity, 'fetch');
    return (await l.load(ids)) as SourceRecord<E>[];
  }

  async function findByNaturalKey(entity: EntityType, keys: NaturalKey[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    const byType = new Map<string, string[]>();
    for (const k of keys) {
      const list = byType.get(k.type);
      if (list) list.push(k.value);
      else byType.set(k.type, [k.value]);
    }
    for (const [type, values] of byType) {
      let found: Map<string, string[]>;
      if (entity === 'product') found = await findProducts(env, type, values);
      else if (entity === 'customer') found = await findCustomers(env, type, values);
      else if (entity === 'order' && (type === 'number' || type === 'name')) {
        found = new Map();
        for (const v of values) {
          const o = await orders.findOrderByNumber(env, v);
          if (o) found.set(v, [o.id]);
        }
      } else if (entity === 'category' && type === 'name') {
        const rows = await t.call<Array<{ id: number; name: string }>>('product.category', 'search_read', { kwargs: { domain: [['name', 'in', values]], fields: ['name'] } });
        found = new Map();
        for (const r of rows) found.set(r.name, [...(found.get(r.name) ?? []), String(r.id)]);
      } else throw unsupported(entity, `look up by ${type}`);
      for (const v of values) {
        const hit = found.get(v);
        if (hit && hit.length) out.set(naturalKeyString({ type: type as NaturalKey['type'], value: v }), hit);
      }
    }
    return out;
  }

  async function write<E extends EntityType>(entity: E, ops: WriteOp<E>[], ctx: WriteContext): Promise<WriteResult[]> {
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
        throw unsupported(entity, 'write');
    }
  }

  const orderActions: ErpOrderActions = {
    resolveProducts: (skus) => orders.resolveProducts(env, skus),
    resolveCarrier: (n) => orders.resolveCarrier(env, n),
    resolveTaxes: (names) => orders.resolveTaxes(env, names),
    findSaleTaxes: (q) => orders.findSaleTaxes(env, q),
    listChangedOrders: (cursor, opts) => listChangedOrders(env, cursor, opts),
    findOrderByNumber: (n, opts) => orders.findOrderByNumber(env, n, opts),
    discardDraftOrder: (id) => orders.discardDraftOrder(env, id),
    createOrder: (input) => orders.createOrder(env, input),
    getOrder: (id) => orders.orderState(env, id),
    addOrderLines: (id, lines) => orders.addOrderLines(env, id, lines),
    confirmOrder: (id) => orders.confirmOrder(env, id),
    cancelOrder: (id) => orders.cancelOrder(env, id),
    listShipments: (id) => listShipments(env, id),
    validateDelivery: (id, opts) => validateDelivery(env, id, opts),
    createInvoice: (id) => createInvoice(env, id),
    listInvoices: (id) => listInvoices(env, id),
    registerPayment: (id, p) => registerPayment(env, id, p),
    createReturn: (id, lines, opts) => createReturn(env, id, lines, opts),
    createCreditNote: (id, opts) => createCreditNote(env, id, opts),
  };

  return {
    name,
    type: 'odoo',
    role: 'erp',
    entities: {
      product: { read: true, write: true, webhook: false },
      category: { read: true, write: true, webhook: false },
      price: { read: true, write: true, webhook: false },
      customer: { read: true, write: true, webhook: false },
      order: { read: true, write: false, webhook: false },
      stock: { read: true, write: true, webhook: false },
      invoice: { read: true, write: false, webhook: false },
      shipment: { read: true, write: false, webhook: false },
    },
    // Odoo has no per-variant "sale price" outside pricelists and no company on child addresses.
    unsupportedFields: { product: ['variants.salePrice'], price: ['sale'], customer: ['addresses.company'] },
    check: (needs) => checkOdoo(env, settings.url, needs),
    read,
    fetch: fetchRecords,
    findByNaturalKey,
    write,
    orders: orderActions,
    stock: stockActions(env),
    async close() {
      /* fetch's connection pool is process-wide; nothing to release per connector */
    },
  };
}
