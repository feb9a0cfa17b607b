/**
 * Orders: placed at the checkout (totals with tax included or added, shipping, coupon), then status
 * changes, shipments (one per tracking number), refunds (one per key, optional restock) and returns.
 */
import { randomUUID } from 'node:crypto';
import { Decimal } from '../../model/decimal.js';
import { Money } from '../../model/money.js';
import { ORDER_STATUSES } from '../../model/entities.js';
import type { Catalog } from './catalog.js';
import { toAddress, type Customers, type SimAddress } from './customers.js';
import { ChangeFeed, type MicroClock } from './feed.js';
import { notFound, Validator } from './validate.js';

export interface PlaceOrderSpec {
  number?: string;
  email: string;
  firstName?: string;
  lastName?: string;
  lines: Array<{ sku: string; quantity: number }>;
  paid: boolean;
  shipping?: { method: string; amount: string };
  couponPercent?: string;
  couponCode?: string;
  address?: Partial<SimAddress>;
  note?: string;
}

export interface SimOrderLine { id: number; sku: string; name: string; quantity: number; unitPrice: string; discount: string | null; subtotal: string; tax: string; taxRate: string; total: string }
export interface SimShipment { id: number; carrier: string | null; trackingNumber: string | null; trackingUrl: string | null; lines: Array<{ sku: string; quantity: number }>; shippedAt: number; state: string }
export interface SimRefund { id: number; key: string; amount: string; reason: string; restock: boolean; lines: Array<{ sku: string; quantity: number; amount: string | null }>; createdAt: number }
export interface SimReturn { id: number; key: string; state: string; reason: string; lines: Array<{ sku: string; quantity: number }>; createdAt: number }

export interface SimOrder {
  id: number;
  number: string;
  status: string;
  pricesIncludeTax: boolean;
  createdAt: number;
  updatedAt: number;
  customer: { id: number | null; email: string; firstName: string; lastName: string; phone: string | null };
  billingAddress: SimAddress;
  shippingAddress: SimAddress;
  lines: SimOrderLine[];
  shippingLines: Array<{ method: string; carrier: string | null; total: string; tax: string }>;
  discounts: Array<{ code: string; amount: string }>;
  taxes: Array<{ rate: string; label: string; amount: string }>;
  subtotal: string;
  total: string;
  totalTax: string;
  payment: { method: string; transactionId: string; amount: string; paidAt: number } | null;
  note: string;
  shipments: SimShipment[];
  refunds: SimRefund[];
  returns: SimReturn[];
}

export interface TaxSetup {
  rate: string;
  included: boolean;
}

type Item = Record<string, unknown>;

export class Orders {
  readonly byId = new Map<number, SimOrder>();
  readonly byNumber = new Map<string, number>();
  readonly feed = new ChangeFeed();
  private ids = { order: 0, line: 0, sub: 0 };

  constructor(
    private readonly clock: MicroClock,
    private readonly catalog: Catalog,
    private readonly customers: Customers,
    private readonly tax: TaxSetup,
  ) {}

  get(id: unknown): SimOrder {
    const o = this.byId.get(Number(id));
    if (!o) throw notFound('Order', id);
    return o;
  }

  private touch(o: SimOrder): void {
    o.updatedAt = this.clock.now();
    this.feed.touch(o.id, o.updatedAt);
  }

  /** Splits a gross or net amount into net + tax at the shop's rate. */
  private split(amount: Money): { net: Money; tax: Money } {
    if (this.tax.included) {
      const net = Money.of(amount.toDecimal().mul(100).div(Decimal.parse(this.tax.rate).add(100), 6), amount.currency, 'half-up');
      return { net, tax: amount.sub(net) };
    }
    return { net: amount, tax: amount.percent(this.tax.rate) };
  }

  place(spec: PlaceOrderSpec): { order: SimOrder; stockTouched: string[] } {
    const currency = this.catalog.currency;
    if (spec.lines.length === 0) throw new Error('an order needs at least one line');
    const zero = Money.zero(currency);
    let discountTotal = zero;
    let taxTotal = zero;
    let total = zero;
    let subtotal = zero;
    const lines: SimOrderLine[] = spec.lines.map((l) => {
      const v = this.catalog.variantsBySku.get(l.sku);
      if (!v) throw new Error(`placeOrder: no variant with SKU ${l.sku}`);
      const product = this.catalog.products.get(v.productId);
      const unit = Money.of(v.salePrice ?? v.price, currency);
      const gross = unit.mul(l.quantity);
      const discount = spec.couponPercent ? gross.percent(spec.couponPercent) : zero;
      const { net, tax } = this.split(gross.sub(discount));
      discountTotal = discountTotal.add(discount);
      taxTotal = taxTotal.add(tax);
      subtotal = subtotal.add(net);
      total = total.add(net).add(tax);
      return {
        id: ++this.ids.line, sku: v.sku, name: product?.name ?? v.sku, quantity: l.quantity, unitPrice: unit.amount,
        discount: discount.isZero() ? null : discount.amount, subtotal: net.amount, tax: tax.amount, taxRate: this.tax.rate, total: net.add(tax).amount,
      };
    });
    const shippingLines: SimOrder['shippingLines'] = [];
    if (spec.shipping) {
      const { net, tax } = this.split(Money.of(spec.shipping.amount, currency));
      shippingLines.push({ method: spec.shipping.method, carrier: null, total: net.amount, tax: tax.amount });
      taxTotal = taxTotal.add(tax);
      total = total.add(net).add(tax);
    }
    const now = this.clock.now();
    const id = ++this.ids.order;
    const number = spec.number ?? String(1000 + id);
    if (this.byNumber.has(number)) throw new Error(`placeOrder: order number ${number} exists`);
    const known = this.customers.findByEmail(spec.email);
    const address = toAddress({ name: `${spec.firstName ?? ''} ${spec.lastName ?? ''}`.trim(), street: 'Hauptstr. 1', city: 'Berlin', zip: '10115', country: 'DE', email: spec.email, ...spec.address });
    const order: SimOrder = {
      id, number, status: spec.paid ? 'confirmed' : 'pending', pricesIncludeTax: this.tax.included, createdAt: now, updatedAt: now,
      customer: { id: known?.id ?? null, email: spec.email, firstName: spec.firstName ?? known?.firstName ?? '', lastName: spec.lastName ?? known?.lastName ?? '', phone: known?.phone ?? null },
      billingAddress: { ...address, type: 'invoice' },
      shippingAddress: { ...address, type: 'delivery' },
      lines, shippingLines,
      discounts: discountTotal.isZero() ? [] : [{ code: spec.couponCode ?? 'COUPON', amount: discountTotal.amount }],
      taxes: [{ rate: this.tax.rate, label: `VAT ${this.tax.rate}%`, amount: taxTotal.amount }],
      subtotal: subtotal.amount, total: total.amount, totalTax: taxTotal.amount,
      payment: spec.paid ? { method: 'card', transactionId: `tx_${randomUUID().slice(0, 8)}`, amount: total.amount, paidAt: now } : null,
      note: spec.note ?? '', shipments: [], refunds: [], returns: [],
    };
    this.byId.set(id, order);
    this.byNumber.set(number, id);
    this.feed.touch(id, now);
    const stockTouched: string[] = [];
    for (const l of spec.lines) {
      const row = this.catalog.locations.map((loc) => this.catalog.stock.get(`${l.sku}@${loc}`)).find((r) => r && r.quantity >= l.quantity)
        ?? this.catalog.stock.get(`${l.sku}@${this.catalog.locations[0] ?? 'default'}`);
      if (!row) continue; // stock not tracked for this SKU: backorder
      this.catalog.setStock(row.sku, row.location, row.quantity - l.quantity);
      stockTouched.push(`${row.sku}@${row.location}`);
    }
    return { order, stockTouched };
  }

  setStatus(id: unknown, body: Item): { order: SimOrder; changed: boolean } {
    const o = this.get(id);
    const v = new Validator();
    v.required('status', body.status);
    v.in('status', body.status, ORDER_STATUSES);
    v.string('note', body.note, 2000);
    v.check();
    if (o.status === body.status) return { order: o, changed: false };
    o.status = String(body.status);
    if (typeof body.note === 'string' && body.note) o.note = o.note ? `${o.note}\n${body.note}` : body.note;
    this.touch(o);
    return { order: o, changed: true };
  }

  addShipment(id: unknown, body: Item): { shipment: SimShipment; created: boolean; order: SimOrder } {
    const o = this.get(id);
    const v = new Validator();
    v.string('carrier', body.carrier);
    v.string('tracking_number', body.tracking_number);
    v.string('tracking_url', body.tracking_url, 2000);
    v.check();
    const tracking = typeof body.tracking_number === 'string' && body.tracking_number ? body.tracking_number : null;
    const existing = tracking ? o.shipments.find((s) => s.trackingNumber === tracking) : undefined;
    if (existing) return { shipment: existing, created: false, order: o };
    const shipment: SimShipment = {
      id: ++this.ids.sub, carrier: typeof body.carrier === 'string' ? body.carrier : null, trackingNumber: tracking,
      trackingUrl: typeof body.tracking_url === 'string' ? body.tracking_url : null,
      lines: Array.isArray(body.lines) ? (body.lines as Item[]).map((l) => ({ sku: String(l.sku), quantity: Number(l.quantity) })) : [],
      shippedAt: this.clock.now(), state: 'shipped',
    };
    o.shipments.push(shipment);
    this.touch(o);
    return { shipment, created: true, order: o };
  }

  private refundable(o: SimOrder): Money {
    return o.refunds.reduce((left, r) => left.sub(Money.of(r.amount, this.catalog.currency)), Money.of(o.total, this.catalog.currency));
  }

  private checkLines(v: Validator, o: SimOrder, lines: unknown): Array<{ sku: string; quantity: number; amount: string | null }> {
    const list = Array.isArray(lines) ? (lines as Item[]) : [];
    return list.map((l, i) => {
      if (!o.lines.some((ol) => ol.sku === l.sku)) v.add(`lines.${i}.sku`, `The selected lines.${i}.sku is invalid.`);
      v.integer(`lines.${i}.quantity`, l.quantity, 1);
      v.money(`lines.${i}.amount`, l.amount);
      return { sku: String(l.sku), quantity: Number(l.quantity), amount: l.amount === undefined || l.amount === null ? null : this.catalog.amount(l.amount) };
    });
  }

  addRefund(id: unknown, body: Item): { refund: SimRefund; created: boolean; order: SimOrder; stockTouched: string[] } {
    const o = this.get(id);
    const v = new Validator();
    v.required('key', body.key);
    v.string('key', body.key, 191);
    const existing = o.refunds.find((r) => r.key === body.key);
    if (existing) return { refund: existing, created: false, order: o, stockTouched: [] };
    v.required('amount', body.amount);
    v.money('amount', body.amount);
    v.in('currency', body.currency ?? this.catalog.currency, [this.catalog.currency]);
    const lines = this.checkLines(v, o, body.lines);
    if (!v.has('amount') && body.amount !== undefined) {
      const left = this.refundable(o);
      if (Money.of(String(body.amount), this.catalog.currency).cmp(left) > 0) v.add('amount', `The amount field must not be greater than ${left.amount}.`);
    }
    v.check();
    const refund: SimRefund = {
      id: ++this.ids.sub, key: String(body.key), amount: this.catalog.amount(body.amount), reason: String(body.reason ?? ''),
      restock: Boolean(body.restock), lines, createdAt: this.clock.now(),
    };
    o.refunds.push(refund);
    const stockTouched: string[] = [];
    if (refund.restock) {
      const loc = this.catalog.locations[0] ?? 'default';
      for (const l of lines) {
        const row = this.catalog.stock.get(`${l.sku}@${loc}`);
        this.catalog.setStock(l.sku, loc, (row?.quantity ?? 0) + l.quantity);
        stockTouched.push(`${l.sku}@${loc}`);
      }
    }
    if (this.refundable(o).isZero()) o.status = 'refunded';
    this.touch(o);
    return { refund, created: true, order: o, stockTouched };
  }

  addReturn(id: unknown, body: Item): { ret: SimReturn; created: boolean; order: SimOrder } {
    const o = this.get(id);
    const v = new Validator();
    v.required('key', body.key);
    const existing = o.returns.find((r) => r.key === body.key);
    if (existing) return { ret: existing, created: false, order: o };
    v.required('lines', body.lines);
    v.in('state', body.state ?? 'requested', ['requested', 'received', 'done']);
    const lines = this.checkLines(v, o, body.lines).map(({ sku, quantity }) => ({ sku, quantity }));
    v.check();
    const ret: SimReturn = { id: ++this.ids.sub, key: String(body.key), state: String(body.state ?? 'requested'), reason: String(body.reason ?? ''), lines, createdAt: this.clock.now() };
    o.returns.push(ret);
    this.touch(o);
    return { ret, created: true, order: o };
  }
}

