/**
 * The state of one order, read once per run (read-order-state.ts) and shared by the lifecycle's steps:
 * the shop order, what Tandem stored and recorded, the ERP order and its deliveries. Steps that change
 * the ERP order replace it here, so the next step decides on what is true now without reading again.
 * The predicates below are pure: each step's appliesTo is built from them and table-tested.
 */
import type { Config } from '../../config/schema.js';
import type { ErpInvoiceState, ErpOrderState, ErpShipmentState } from '../../connectors/contract.js';
import { normalizeEmail, type Order, type OrderStatus } from '../../model/entities.js';
import type { OrderRow, OrderStep, OrderUpsert } from '../../store/order-repo.js';
import type { OrderLookups } from './import-order.js';

export interface OrderState {
  readonly shopId: string;
  /** The shop order now. */
  readonly order: Order;
  /** What Tandem had stored of the order before this run (undefined: the first time). */
  readonly stored: OrderRow | undefined;
  /** Steps recorded for the order, this run's included as they are done. */
  readonly done: Map<string, OrderStep>;
  /** A dead letter of the order (an earlier job of it that died) waited when the run began. */
  readonly deadLetter: boolean;
  /** The ERP order now; null: not in the ERP. */
  erp: ErpOrderState | null;
  /**
   * Its deliveries and returns, read once, when the first step that needs them comes (null: not yet). None
   * for a draft or an order imported by this run: nothing can have been picked yet.
   */
  shipments: ErpShipmentState[] | null;
  /** All the order's invoices when this run knows them without a read (it had none and made the only one); null: unknown. */
  invoices: ErpInvoiceState[] | null;
  /** A new order's read-only ERP lookups (products, customer, taxes, carriers), started next to the lookup of its number. */
  readonly lookups?: Promise<OrderLookups>;
  /**
   * The ERP order whose figures (state, total, name) this run wrote to the stored row, with the shop fields
   * and the refunded total (the import, the confirmation): while `erp` is this very object, the hand-off's
   * totals would write nothing new. Undefined: none written by this run.
   */
  rowErp?: ErpOrderState;
  /** The follow-up job of a new order was enqueued with the confirmation's record (the hand-off enqueues none then). */
  followUpQueued?: boolean;
  /** The recorded steps this run did, in order. */
  readonly ran: string[];
  /** Invoice and payment in this run too (CLI, tests) instead of in a follow-up job. */
  readonly completeNow: boolean;
  readonly settings: Config['orders'];
  /** Why the run ended before the lifecycle's end (an order never imported). */
  skipped?: string;
}

const PAID_STATUSES: OrderStatus[] = ['confirmed', 'partially_shipped', 'shipped', 'delivered', 'completed'];

export const isDone = (s: Pick<OrderState, 'done'>, step: string) => s.done.get(step)?.state === 'done';

/** A shop order that may become an ERP order (a cancelled, failed or refunded one never is). */
export const isImportable = (order: Pick<Order, 'status'>) => order.status !== 'cancelled' && order.status !== 'failed' && order.status !== 'refunded';

export const isPaid = (order: Pick<Order, 'payment' | 'status'>) => order.payment !== null || PAID_STATUSES.includes(order.status);

export const importedNow = (s: Pick<OrderState, 'ran'>) => s.ran.includes('import');

export const doneOutgoing = (shipments: ErpShipmentState[] | null) => (shipments ?? []).filter((s) => s.kind === 'outgoing' && s.state === 'done');

/** The order is confirmed, paid, and (per orders.invoice) due for its invoice now. */
export function invoiceDue(s: Pick<OrderState, 'erp' | 'order' | 'shipments' | 'settings'>): boolean {
  if (!s.erp || s.erp.state === 'draft' || s.erp.state === 'cancelled' || !isPaid(s.order)) return false;
  return s.settings.invoice === 'on_payment' || (s.settings.invoice === 'on_delivery' && doneOutgoing(s.shipments).length > 0);
}

/** The ERP invoice the order's `invoice` step made ('' before). */
export const invoiceIdOf = (s: Pick<OrderState, 'done'>) => String((s.done.get('invoice')?.result as { invoiceId?: string } | null)?.invoiceId ?? '');

/** The shop side of the order's stored row. */
export function shopFields(shopId: string, order: Order): OrderUpsert {
  const lines = order.lines.flatMap((l) => (l.sku ? [{ sku: l.sku, quantity: l.quantity }] : []));
  return { shopId, number: order.number, email: normalizeEmail(order.customer.email), currency: order.currency, shopStatus: order.status, shopTotal: order.total.amount, lines, orderedAt: Date.parse(order.createdAt) };
}

/** The stored row already holds these shop fields (nothing to write). */
export function sameShopFields(stored: OrderRow, f: OrderUpsert): boolean {
  return (
    stored.number === f.number &&
    stored.email === (f.email ?? null) &&
    stored.currency === f.currency &&
    stored.shopStatus === f.shopStatus &&
    stored.shopTotal === f.shopTotal &&
    stored.orderedAt === f.orderedAt &&
    stored.lines.length === f.lines.length &&
    stored.lines.every((l, i) => l.sku === f.lines[i]!.sku && l.quantity === f.lines[i]!.quantity)
  );
}
