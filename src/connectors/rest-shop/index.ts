/**
 * The custom REST shop connector: any in-house shop that implements the Tandem REST shop contract
 * (docs/rest-shop.md), or whose own API is described by shapes in tandem.yaml (field paths / JSONata,
 * pagination style, auth) — no code per shop.
 */
import type { EntityType } from '../../model/index.js';
import { SyncError } from '../../shared/errors.js';
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
import type { MapperContext } from './map-record.js';
import { createOrderActions, type RestShopOrderActions } from './order-actions.js';
import { readFeed } from './read.js';
import { RestShopSettings } from './settings.js';
import { compileShapes, SHOP_ENTITIES, type CompiledShape, type ShopEntity } from './shapes.js';
import { RestShopTransport } from './transport.js';
import { verifyRestShopWebhook } from './webhook.js';
import { writeBatch } from './write.js';

export { RestShopSettings } from './settings.js';
export { signWebhook, verifyRestShopWebhook } from './webhook.js';
export type { RestShopOrderActions } from './order-actions.js';

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
  const check = RestShopSettings.safeParse(settings);
  if (!check.success) {
    const issue = check.error.issues[0];
    throw new SyncError('config', `systems.${name}.${issue?.path.map(String).join('.') ?? ''}: ${issue?.message ?? 'invalid settings'}`, { system: SYSTEM, hint: 'fix the rest-shop settings in tandem.yaml (docs/rest-shop.md)' });
  }
  const parsed = check.data;
  const shapes = compileShapes(name, parsed);
  const transport = new RestShopTransport(name, parsed, deps.fetch, deps.observe);
  const mapper: MapperContext = { currency: parsed.currency, statuses: parsed.statuses };
  const log = deps.log.child({ system: name, connector: SYSTEM });

  function shapeOf(entity: EntityType, need: keyof EntitySupport | 'fetch'): CompiledShape {
    const support = (SUPPORT as Partial<Record<EntityType, EntitySupport>>)[entity];
    if (!support || (need !== 'fetch' && !support[need])) {
      throw new SyncError('config', `the REST shop connector cannot ${need} ${entity}`, {
        system: SYSTEM,
        entity,
        hint: `supported: ${SHOP_ENTITIES.filter((e) => need === 'fetch' || SUPPORT[e][need]).join(', ')}`,
      });
    }
    return shapes[entity as ShopEntity];
  }

  const orders = createOrderActions({ transport, shape: shapes.order, mapper });

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
      return checkShop({ name, transport, shapes, currency: parsed.currency, readable }, needs);
    },

    read<E extends EntityType>(entity: E, cursor: Cursor | null, opts?: ReadOptions): AsyncIterable<Batch<E>> {
      const shape = shapeOf(entity, 'read');
      return readFeed({ transport, mapper, overlapSeconds: parsed.overlapSeconds }, shape, cursor, opts) as unknown as AsyncIterable<Batch<E>>;
    },

    async fetch<E extends EntityType>(entity: E, ids: string[]): Promise<SourceRecord<E>[]> {
      const shape = shapeOf(entity, 'fetch');
      return (await fetchByIds({ transport, mapper }, shape, ids)) as unknown as SourceRecord<E>[];
    },

    findByNaturalKey(entity: EntityType, keys: NaturalKey[]): Promise<Map<string, string[]>> {
      return findByKeys({ transport, mapper, name }, shapeOf(entity, 'fetch'), keys);
    },

    write<E extends EntityType>(entity: E, ops: WriteOp<E>[], ctx: WriteContext): Promise<WriteResult[]> {
      return writeBatch({ transport, currency: parsed.currency }, shapeOf(entity, 'write'), ops as WriteOp[], ctx);
    },

    verifyWebhook(req: RawRequest): WebhookVerdict {
      const verdict = verifyRestShopWebhook(req, parsed.webhookSecret);
      if (!verdict.ok) {
        log.warn({ status: verdict.status, reason: verdict.reason, delivery: req.headers['x-tandem-delivery'], bytes: req.body.length }, 'webhook rejected');
      } else if (verdict.events.length === 0) {
        log.info({ delivery: req.headers['x-tandem-delivery'] }, 'webhook acknowledged: event Tandem does not sync');
      }
      return verdict;
    },

    async close(): Promise<void> {
      // fetch keeps no per-connector state; nothing to release.
    },
  };
}
