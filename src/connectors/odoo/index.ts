/**
 * The Odoo connector (ERP role): Odoo 16–19 over JSON-RPC or JSON-2 (transport.ts), entity adapters,
 * order/fulfilment/finance actions and stock. Wiring only; the work is in the files it imports.
 */
import type { ErpConnector, ErpOrderActions } from '../contract.js';
import type { ConnectorDeps } from '../deps.js';
import { RateLimiter } from '../../shared/rate-limit.js';
import { parseInterval } from '../../shared/interval.js';
import { concurrencyLimit } from '../../shared/http.js';
import { connectorLog, parseSettings } from '../module.js';
import { OdooSettings } from './settings.js';
import { OdooTransport } from './transport.js';
import { OdooLookups } from './lookups.js';
import { SYSTEM } from './errors.js';
import { traitsOf, type OdooContext } from './context.js';
import type { OdooTraits } from './versions.js';
import { checkOdoo } from './check.js';
import { fetchRecords, findByNaturalKey, readRecords, writeRecords } from './records.js';
import { stockActions } from './stock.js';
import * as orders from './order-actions.js';
import { listChangedOrders } from './orders-feed.js';
import { createReturn, listShipments, validateDelivery } from './delivery-actions.js';
import { createCreditNote, createInvoice, listInvoices, registerPayment } from './invoice-actions.js';

export type { OdooSettings };
export { OdooTransport };

export function createOdooConnector(name: string, given: OdooSettings, deps: ConnectorDeps): ErpConnector {
  const settings = parseSettings(OdooSettings, name, given, 'fix the odoo settings in tandem.yaml (docs/configuration.md)');
  const log = connectorLog(deps.log, name, SYSTEM);
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
    concurrency: concurrencyLimit(SYSTEM, settings.concurrency),
    fetch: deps.fetch,
    observe: deps.observe,
    log,
  });
  const lookups = new OdooLookups(t, { company: settings.company, warehouse: settings.warehouse, stockLocations: deps.stockLocations ?? [] });
  // version traits + what this database has installed (asked once; a failed probe is asked again)
  let traits: Promise<OdooTraits> | undefined;
  const loadTraits = (): Promise<OdooTraits> => {
    traits ??= Promise.all([traitsOf(t), lookups.modules()]).then(([v, m]) => ({ ...v, delivery: m.delivery }));
    traits.catch(() => (traits = undefined));
    return traits;
  };
  const env: OdooContext = {
    name,
    t,
    lookups,
    log,
    overlapSeconds: Math.round((parseInterval(settings.readOverlap ?? '5m') ?? 300_000) / 1000),
    invoicePolicy: settings.invoicePolicy ?? 'order',
    productChatter: settings.productChatter ?? false,
    orderRefPrefix: settings.orderReferencePrefix ?? (deps.shopName ? `${deps.shopName}-` : ''),
    traits: loadTraits,
  };

  const orderActions: ErpOrderActions = {
    resolveProducts: (skus) => orders.resolveProducts(env, skus),
    resolveCarrier: (n) => orders.resolveCarrier(env, n),
    resolveTaxes: (names) => orders.resolveTaxes(env, names),
    findSaleTaxes: (q) => orders.findSaleTaxes(env, q),
    listChangedOrders: (cursor, opts) => listChangedOrders(env, cursor, opts),
    findOrderByNumber: (n, opts) => orders.findOrderByNumber(env, n, opts),
    discardDraftOrder: (id) => orders.discardDraftOrder(env, id),
    createOrder: (input) => orders.createOrder(env, input),
    getOrder: (id, opts) => orders.orderState(env, id, opts),
    addOrderLines: (id, lines) => orders.addOrderLines(env, id, lines),
    confirmOrder: (id, known) => orders.confirmOrder(env, id, known),
    cancelOrder: (id) => orders.cancelOrder(env, id),
    listShipments: (id) => listShipments(env, id),
    validateDelivery: (id, opts) => validateDelivery(env, id, opts),
    createInvoice: (id, known) => createInvoice(env, id, known),
    listInvoices: (id) => listInvoices(env, id),
    registerPayment: (id, p, known) => registerPayment(env, id, p, known),
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
    read: (entity, cursor, opts) => readRecords(env, entity, cursor, opts),
    fetch: (entity, ids) => fetchRecords(env, entity, ids),
    findByNaturalKey: (entity, keys) => findByNaturalKey(env, entity, keys),
    write: (entity, ops, ctx) => writeRecords(env, entity, ops, ctx),
    orders: orderActions,
    stock: stockActions(env),
    async close() {
      /* fetch's connection pool is process-wide; nothing to release per connector */
    },
  };
}
