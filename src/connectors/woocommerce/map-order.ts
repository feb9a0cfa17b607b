/** Pure mapper: WooCommerce order → canonical Order (lines with SKU, discounts, taxes, shipping, payment, refunds, shipments). */
import type { Order, OrderLine, OrderStatus, Refund, Shipment } from '../../model/index.js';
import { Decimal, Money, minorUnits } from '../../model/index.js';
import type { WooOrder } from './wire.js';
import { gmt } from './wire.js';
import { isEmptyAddress, toAddress } from './map-customer.js';

/** Woo status → canonical. 'completed' means "shipped" for most shops: the goods left, nothing else to do. */
export const DEFAULT_STATUS_MAP: Record<string, OrderStatus> = {
  pending: 'pending',
  'checkout-draft': 'pending',
  processing: 'confirmed',
  'on-hold': 'on_hold',
  completed: 'shipped',
  cancelled: 'cancelled',
  refunded: 'refunded',
  failed: 'failed',
};

/** Canonical → Woo status Tandem sets. */
export const DEFAULT_STATUS_TO_WOO: Record<OrderStatus, string> = {
  pending: 'pending',
  on_hold: 'on-hold',
  confirmed: 'processing',
  partially_shipped: 'processing',
  shipped: 'completed',
  delivered: 'completed',
  completed: 'completed',
  cancelled: 'cancelled',
  refunded: 'refunded',
  failed: 'failed',
};

/** Meta key where Tandem keeps the shipments it recorded (carrier, tracking) on a Woo order. */
export const TRACKING_META = '_tandem_tracking';
/** Marker Tandem puts in a refund's reason so a retried refund is recognised: "[tandem:<key>]". */
export const REFUND_KEY_RE = /\s*\[tandem:([^\]]+)\]\s*$/;

export interface OrderMapContext {
  statusMap: Record<string, OrderStatus>;
}

export interface TrackingEntry {
  carrier: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  shippedAt: string | null;
  notified?: boolean;
}

export function trackingOf(o: Pick<WooOrder, 'meta_data'>): TrackingEntry[] {
  const m = o.meta_data?.find((x) => x.key === TRACKING_META);
  const v = typeof m?.value === 'string' ? safeParse(m.value) : m?.value;
  return Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as TrackingEntry[]) : [];
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

export function toOrder(o: WooOrder, ctx: OrderMapContext): Order {
  const cur = o.currency;
  const m = (a: string | number | null | undefined) => Money.of(a === null || a === undefined || a === '' ? '0' : String(a), cur, 'half-up');
  const status = ctx.statusMap[o.status];
  if (!status) throw new Error(`order status "${o.status}" has no canonical status; add it to statusMap in tandem.yaml`);
  const rates = new Map((o.tax_lines ?? []).map((t) => [t.rate_id, t.rate_percent === undefined ? null : String(t.rate_percent)]));
  const lines: OrderLine[] = o.line_items.map((l) => {
    const subtotal = m(l.subtotal);
    const subtotalTax = m(l.subtotal_tax);
    const total = m(l.total);
    const tax = m(l.total_tax);
    const gross = o.prices_include_tax ? subtotal.add(subtotalTax) : subtotal;
    const unit = l.quantity > 0 ? Money.of(gross.toDecimal().div(l.quantity, minorUnits(cur)), cur) : gross;
    const discount = subtotal.sub(total);
    const rateId = l.taxes?.find((t) => t.total !== '' && !Decimal.parse(t.total || '0').isZero())?.id;
    return {
      id: String(l.id),
      sku: l.sku ? l.sku : null,
      name: l.name,
      quantity: l.quantity,
      unitPrice: unit.toJSON(),
      discount: discount.isZero() ? null : discount.toJSON(),
      subtotal: total.toJSON(),
      tax: tax.toJSON(),
      taxRate: rateId !== undefined ? (rates.get(rateId) ?? null) : null,
      total: total.add(tax).toJSON(),
    };
  });
  const details = new Map((o.refund_details ?? []).map((r) => [r.id, r]));
  const refunds: Refund[] = (o.refunds ?? []).map((r) => {
    const d = details.get(r.id);
    // refunded line items (negative quantities) are goods coming back; a money-only refund has none
    const lines = (d?.line_items ?? [])
      .filter((l) => l.quantity !== 0)
      .map((l) => ({
        sku: l.sku || null,
        lineId: String(l.meta_data?.find((x) => x.key === '_refunded_item_id')?.value ?? '') || null,
        quantity: Math.abs(l.quantity),
        amount: m(l.total).add(m(l.total_tax)).abs().toJSON(),
      }));
    return {
      id: String(r.id),
      amount: m(r.total).abs().toJSON(),
      reason: (r.reason ?? '').replace(REFUND_KEY_RE, ''),
      ...(REFUND_KEY_RE.exec(r.reason ?? '') && { tandemKey: REFUND_KEY_RE.exec(r.reason ?? '')![1]! }),
      lines,
      restock: lines.length > 0,
      createdAt: d?.date_created_gmt ? gmt(d.date_created_gmt) : null,
    };
  });
  const shipments: Shipment[] = trackingOf(o).map((t) => ({
    carrier: t.carrier ?? null,
    trackingNumber: t.trackingNumber ?? null,
    trackingUrl: t.trackingUrl ?? null,
    lines: [],
    shippedAt: t.shippedAt ?? null,
    state: 'shipped',
  }));
  const paidAt = gmt(o.date_paid_gmt);
  return {
    number: o.number || String(o.id),
    status,
    currency: cur,
    createdAt: gmt(o.date_created_gmt)!,
    customer: {
      email: o.billing?.email ?? '',
      firstName: o.billing?.first_name ?? '',
      lastName: o.billing?.last_name ?? '',
      id: o.customer_id ? String(o.customer_id) : null,
      phone: o.billing?.phone ? o.billing.phone : null,
    },
    billingAddress: isEmptyAddress(o.billing) ? null : toAddress(o.billing, 'invoice'),
    shippingAddress: isEmptyAddress(o.shipping) ? null : toAddress(o.shipping, 'delivery'),
    lines,
    shipping: (o.shipping_lines ?? []).map((s) => ({ method: s.method_title, ...(s.method_id && { methodId: s.method_id }), carrier: null, total: m(s.total).toJSON(), tax: m(s.total_tax).toJSON() })),
    discounts: (o.coupon_lines ?? []).map((c) => ({ code: c.code, amount: m(c.discount).toJSON() })),
    taxes: (o.tax_lines ?? []).map((t) => ({ rate: t.rate_percent === undefined ? null : String(t.rate_percent), label: t.label, amount: m(t.tax_total).add(m(t.shipping_tax_total)).toJSON() })),
    pricesIncludeTax: o.prices_include_tax,
    total: m(o.total).toJSON(),
    totalTax: m(o.total_tax).toJSON(),
    payment: paidAt ? { method: o.payment_method_title || o.payment_method || 'unknown', transactionId: o.transaction_id || null, amount: m(o.total).toJSON(), paidAt } : null,
    note: o.customer_note ?? '',
    shipments,
    refunds,
  };
}
