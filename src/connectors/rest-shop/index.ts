/**
 * The custom REST shop connector: any in-house shop that implements the Tandem REST shop contract
 * (docs/rest-shop.md), or whose own API is described by shapes in tandem.yaml (field paths / JSONata,
 * pagination style, auth) — no code per shop.
 */
import type { EntityType } from '../../model/index.js';
import { assertSupports, connectorLog, parseSettings, unsupported } from '../module.js';
import type { ConnectorDeps } from '../deps.js';
import type {
  Batch,
  CheckNeeds,
  CheckReport,
  Cursor,
  EntitySupport,
  NaturalKey,
  RawRequest,
  ReadOptions,
  ShopConnector,
  SourceRecord,
  WebhookVerdict,
  WriteContext,
  WriteOp,
  WriteResult,
} from '../contract.js';
import { checkShop } from './check.js';
import { SYSTEM } from './errors.js';
import { fetchByIds, findByKeys } from './lookup.js';
import type { RestShopContext } from './context.js';
import { createOrderActions, type RestShopOrderActions } from './order-actions.js';
import { readFeed } from './read.js';
import { RestShopSettings } from './settings.js';
import { compileShapes, SHOP_ENTITIES, type CompiledShape, type ShopEntity } from './shapes.js';
import { RestShopTransport } from './transport.js';
import { verifyRestShopDelivery } from './webhook.js';
import { writeBatch } from './write.js';

export { RestShopSettings } from './settings.js';
export { signWebhook, verifyRestShopWebhook } from './webhook.js';
export type { RestShopOrderActions } from './order-actions.js';

const LABEL = 'REST shop';

const SUPPORT: Record<ShopEntity, EntitySupport> = {
  category: { read: true, write: true, webhook: true },
  product: { read: true, write: true, webhook: true },
  price: { read: false, write: true, webhook: false },
  customer: { read: true, write: true, webhook: true },
  order: { read: true, write: false, webhook: true },
  stock: { read: true, write: true, webhook: true },
};

export interface RestShopConnector extends ShopConnector {
  readonly orders: RestShopOrderActions;
  verifyWebhook(req: RawRequest): WebhookVerdict;
  /** HTTP requests sent so far (benchmarks). */
  readonly calls: number;
}

export function createRestShopConnector(name: string, settings: RestShopSettings, deps: ConnectorDeps): RestShopConnector {
  const parsed = parseSettings(RestShopSettings, name, settings, 'fix the rest-shop settings in tandem.yaml (docs/rest-shop.md)');
  const transport = new RestShopTransport(name, parsed, deps.fetch, deps.observe);
  const ctx: RestShopContext = {
    name,
    settings: parsed,
    transport,
    shapes: compileShapes(name, parsed),
    mapper: { currency: parsed.currency, statuses: parsed.statuses },
    currency: parsed.currency,
    overlapSeconds: parsed.overlapSeconds,
    log: connectorLog(deps.log, name, SYSTEM),
  };

  function shapeOf(entity: EntityType, need: keyof EntitySupport | 'fetch'): CompiledShape {
    if (need === 'fetch') {
      if (!(SHOP_ENTITIES as readonly string[]).includes(entity)) throw unsupported(SYSTEM, LABEL, entity, need, `supported: ${SHOP_ENTITIES.join(', ')}`);
    } else assertSupports(SYSTEM, LABEL, SUPPORT, entity, need);
    return ctx.shapes[entity as ShopEntity];
  }

  const orders = createOrderActions({ ...ctx, shape: ctx.shapes.order });

  return {
    name,
    type: SYSTEM,
    role: 'shop',
    entities: SUPPORT,
    orders,
    get calls() {
      return transport.http.calls;
    },

    check(needs?: CheckNeeds): Promise<CheckReport> {
      const readable = SHOP_ENTITIES.filter((e) => SUPPORT[e].read && ['product', 'customer', 'order'].includes(e));
      return checkShop({ ...ctx, readable }, needs);
    },

    read<E extends EntityType>(entity: E, cursor: Cursor | null, opts?: ReadOptions): AsyncIterable<Batch<E>> {
      const shape = shapeOf(entity, 'read');
      return readFeed(ctx, shape, cursor, opts) as unknown as AsyncIterable<Batch<E>>;
    },

    async fetch<E extends EntityType>(entity: E, ids: string[]): Promise<SourceRecord<E>[]> {
      const shape = shapeOf(entity, 'fetch');
      return (await fetchByIds(ctx, shape, ids)) as unknown as SourceRecord<E>[];
    },

    findByNaturalKey(entity: EntityType, keys: NaturalKey[]): Promise<Map<string, string[]>> {
      return findByKeys(ctx, shapeOf(entity, 'fetch'), keys);
    },

    write<E extends EntityType>(entity: E, ops: WriteOp<E>[], wctx: WriteContext): Promise<WriteResult[]> {
      return writeBatch(ctx, shapeOf(entity, 'write'), ops as WriteOp[], wctx);
    },

    verifyWebhook(req: RawRequest): WebhookVerdict {
      return verifyRestShopDelivery(parsed, req, ctx.log);
    },

    async close(): Promise<void> {
      // fetch keeps no per-connector state; nothing to release.
    },
  };
}
