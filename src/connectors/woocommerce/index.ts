/**
 * The WooCommerce connector (REST API v3, WooCommerce ≥ 5.8). See transport.ts for auth (Basic over
 * https, OAuth 1.0a over http), read.ts for the change feeds, write-*.ts for batched idempotent writes,
 * order-actions.ts for status / tracking / refunds, webhook.ts and webhook-manager.ts for webhooks.
 */
import type { z } from 'zod';
import type { EntityType } from '../../model/index.js';
import { assertSupports, connectorLog, parseSettings, unsupported } from '../module.js';
import type { ConnectorDeps } from '../deps.js';
import type { Batch, CheckNeeds, Cursor, EntitySupport, NaturalKey, RawRequest, ReadOptions, ShopConnector, ShopOrderActions, SourceRecord, WebhookVerdict, WriteContext, WriteOp, WriteResult } from '../contract.js';
import { WooCommerceSettings } from './settings.js';
import { WooTransport } from './transport.js';
import { WooContext } from './context.js';
import { SYSTEM } from './errors.js';
import { readFeed } from './read.js';
import { countAll, listAll, listIds } from './list.js';
import { fetchRecords, findRecords } from './lookup.js';
import { writeProducts } from './write-products.js';
import { writeBySku, writeCategories, writeCustomers } from './write-other.js';
import { createOrderActions } from './order-actions.js';
import { verifyWooWebhook } from './webhook.js';
import { createWebhookManager } from './webhook-manager.js';
import type { WooWebhookManager } from './webhook-manager.js';
import { checkWoo } from './check.js';

export { WooCommerceSettings } from './settings.js';
export { verifyWooWebhook, signWooWebhook } from './webhook.js';
export type { WooWebhookManager, WooWebhookInfo, EnsureReport } from './webhook-manager.js';

const LABEL = 'WooCommerce';

const ENTITIES: Partial<Record<EntityType, EntitySupport>> = {
  category: { read: true, write: true, webhook: false },
  product: { read: true, write: true, webhook: true },
  price: { read: true, write: true, webhook: true },
  customer: { read: true, write: true, webhook: true },
  order: { read: true, write: false, webhook: true },
  stock: { read: true, write: true, webhook: true },
};

export interface WooCommerceConnector extends ShopConnector {
  readonly orders: ShopOrderActions;
  readonly webhooks: WooWebhookManager;
  /** HTTP requests sent so far (benchmarks: API calls used). */
  readonly calls: number;
}

/**
 * Uses `deps.fetch` when given (call counting, fault injection); HTTP goes through the shared
 * HttpClient, not through the official axios-based client (see transport.ts for why).
 */
export function createWooCommerceConnector(name: string, settings: WooCommerceSettings | z.input<typeof WooCommerceSettings>, deps: ConnectorDeps): WooCommerceConnector {
  const parsed = parseSettings(WooCommerceSettings, name, settings, 'fix the woocommerce settings in tandem.yaml (docs/configuration.md)');
  const log = connectorLog(deps.log, name, SYSTEM);
  const transport = new WooTransport(parsed, log, deps.fetch, deps.observe);
  const ctx = new WooContext(name, parsed, transport, log);
  const orders = createOrderActions(ctx);
  const webhooks = createWebhookManager(ctx);

  const supported = (entity: EntityType, need: 'read' | 'write'): void => assertSupports(SYSTEM, LABEL, ENTITIES, entity, need);

  return {
    name,
    type: SYSTEM,
    role: 'shop',
    entities: ENTITIES,
    // WooCommerce 7.9 has no barcode (GTIN) field in core, and variant weights carry the shop's unit.
    unsupportedFields: { product: ['variants.barcode'] },
    orders,
    webhooks,
    get calls() {
      return transport.calls;
    },
    check: (needs?: CheckNeeds) => checkWoo(ctx, needs),
    read<E extends EntityType>(entity: E, cursor: Cursor | null, opts?: ReadOptions): AsyncIterable<Batch<E>> {
      supported(entity, 'read');
      return readFeed(ctx, entity, cursor, opts);
    },
    list<E extends EntityType>(entity: E, opts?: ReadOptions): AsyncIterable<Batch<E>> {
      supported(entity, 'read');
      return listAll(ctx, entity, opts);
    },
    listIds(entity: EntityType, opts?: ReadOptions): AsyncIterable<string[]> {
      supported(entity, 'read');
      return listIds(ctx, entity, opts);
    },
    count(entity: EntityType, opts?: ReadOptions): Promise<number> {
      supported(entity, 'read');
      return countAll(ctx, entity, opts);
    },
    fetch: <E extends EntityType>(entity: E, ids: string[]): Promise<SourceRecord<E>[]> => fetchRecords(ctx, entity, ids),
    findByNaturalKey: (entity: EntityType, keys: NaturalKey[]) => findRecords(ctx, entity, keys),
    async write<E extends EntityType>(entity: E, ops: WriteOp<E>[], wctx: WriteContext): Promise<WriteResult[]> {
      supported(entity, 'write');
      if (ops.length === 0) return [];
      switch (entity) {
        case 'product':
          return writeProducts(ctx, ops as WriteOp<'product'>[], wctx);
        case 'customer':
          return writeCustomers(ctx, ops as WriteOp<'customer'>[], wctx);
        case 'category':
          return writeCategories(ctx, ops as WriteOp<'category'>[], wctx);
        case 'stock':
          return writeBySku(ctx, 'stock', ops as WriteOp<'stock'>[], wctx);
        case 'price':
          return writeBySku(ctx, 'price', ops as WriteOp<'price'>[], wctx);
        default:
          throw unsupported(SYSTEM, LABEL, entity, 'write');
      }
    },
    verifyWebhook: (req: RawRequest): WebhookVerdict => verifyWooWebhook(parsed.webhookSecret, req, log),
    async close() {},
  };
}
