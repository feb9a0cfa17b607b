/**
 * What WooCommerce does around an order besides storing it: status-change notes, stock reduced when
 * an order becomes processing / on-hold / completed and restored when it is cancelled, refunds with
 * restock, the date_paid / date_completed stamps.
 */
import type { LineItemRec, OrderRec, WooState } from './state.js';
import type { Fire } from './write-product.js';

const LABELS: Record<string, string> = {
  pending: 'Pending payment',
  processing: 'Processing',
  'on-hold': 'On hold',
  completed: 'Completed',
  cancelled: 'Cancelled',
  refunded: 'Refunded',
  failed: 'Failed',
  'checkout-draft': 'Draft',
  'auto-draft': 'Draft',
  trash: 'Trash',
};

export const ORDER_STATUSES = ['auto-draft', 'pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'checkout-draft'];

export function addNote(state: WooState, orderId: number, note: string, customerNote = false, author = 'WooCommerce'): number {
  const list = state.notes.get(orderId) ?? [];
  const id = state.nextCommentId();
  list.push({ id, orderId, created: state.now(), note, customerNote, author });
  state.notes.set(orderId, list);
  return id;
}

function lineProduct(state: WooState, l: LineItemRec) {
  return state.products.get(l.variationId || l.productId);
}

function changeStock(state: WooState, order: OrderRec, fire: Fire, sign: -1 | 1): void {
  const parts: string[] = [];
  for (const l of order.lineItems) {
    const p = lineProduct(state, l);
    if (!p || !p.manageStock) continue;
    const reduced = l.meta.find((m) => m.key === '_reduced_stock');
    if (sign === -1 && reduced) continue;
    if (sign === 1 && !reduced) continue;
    const qty = sign === -1 ? l.quantity : Number(reduced!.value);
    const before = p.stockQuantity ?? 0;
    p.stockQuantity = before + sign * qty;
    p.totalSales = Math.max(0, p.totalSales - sign * qty);
    p.modified = state.now();
    if (sign === -1) {
      l.meta.push({ id: state.nextMetaId(), key: '_reduced_stock', value: String(qty), display_key: '_reduced_stock', display_value: String(qty) });
    } else {
      l.meta.splice(l.meta.indexOf(reduced!), 1);
    }
    const label = p.sku ? `${l.name} (${p.sku})` : l.name;
    parts.push(`${label}${p.type === 'variation' ? '<span class="description"></span>' : ''} ${before}&rarr;${p.stockQuantity}`);
    fire('product.updated', 'product', p.id);
  }
  order.stockReduced = sign === -1 ? order.stockReduced || parts.length > 0 : false;
  if (parts.length > 0) addNote(state, order.id, `Stock levels ${sign === -1 ? 'reduced' : 'increased'}: ${parts.join(', ')}`);
  state.touch();
}

/** update_status(): note + the stock / date side effects of the new status. */
export function setOrderStatus(state: WooState, order: OrderRec, to: string, fire: Fire): void {
  const from = order.status;
  if (from === to) return;
  if (['processing', 'completed', 'on-hold'].includes(to)) changeStock(state, order, fire, -1);
  if (['cancelled', 'pending'].includes(to)) changeStock(state, order, fire, 1);
  order.status = to;
  const t = state.now();
  if (to === 'completed') order.completed = t;
  if ((to === 'processing' || to === 'completed') && order.paid === null) order.paid = t;
  addNote(state, order.id, `Order status changed from ${LABELS[from] ?? from} to ${LABELS[to] ?? to}.`);
  order.modified = t;
  state.touch();
}

/** payment_complete(): date_paid, transaction id, stock, then processing (or completed when nothing ships). */
export function paymentComplete(state: WooState, order: OrderRec, fire: Fire, transactionId?: string): void {
  if (transactionId) order.transactionId = transactionId;
  order.paid = state.now();
  changeStock(state, order, fire, -1);
  const needsProcessing = order.lineItems.some((l) => !(lineProduct(state, l)?.virtual ?? false));
  setOrderStatus(state, order, needsProcessing ? 'processing' : 'completed', fire);
}

/** Puts refunded quantities back into stock (api_restock / "restock refunded items"). */
export function restockItems(state: WooState, order: OrderRec, items: Array<{ line: LineItemRec; qty: number }>, fire: Fire): void {
  for (const { line, qty } of items) {
    const p = lineProduct(state, line);
    if (!p || !p.manageStock || qty <= 0) continue;
    const before = p.stockQuantity ?? 0;
    p.stockQuantity = before + qty;
    p.modified = state.now();
    addNote(state, order.id, `Item #${p.id} stock increased from ${before} to ${p.stockQuantity}.`);
    fire('product.updated', 'product', p.id);
  }
  state.touch();
}
