/**
 * The contract every connector implements. The engine talks to systems only through it.
 *
 * A connector owns: its transport (HTTP, auth, rate limits), its mappers (pure functions between the
 * system's shape and the canonical model, table-tested), its cursor format (opaque to the engine),
 * webhook verification and version quirks. It must not import another connector or the engine.
 */
import type { EntityType, CanonicalByEntity, Money, OrderStatus, Order, Shipment, Payment, StockLevel } from '../model/index.js';
import type { SyncError } from '../shared/errors.js';
import type { SystemRole } from '../model/system-role.js';
import type { CheckNeeds, CheckReport, EntitySupport } from './contract-check.js';
import type { RawRequest, WebhookRegistration, WebhookVerdict } from './contract-webhooks.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Opaque position in a system's change feed. Only the connector that produced it reads it. */
export type Cursor = Json;

export type { SystemRole };

/** A record as read from a system: its id, when it changed, its canonical form and its raw shape. */
export interface SourceRecord<E extends EntityType = EntityType> {
  entity: E;
  /** The system's own id, as a string. */
  id: string;
  /** Last change, ISO 8601 UTC (null if the system does not say). */
  updatedAt: string | null;
  /** The canonical record; absent when mapping failed (then `error` says why). */
  data?: CanonicalByEntity[E];
  /** Mapping failure for this one record: the rest of the batch is fine. */
  error?: SyncError;
  /** The record in the system's own shape (for JSONata overrides, dead letters, trace). */
  raw: unknown;
  /** Ids of sub-records by natural key, e.g. variant SKU → variation id. */
  childIds?: Record<string, string>;
  /** The record no longer exists / was archived at the source. */
  deleted?: boolean;
}

export interface Batch<E extends EntityType = EntityType> {
  records: SourceRecord<E>[];
  /** Cursor to resume AFTER this batch. Stored only once the batch is fully processed. */
  cursor: Cursor;
  /** Total number of records to expect for this read, when cheap to know (progress bars). */
  total?: number;
}

export interface ReadOptions {
  /** Records per page requested from the remote (the connector caps it to the API's maximum). */
  pageSize?: number;
  signal?: AbortSignal;
  /** Categories of an ERP: only those holding a sellable product and their parents ('sellable'), or all (default). */
  categories?: 'sellable' | 'all';
}

/** Natural keys used to match records that exist on both sides before anything is created. */
export type NaturalKeyType = 'sku' | 'barcode' | 'email' | 'number' | 'name';
export interface NaturalKey {
  type: NaturalKeyType;
  value: string;
}
export function naturalKeyString(k: NaturalKey): string {
  return `${k.type}:${k.value}`;
}

/**
 * Translates ids of related records from the source system into this (target) system's ids, using the
 * link table. Injected by the engine; never does I/O.
 */
export interface IdLookup {
  (entity: EntityType, sourceId: string): string | undefined;
}

export interface WriteOp<E extends EntityType = EntityType> {
  kind: 'create' | 'update' | 'delete';
  /** Stable key of the source record (its id in the source system) — used in errors and results. */
  key: string;
  /** The record's id in THIS system, for update/delete. */
  targetId?: string;
  /** Known ids of sub-records in this system (variant SKU → id), for update. */
  childIds?: Record<string, string>;
  record: CanonicalByEntity[E];
  /**
   * Canonical fields the source owns and that may be written (per-field ownership). Undefined = all.
   * Dotted paths for nested fields, e.g. 'variants.price'.
   */
  fields?: string[];
}

export type WriteResult =
  | { ok: true; key: string; id: string; created: boolean; childIds?: Record<string, string> }
  | { ok: false; key: string; error: SyncError };

export interface WriteContext {
  lookup: IdLookup;
  signal?: AbortSignal;
}

export * from './contract-check.js';
export * from './contract-webhooks.js';
// ───────────────────────────── order / finance actions ─────────────────────────────

export interface ErpOrderState {
  id: string;
  name: string;
  /** The shop order number this ERP order was created for (Odoo client_order_ref). */
  number: string | null;
  state: 'draft' | 'confirmed' | 'done' | 'cancelled';
  currency: string;
  untaxed: Money;
  tax: Money;
  total: Money;
  deliveryStatus: 'none' | 'pending' | 'partial' | 'full';
  invoiceStatus: 'no' | 'to_invoice' | 'invoiced' | 'upselling';
  lines: Array<{ id: string; sku: string | null; productId: string | null; quantity: number; delivered: number; invoiced: number; priceUnit: string; isShipping: boolean }>;
  pickingIds: string[];
  invoiceIds: string[];
}

export interface ErpOrderLineInput {
  productId: string;
  name?: string;
  quantity: number;
  /** Unit price as a decimal string, in the order currency; tax included or not per the ERP taxes. */
  priceUnit: string;
  /** Discount percent as a decimal string (Odoo keeps 2 decimals by default). */
  discountPercent?: string;
  taxIds: string[];
  isShipping?: boolean;
}

export interface ErpOrderInput {
  /** Shop order number → client_order_ref; the adapter looks it up first (idempotent create). */
  number: string;
  /** Where the order came from, e.g. 'shop:1042' (Odoo `origin`). */
  origin: string;
  partnerId: string;
  invoicePartnerId?: string;
  shippingPartnerId?: string;
  currency: string;
  pricelistId?: string;
  carrierId?: string;
  lines: ErpOrderLineInput[];
  note?: string;
  orderedAt?: string;
}

export interface ErpShipmentState {
  id: string;
  name: string;
  kind: 'outgoing' | 'return';
  state: 'draft' | 'waiting' | 'ready' | 'done' | 'cancelled';
  carrier: string | null;
  trackingNumber: string | null;
  doneAt: string | null;
  lines: Array<{ sku: string | null; productId: string; quantity: number; done: number }>;
  /** For a return: the delivery it returns. */
  returnOf?: string | null;
  /** Set when Tandem made this picking: the idempotency key it tagged it with (e.g. `shop-refund:<refund id>`). */
  tandemKey?: string;
}

export interface ErpInvoiceState {
  id: string;
  name: string | null;
  kind: 'invoice' | 'credit_note';
  state: 'draft' | 'posted' | 'cancelled';
  paymentState: 'not_paid' | 'in_payment' | 'paid' | 'partial' | 'reversed';
  total: Money;
  residual: Money;
  orderIds: string[];
  reversalOf?: string | null;
}

export interface ErpOrderActions {
  /** SKU → ids of the ERP's sellable variants (Odoo product.product) carrying that SKU; several ids = ambiguous. */
  resolveProducts(skus: string[]): Promise<Map<string, string[]>>;
  /** A delivery method by name → its id and the service product used for the shipping line; null if unknown. */
  resolveCarrier(name: string): Promise<{ id: string; productId: string } | null>;
  /** Sale tax names (or ids as strings) → tax ids; unknown names are absent. */
  resolveTaxes(names: string[]): Promise<Map<string, string>>;
  /** Active percent sale taxes of the company with this rate ("15") and price-included flag; several = ambiguous. */
  findSaleTaxes(q: { rate: string; priceIncluded: boolean }): Promise<Array<{ id: string; name: string }>>;
  /**
   * Orders whose state, deliveries, returns or invoices changed since the cursor (null = from the start),
   * oldest first; the engine stores the cursor after processing them. Cursor is owned by the connector.
   */
  listChangedOrders(cursor: Cursor | null, opts?: { limit?: number }): Promise<{ orderIds: string[]; cursor: Cursor }>;
  /**
   * The ERP order created for this shop order number (namespaced per shop by the connector). `placedAt`:
   * when the shop order was placed; an ERP order created long before it cannot be its import.
   */
  findOrderByNumber(number: string, opts?: { placedAt?: string }): Promise<ErpOrderState | null>;
  /**
   * Compensation of createOrder: removes a DRAFT order (cancel + delete). No-op when it does not exist;
   * SyncError kind 'conflict' when the order is already confirmed.
   */
  discardDraftOrder(id: string): Promise<void>;
  /**
   * Creates the sale order (a draft carrying `input.number`). Not a lookup: the find before the create is
   * findOrderByNumber, which the engine calls under the order's lease right before, so a retry after a
   * crash finds the order instead of creating another. `created` is false when the system answered with
   * an order that already existed.
   */
  createOrder(input: ErpOrderInput): Promise<{ order: ErpOrderState; created: boolean }>;
  getOrder(id: string): Promise<ErpOrderState>;
  /** Adds lines to a DRAFT order (rounding line). */
  addOrderLines(id: string, lines: ErpOrderLineInput[]): Promise<ErpOrderState>;
  /** Idempotent: an order already confirmed is returned as it is; a cancelled one is a 'conflict'. */
  confirmOrder(id: string): Promise<ErpOrderState>;
  cancelOrder(id: string): Promise<ErpOrderState>;
  listShipments(orderId: string): Promise<ErpShipmentState[]>;
  /**
   * Validates the order's open outgoing delivery for the given quantities (all remaining when
   * omitted), creating a backorder for the rest; sets the tracking reference. Idempotent per tracking.
   */
  validateDelivery(orderId: string, opts?: { lines?: Array<{ sku: string; quantity: number }>; carrier?: string; trackingNumber?: string }): Promise<ErpShipmentState>;
  /** Creates and posts the invoice for what is invoiceable; returns the existing posted one if nothing is left. */
  createInvoice(orderId: string): Promise<ErpInvoiceState>;
  listInvoices(orderId: string): Promise<ErpInvoiceState[]>;
  /** Registers a payment against a posted invoice; no-op when it is already paid. */
  registerPayment(invoiceId: string, payment: Payment): Promise<ErpInvoiceState>;
  /** Creates and validates a return picking for the given quantities of a done delivery. */
  createReturn(orderId: string, lines: Array<{ sku: string; quantity: number }>, opts?: { key?: string }): Promise<ErpShipmentState>;
  /** Credit note for an invoice (full or partial amount), posted. */
  createCreditNote(invoiceId: string, opts: { amount?: Money; reason: string; key?: string }): Promise<ErpInvoiceState>;
}

export interface ErpStockActions {
  /** Stock per SKU and location (on hand, reserved, available = free to sell). */
  readStock(opts?: { skus?: string[]; locations?: string[] }): Promise<StockLevel[]>;
  /** Sets the counted on-hand quantity (inventory adjustment). */
  setOnHand(levels: Array<{ sku: string; location: string; onHand: number }>): Promise<void>;
  listLocations(): Promise<Array<{ id: string; name: string; warehouse: string | null }>>;
}

/** Items of this shipment, items shipped so far with it, items ordered. */
export interface ShipmentProgress {
  items: number;
  shipped: number;
  ordered: number;
}

export interface ShopOrderActions {
  getOrder(id: string): Promise<SourceRecord<'order'>>;
  /** Sets the shop status (idempotent: does nothing when the order already has it). */
  setStatus(id: string, status: OrderStatus, opts?: { note?: string }): Promise<void>;
  /**
   * Records carrier + tracking number on the order (and tells the customer, saying when it is a part of
   * the order: `progress`). Idempotent per tracking number.
   */
  addShipment(id: string, shipment: Shipment, progress?: ShipmentProgress): Promise<void>;
  /** Records a refund; `key` makes it idempotent (a second call with the same key does nothing). */
  recordRefund(id: string, refund: { key: string; amount: Money; reason: string; restock: boolean; lines: Array<{ sku: string; quantity: number; amount?: Money }> }): Promise<{ id: string; created: boolean }>;
}

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

  /** Current state of the given records; missing ids are absent from the result. */
  fetch<E extends EntityType>(entity: E, ids: string[]): Promise<SourceRecord<E>[]>;

  /** Ids of records matching each key (several ids = ambiguous). Keys with no match are absent. */
  findByNaturalKey(entity: EntityType, keys: NaturalKey[]): Promise<Map<string, string[]>>;

  /** Batched writes; one result per op in the same order. Throws only when the whole batch failed. */
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
