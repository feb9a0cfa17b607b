/** Contract order → canonical order candidate (pure; schema-checked afterwards). */
import { ORDER_STATUSES, type OrderStatus } from '../../model/entities.js';
import { toUtcIso } from './keyset.js';
import { addressFromWire, type ReadContext } from './map-read.js';
import { arr, bool, idStr, money, moneyOrNull, num, obj, strOr, strOrNull, type Obj } from './wire-values.js';

/** Names in-house shops commonly use for the canonical statuses. */
const ALIASES: Record<string, OrderStatus> = {
  new: 'pending',
  awaiting_payment: 'pending',
  processing: 'confirmed',
  paid: 'confirmed',
  canceled: 'cancelled',
  complete: 'completed',
  partially_refunded: 'completed',
  returned: 'refunded',
};

export interface OrderReadContext extends ReadContext {
  /** Shop status → canonical (settings.statuses). */
  statuses: Record<string, OrderStatus>;
}

export function statusFromWire(status: unknown, statuses: Record<string, OrderStatus>): unknown {
  if (typeof status !== 'string') return status;
  const s = status.trim();
  if (statuses[s]) return statuses[s];
  if ((ORDER_STATUSES as readonly string[]).includes(s)) return s;
  return ALIASES[s.toLowerCase()] ?? s;
}

/** Canonical status → the shop's name for it (first entry of settings.statuses that maps to it). */
export function statusToWire(status: OrderStatus, statuses: Record<string, OrderStatus>): string {
  for (const [shop, canonical] of Object.entries(statuses)) if (canonical === status) return shop;
  return status;
}

export function orderFromWire(raw: unknown, ctx: OrderReadContext): Obj {
  const r = obj(raw);
  const currency = strOr(r.currency, ctx.currency);
  const m = (v: unknown) => money(v, currency);
  const customer = obj(r.customer);
  const payment = r.payment ? obj(r.payment) : null;
  return {
    number: strOrNull(r.number) ?? idStr(r.id),
    status: statusFromWire(r.status, ctx.statuses),
    currency,
    createdAt: toUtcIso(r.created_at) ?? r.created_at,
    customer: {
      email: typeof customer.email === 'string' ? customer.email.trim() : customer.email,
      firstName: strOr(customer.first_name, ''),
      lastName: strOr(customer.last_name, ''),
      id: idStr(customer.id) ?? null,
      phone: strOrNull(customer.phone) || null,
    },
    billingAddress: r.billing_address ? addressFromWire(r.billing_address, 'invoice') : null,
    shippingAddress: r.shipping_address ? addressFromWire(r.shipping_address, 'delivery') : null,
    lines: arr(r.lines).map((x) => {
      const l = obj(x);
      return {
        id: idStr(l.id),
        sku: strOrNull(l.sku) || null,
        name: strOr(l.name, ''),
        quantity: num(l.quantity),
        unitPrice: m(l.unit_price),
        discount: moneyOrNull(l.discount, currency),
        subtotal: m(l.subtotal),
        tax: m(l.tax ?? '0'),
        taxRate: strOrNull(l.tax_rate),
        total: m(l.total),
      };
    }),
    shipping: arr(r.shipping_lines).map((x) => {
      const s = obj(x);
      return { method: strOr(s.method, ''), carrier: strOrNull(s.carrier), total: m(s.total), tax: m(s.tax ?? '0') };
    }),
    discounts: arr(r.discounts).map((x) => ({ code: strOr(obj(x).code, ''), amount: m(obj(x).amount) })),
    taxes: arr(r.taxes).map((x) => ({ rate: strOrNull(obj(x).rate), label: strOr(obj(x).label, ''), amount: m(obj(x).amount) })),
    pricesIncludeTax: bool(r.prices_include_tax, false),
    total: m(r.total),
    totalTax: m(r.total_tax ?? '0'),
    payment: payment
      ? { method: strOr(payment.method, ''), transactionId: strOrNull(payment.transaction_id), amount: m(payment.amount), paidAt: toUtcIso(payment.paid_at) ?? payment.paid_at }
      : null,
    note: strOr(r.note, ''),
    shipments: arr(r.shipments).map((x) => {
      const s = obj(x);
      return {
        carrier: strOrNull(s.carrier),
        trackingNumber: strOrNull(s.tracking_number),
        trackingUrl: strOrNull(s.tracking_url),
        lines: arr(s.lines).map((y) => ({ sku: strOr(obj(y).sku, ''), quantity: num(obj(y).quantity) })),
        shippedAt: s.shipped_at ? (toUtcIso(s.shipped_at) ?? s.shipped_at) : null,
        state: s.state ?? 'shipped',
      };
    }),
    refunds: arr(r.refunds).map((x) => {
      const f = obj(x);
      return {
        id: idStr(f.id),
        amount: m(f.amount),
        reason: strOr(f.reason, ''),
        lines: arr(f.lines).map((y) => {
          const l = obj(y);
          return { sku: strOrNull(l.sku), lineId: idStr(l.line_id) ?? null, quantity: num(l.quantity), amount: moneyOrNull(l.amount, currency) };
        }),
        restock: bool(f.restock, false),
        createdAt: f.created_at ? (toUtcIso(f.created_at) ?? f.created_at) : null,
        ...(typeof f.key === 'string' && f.key && { tandemKey: f.key }),
      };
    }),
  };
}
