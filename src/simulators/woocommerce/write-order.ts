/** Building orders from REST payloads (POST /orders, PUT /orders/<id>) and from a simulated checkout. */
import { randomBytes } from 'node:crypto';
import type { Address, LineItemRec, OrderRec, WooState } from './state.js';
import { WpError, invalidParam } from './respond.js';
import { applyMeta } from './write-product.js';
import type { Fire } from './write-product.js';
import { ORDER_STATUSES, paymentComplete, setOrderStatus } from './order-effects.js';
import { activePrice } from './serialize-product.js';
import { Decimal } from '../../model/decimal.js';

type Payload = Record<string, unknown>;

function blankAddress(withEmail: boolean): Address {
  const a: Address = { first_name: '', last_name: '', company: '', address_1: '', address_2: '', city: '', state: '', postcode: '', country: '', phone: '' };
  if (withEmail) {
    // Key order of an order's billing address: …, country, email, phone.
    return { first_name: '', last_name: '', company: '', address_1: '', address_2: '', city: '', state: '', postcode: '', country: '', email: '', phone: '' };
  }
  return a;
}

export function mergeAddress(target: Address, input: unknown): void {
  if (!input || typeof input !== 'object') return;
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    if (k in target && (typeof v === 'string' || typeof v === 'number')) (target as unknown as Record<string, string>)[k] = String(v);
  }
}

function orderKey(): string {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return `wc_order_${[...randomBytes(13)].map((b) => chars[b % chars.length]).join('')}`;
}

function money(d: Decimal): string {
  return d.toFixed(2);
}

export function buildLineItem(state: WooState, raw: Payload): LineItemRec {
  const quantity = Number(raw.quantity ?? 1);
  const byVariation = raw.variation_id ? state.products.get(Number(raw.variation_id)) : undefined;
  const byProduct = raw.product_id ? state.products.get(Number(raw.product_id)) : undefined;
  const p = byVariation ?? byProduct;
  const parent = p?.type === 'variation' ? state.products.get(p.parentId) : undefined;
  const unit = p ? activePrice(p) || '0' : '0';
  const subtotal = raw.subtotal !== undefined ? Decimal.parse(String(raw.subtotal)) : Decimal.parse(unit).mul(quantity);
  const total = raw.total !== undefined ? Decimal.parse(String(raw.total)) : subtotal;
  const meta: LineItemRec['meta'] = [];
  if (p?.type === 'variation') {
    for (const o of p.options) {
      const key = o.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      meta.push({ id: state.nextMetaId(), key, value: o.option, display_key: o.name, display_value: o.option });
    }
  }
  return {
    id: state.nextItemId(),
    name: p ? (p.type === 'variation' ? `${parent?.name ?? ''} - ${p.options.map((o) => o.option).join(', ')}` : p.name) : '',
    productId: p ? (p.type === 'variation' ? p.parentId : p.id) : 0,
    variationId: p?.type === 'variation' ? p.id : 0,
    quantity,
    taxClass: '',
    subtotal: money(subtotal),
    subtotalTax: '0.00',
    total: money(total),
    totalTax: '0.00',
    sku: p ? p.sku : null,
    // WooCommerce computes the unit price as a PHP float: total / quantity (17.70 / 3 = 5.8999999999999995).
    price: quantity ? Number(money(total)) / quantity : 0,
    meta,
    parentName: parent ? parent.name : null,
    imageId: p && p.type !== 'variation' ? '' : 0,
  };
}

function recomputeTotals(o: OrderRec): void {
  const items = o.lineItems.reduce((a, l) => a.add(l.total), Decimal.ZERO);
  const ship = o.shippingLines.reduce((a, s) => a.add(s.total), Decimal.ZERO);
  const fees = o.feeLines.reduce((a, f) => a.add(f.total), Decimal.ZERO);
  o.shippingTotal = money(ship);
  o.total = money(items.add(ship).add(fees));
}

export function createOrderRecord(state: WooState, body: Payload, fire: Fire, createdVia = 'rest-api'): OrderRec {
  const customerId = body.customer_id === undefined ? 0 : Number(body.customer_id);
  if (customerId !== 0 && !state.customers.has(customerId)) throw new WpError('woocommerce_rest_invalid_customer_id', 'Customer ID is invalid.', 400);
  if (body.status !== undefined && !ORDER_STATUSES.includes(String(body.status))) {
    throw invalidParam('status', `status is not one of ${ORDER_STATUSES.slice(0, -1).join(', ')}, and ${ORDER_STATUSES.at(-1)}.`, 'rest_not_in_enum');
  }
  const t = state.now();
  const o: OrderRec = {
    id: state.nextPostId(),
    parentId: Number(body.parent_id ?? 0),
    status: 'pending',
    currency: typeof body.currency === 'string' ? body.currency : state.currency,
    pricesIncludeTax: false,
    created: t,
    modified: t,
    completed: null,
    paid: null,
    discountTotal: '0.00',
    shippingTotal: '0.00',
    total: '0.00',
    customerId,
    orderKey: orderKey(),
    billing: blankAddress(true),
    shipping: blankAddress(false),
    paymentMethod: typeof body.payment_method === 'string' ? body.payment_method : '',
    paymentMethodTitle: typeof body.payment_method_title === 'string' ? body.payment_method_title : '',
    transactionId: typeof body.transaction_id === 'string' ? body.transaction_id : '',
    createdVia,
    customerNote: typeof body.customer_note === 'string' ? body.customer_note : '',
    meta: [],
    lineItems: [],
    shippingLines: [],
    couponLines: [],
    feeLines: [],
    refundIds: [],
    stockReduced: false,
    trashedFrom: null,
  };
  mergeAddress(o.billing, body.billing);
  mergeAddress(o.shipping, body.shipping);
  for (const raw of Array.isArray(body.line_items) ? body.line_items : []) o.lineItems.push(buildLineItem(state, raw as Payload));
  for (const raw of Array.isArray(body.shipping_lines) ? (body.shipping_lines as Payload[]) : []) {
    o.shippingLines.push({
      id: state.nextItemId(),
      methodTitle: String(raw.method_title ?? ''),
      methodId: String(raw.method_id ?? ''),
      instanceId: String(raw.instance_id ?? ''),
      total: money(Decimal.parse(String(raw.total ?? '0'))),
      totalTax: '0.00',
      meta: [],
    });
  }
  for (const raw of Array.isArray(body.fee_lines) ? (body.fee_lines as Payload[]) : []) {
    o.feeLines.push({ id: state.nextItemId(), name: String(raw.name ?? ''), total: money(Decimal.parse(String(raw.total ?? '0'))), totalTax: '0.00', meta: [] });
  }
  applyMeta(state, o.meta, body.meta_data);
  recomputeTotals(o);
  state.orders.set(o.id, o);
  state.touch();
  // Deliveries go out in this order: order.created, order.updated, then the products whose stock moved.
  fire('order.created', 'order', o.id);
  fire('order.updated', 'order', o.id);
  if (body.set_paid === true) paymentComplete(state, o, fire, o.transactionId || undefined);
  else if (typeof body.status === 'string' && body.status !== 'pending') setOrderStatus(state, o, body.status, fire);
  if (customerId) {
    const c = state.customers.get(customerId);
    if (c && o.paid !== null) c.isPayingCustomer = true;
  }
  return o;
}

export function updateOrderRecord(state: WooState, o: OrderRec, body: Payload, fire: Fire): void {
  if (body.status !== undefined && !ORDER_STATUSES.includes(String(body.status))) {
    throw invalidParam('status', `status is not one of ${ORDER_STATUSES.slice(0, -1).join(', ')}, and ${ORDER_STATUSES.at(-1)}.`, 'rest_not_in_enum');
  }
  fire('order.updated', 'order', o.id);
  mergeAddress(o.billing, body.billing);
  mergeAddress(o.shipping, body.shipping);
  if (typeof body.customer_note === 'string') o.customerNote = body.customer_note;
  if (typeof body.transaction_id === 'string') o.transactionId = body.transaction_id;
  if (typeof body.payment_method === 'string') o.paymentMethod = body.payment_method;
  if (typeof body.payment_method_title === 'string') o.paymentMethodTitle = body.payment_method_title;
  applyMeta(state, o.meta, body.meta_data);
  o.modified = state.now();
  if (body.set_paid === true && o.paid === null) paymentComplete(state, o, fire);
  if (typeof body.status === 'string') setOrderStatus(state, o, body.status, fire);
  state.touch();
}
