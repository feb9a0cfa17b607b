/** Order, fulfilment, finance and stock actions in the connector contract (re-exported by contract.ts). */
import type { Money, OrderStatus, Shipment, Payment, StockLevel } from '../model/index.js';
import type { Cursor, SourceRecord } from './contract-records.js';

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
  /** 'none'/'pending': no delivery or return is done yet; 'unknown': the ERP did not say. */
  deliveryStatus: 'none' | 'pending' | 'partial' | 'full' | 'unknown';
  invoiceStatus: 'no' | 'to_invoice' | 'invoiced' | 'upselling';
  lines: Array<{ id: string; sku: string | null; productId: string | null; quantity: number; delivered: number; invoiced: number; priceUnit: string; isShipping: boolean }>;
  pickingIds: string[];
  invoiceIds: string[];
}

/**
 * One order in a page of listChangedOrders: when its latest change seen in this page was made (the ERP's
 * own write stamp, UTC ISO, whole seconds) and whether every changed record behind it was last written by
 * the connector's own ERP user (Tandem's writes; false as soon as one was written by anyone else).
 */
export interface ErpOrderChange {
  id: string;
  at: string;
  own: boolean;
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
  /** The invoiced partner (ERP id), when the connector read it. */
  partnerId?: string | null;
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
   * `changes` (optional): per listed id, when and by whom it last changed (lets the engine skip an order
   * whose only change is Tandem's own write); an id without an entry is always re-synced.
   */
  listChangedOrders(cursor: Cursor | null, opts?: { limit?: number }): Promise<{ orderIds: string[]; cursor: Cursor; changes?: ErpOrderChange[] }>;
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
  /** `lines: false`: without its lines (one read less; `lines` is empty), for callers that only need the order's state, totals and ids. */
  getOrder(id: string, opts?: { lines?: boolean }): Promise<ErpOrderState>;
  /** Adds lines to a DRAFT order (rounding line). */
  addOrderLines(id: string, lines: ErpOrderLineInput[]): Promise<ErpOrderState>;
  /**
   * Idempotent: an order already confirmed is returned as it is; a cancelled one is a 'conflict'. `known`:
   * the draft as the caller just read it under the order's lease; once confirmed it is returned with the
   * new state without another read.
   */
  confirmOrder(id: string, known?: ErpOrderState): Promise<ErpOrderState>;
  cancelOrder(id: string): Promise<ErpOrderState>;
  listShipments(orderId: string): Promise<ErpShipmentState[]>;
  /**
   * Validates the order's open outgoing delivery for the given quantities (all remaining when
   * omitted), creating a backorder for the rest; sets the tracking reference. Idempotent per tracking.
   */
  validateDelivery(orderId: string, opts?: { lines?: Array<{ sku: string; quantity: number }>; carrier?: string; trackingNumber?: string }): Promise<ErpShipmentState>;
  /**
   * Creates and posts the invoice for what is invoiceable; returns the existing posted one if nothing is left.
   * `known`: the order as the caller just read it under the order's lease (not read again).
   */
  createInvoice(orderId: string, known?: Pick<ErpOrderState, 'id' | 'name' | 'state' | 'invoiceIds'>): Promise<ErpInvoiceState>;
  listInvoices(orderId: string): Promise<ErpInvoiceState[]>;
  /**
   * Registers a payment against a posted invoice; no-op when it is already paid. `known`: the invoice as the
   * caller just read or made it under the order's lease (not read again).
   */
  registerPayment(invoiceId: string, payment: Payment, known?: ErpInvoiceState): Promise<ErpInvoiceState>;
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
