/**
 * The contract every connector implements. The engine talks to systems only through it.
 *
 * A connector owns: its transport (HTTP, auth, rate limits), its mappers (pure functions between the
 * system's shape and the canonical model, table-tested), its cursor format (opaque to the engine),
 * webhook verification and version quirks. It must not import another connector or the engine.
 */
import type { EntityType, Order } from '../model/index.js';
import type { SystemRole } from '../model/system-role.js';
import type { Cursor, SourceRecord, Batch, ReadOptions, NaturalKey, WriteOp, WriteResult, WriteContext } from './contract-records.js';
import type { ErpOrderActions, ErpStockActions, ShopOrderActions } from './contract-orders.js';
import type { CheckNeeds, CheckReport, EntitySupport } from './contract-check.js';
import type { RawRequest, WebhookRegistration, WebhookVerdict } from './contract-webhooks.js';

export type { SystemRole };
export * from './contract-records.js';
export * from './contract-orders.js';
export * from './contract-check.js';
export * from './contract-webhooks.js';

// ───────────────────────────── the connector ─────────────────────────────

export interface Connector {
  /** Name of this system in tandem.yaml (e.g. 'shop', 'erp'). */
  readonly name: string;
  /** Connector type: 'odoo' | 'woocommerce' | 'rest-shop'. */
  readonly type: string;
  readonly role: SystemRole;
  readonly entities: Partial<Record<EntityType, EntitySupport>>;
  /**
   * Canonical fields (dotted paths, e.g. 'variants.salePrice') this system cannot store, so they never
   * round-trip: the engine leaves them out of comparisons (diff, reconcile). Optional.
   */
  readonly unsupportedFields?: Partial<Record<EntityType, string[]>>;

  check(needs?: CheckNeeds): Promise<CheckReport>;

  /** Changed records since `cursor` (all records when null), oldest first, in batches. */
  read<E extends EntityType>(entity: E, cursor: Cursor | null, opts?: ReadOptions): AsyncIterable<Batch<E>>;

  /**
   * Every record of the entity, enumerated independently of the change feed (e.g. by id), for the
   * verification: a feed that loses records must not be able to hide it. Optional: without it the
   * verification reads the feed from the start (`read(entity, null)`). Batches carry no cursor.
   */
  list?<E extends EntityType>(entity: E, opts?: ReadOptions): AsyncIterable<Batch<E>>;

  /**
   * The ids of every record `list` would hand out, a page at a time, without the records (far less work for
   * the remote: WooCommerce `_fields=id`). Optional. The verification after an initial run whose feed read
   * the whole source compares what the feed read and uses this listing to find what the feed missed.
   */
  listIds?(entity: EntityType, opts?: ReadOptions): AsyncIterable<string[]>;

  /**
   * How many records `list` would hand out, in one cheap request (WooCommerce: X-WP-Total of a page of
   * one). Optional. The verification after an initial run compares it with what the feed read first; the
   * id listing is read only when the two differ.
   */
  count?(entity: EntityType, opts?: ReadOptions): Promise<number>;

  /** Current state of the given records; missing ids are absent from the result. */
  fetch<E extends EntityType>(entity: E, ids: string[]): Promise<SourceRecord<E>[]>;

  /** Ids of records matching each key (several ids = ambiguous). Keys with no match are absent. */
  findByNaturalKey(entity: EntityType, keys: NaturalKey[]): Promise<Map<string, string[]>>;

  /**
   * Batched writes; one result per op in the same order. Throws only when the whole batch failed.
   * Several calls may run at once (a system's `writeConcurrency`), never two holding the same record or
   * natural key; lookup records that several products share and that the connector finds or creates by
   * name (attribute values) it must create one call at a time itself.
   */
  write<E extends EntityType>(entity: E, ops: WriteOp<E>[], ctx: WriteContext): Promise<WriteResult[]>;

  /** The module's `verifyWebhook` bound to this system's settings (intake calls the module's directly). */
  verifyWebhook?(req: RawRequest): WebhookVerdict;

  /**
   * Systems where Tandem registers its own webhooks (WooCommerce): create missing ones, re-enable ones
   * the system disabled; `catchUp` = events may have been missed, poll now; `lost` = webhooks Tandem had
   * registered were disabled or deleted (a real loss, not the first registration).
   */
  readonly webhooks?: {
    ensure(deliveryUrl: string): Promise<{ catchUp: boolean; lost?: boolean }>;
    /** Read-only: each expected registration and its state on the system (no writes). */
    status?(deliveryUrl: string): Promise<WebhookRegistration[]>;
  };

  readonly orders?: ErpOrderActions | ShopOrderActions;
  readonly stock?: ErpStockActions;

  close(): Promise<void>;
}

export interface ErpConnector extends Connector {
  readonly role: 'erp';
  readonly orders: ErpOrderActions;
  readonly stock: ErpStockActions;
}

export interface ShopConnector extends Connector {
  readonly role: 'shop';
  readonly orders: ShopOrderActions;
}

/** Stock record id convention shared by every connector: "<sku>@<location>". */
export function stockId(sku: string, location: string): string {
  return `${sku}@${location}`;
}

export type { Order };
