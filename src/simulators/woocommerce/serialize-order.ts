/** Order, refund and order-note objects as WooCommerce 7.9 REST v3 returns them. */
import type { LineItemRec, NoteRec, OrderRec, RefundRec, WooState } from './state.js';
import { currencySymbol, wpDate } from './php.js';
import { Decimal } from '../../model/decimal.js';

export function lineItemOut(l: LineItemRec): Record<string, unknown> {
  return {
    id: l.id,
    name: l.name,
    product_id: l.productId,
    variation_id: l.variationId,
    quantity: l.quantity,
    tax_class: l.taxClass,
    subtotal: l.subtotal,
    subtotal_tax: l.subtotalTax,
    total: l.total,
    total_tax: l.totalTax,
    taxes: [],
    meta_data: l.meta.map((m) => ({ ...m })),
    sku: l.sku,
    price: l.price,
    image: { id: l.imageId, src: '' },
    parent_name: l.parentName,
  };
}

function sum(values: string[]): string {
  return values.reduce((a, v) => a.add(v), Decimal.ZERO).toFixed(2);
}

export function serializeOrder(o: OrderRec, state: WooState, base: string): Record<string, unknown> {
  const refunds = o.refundIds.map((id) => state.refunds.get(id)).filter((r): r is RefundRec => !!r);
  const editable = ['pending', 'on-hold', 'auto-draft', 'checkout-draft'].includes(o.status);
  const needsPayment = ['pending', 'failed'].includes(o.status) && Decimal.parse(o.total).cmp(0) > 0;
  const needsProcessing = o.lineItems.some((l) => l.productId > 0 && !isVirtual(l, state));
  const links: Record<string, Array<{ href: string }>> = {
    self: [{ href: `${base}/wp-json/wc/v3/orders/${o.id}` }],
    collection: [{ href: `${base}/wp-json/wc/v3/orders` }],
  };
  if (o.customerId) links.customer = [{ href: `${base}/wp-json/wc/v3/customers/${o.customerId}` }];
  return {
    id: o.id,
    parent_id: o.parentId,
    status: o.status,
    currency: o.currency,
    version: '7.9.0',
    prices_include_tax: o.pricesIncludeTax,
    date_created: wpDate(o.created),
    date_modified: wpDate(o.modified),
    discount_total: o.discountTotal,
    discount_tax: '0.00',
    shipping_total: o.shippingTotal,
    shipping_tax: sum(o.shippingLines.map((s) => s.totalTax)),
    cart_tax: sum(o.lineItems.map((l) => l.totalTax)),
    total: o.total,
    total_tax: sum([...o.lineItems.map((l) => l.totalTax), ...o.shippingLines.map((s) => s.totalTax)]),
    customer_id: o.customerId,
    order_key: o.orderKey,
    billing: { ...o.billing },
    shipping: { ...o.shipping },
    payment_method: o.paymentMethod,
    payment_method_title: o.paymentMethodTitle,
    transaction_id: o.transactionId,
    customer_ip_address: '',
    customer_user_agent: '',
    created_via: o.createdVia,
    customer_note: o.customerNote,
    date_completed: wpDate(o.completed),
    date_paid: wpDate(o.paid),
    cart_hash: '',
    number: String(o.id),
    meta_data: o.meta.map((m) => ({ ...m })),
    line_items: o.lineItems.map(lineItemOut),
    tax_lines: [],
    shipping_lines: o.shippingLines.map((s) => ({
      id: s.id,
      method_title: s.methodTitle,
      method_id: s.methodId,
      instance_id: s.instanceId,
      total: s.total,
      total_tax: s.totalTax,
      taxes: [],
      meta_data: s.meta.map((m) => ({ ...m })),
    })),
    fee_lines: o.feeLines.map((f) => ({ id: f.id, name: f.name, tax_class: '', tax_status: 'taxable', amount: f.total, total: f.total, total_tax: f.totalTax, taxes: [], meta_data: [] })),
    coupon_lines: o.couponLines.map((c) => ({ id: c.id, code: c.code, discount: c.discount, discount_tax: c.discountTax, meta_data: [] })),
    refunds: refunds.map((r) => ({ id: r.id, reason: r.reason, total: `-${r.amount}` })),
    payment_url: `${base}/checkout/order-pay/${o.id}/?pay_for_order=true&key=${o.orderKey}`,
    is_editable: editable,
    needs_payment: needsPayment,
    needs_processing: needsProcessing,
    date_created_gmt: wpDate(o.created),
    date_modified_gmt: wpDate(o.modified),
    date_completed_gmt: wpDate(o.completed),
    date_paid_gmt: wpDate(o.paid),
    currency_symbol: currencySymbol(o.currency),
    _links: links,
  };
}

function isVirtual(l: LineItemRec, state: WooState): boolean {
  const p = state.products.get(l.variationId || l.productId);
  return p ? p.virtual : false;
}

export function serializeRefund(r: RefundRec, base: string): Record<string, unknown> {
  return {
    id: r.id,
    date_created: wpDate(r.created),
    date_created_gmt: wpDate(r.created),
    amount: r.amount,
    reason: r.reason,
    refunded_by: r.refundedBy,
    refunded_payment: r.refundedPayment,
    meta_data: r.meta.map((m) => ({ ...m })),
    line_items: r.lineItems.map(lineItemOut),
    shipping_lines: [],
    tax_lines: [],
    fee_lines: [],
    _links: {
      self: [{ href: `${base}/wp-json/wc/v3/orders/${r.orderId}/refunds/${r.id}` }],
      collection: [{ href: `${base}/wp-json/wc/v3/orders/${r.orderId}/refunds` }],
      up: [{ href: `${base}/wp-json/wc/v3/orders/${r.orderId}` }],
    },
  };
}

export function serializeNote(n: NoteRec, base: string): Record<string, unknown> {
  return {
    id: n.id,
    author: n.author,
    date_created: wpDate(n.created),
    date_created_gmt: wpDate(n.created),
    note: n.note,
    customer_note: n.customerNote,
    _links: {
      self: [{ href: `${base}/wp-json/wc/v3/orders/${n.orderId}/notes/${n.id}` }],
      collection: [{ href: `${base}/wp-json/wc/v3/orders/${n.orderId}/notes` }],
      up: [{ href: `${base}/wp-json/wc/v3/orders/${n.orderId}` }],
    },
  };
}
