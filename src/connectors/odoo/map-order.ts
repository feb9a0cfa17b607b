/**
 * sale.order ↔ ErpOrderState (the order actions' view) and → canonical Order (reading orders back for the
 * shop: status, totals, lines). Pure.
 */
import type { Order, OrderStatus } from '../../model/index.js';
import { Decimal, Money, minorUnits } from '../../model/index.js';
import type { ErpOrderInput, ErpOrderLineInput, ErpOrderState, Json } from '../contract.js';
import type { OdooTraits } from './versions.js';
import { addressFromPartner, splitName, type GeoCodes } from './map-customer.js';
import { asNumberId, decimal, htmlToText, ids, isoToOdoo, m2oId, m2oName, money, odooToIso, priceString, quantity, text, type OdooRecord } from './values.js';

export const ORDER_FIELDS = [
  'name', 'state', 'client_order_ref', 'origin', 'note', 'date_order', 'currency_id', 'partner_id', 'partner_invoice_id', 'partner_shipping_id',
  'amount_untaxed', 'amount_tax', 'amount_total', 'invoice_status', 'order_line', 'picking_ids', 'invoice_ids', 'write_date',
];

export function orderFields(traits: OdooTraits): string[] {
  return [...ORDER_FIELDS, ...(traits.delivery ? ['carrier_id'] : []), ...(traits.deliveryStatusField ? ['delivery_status'] : []), ...(traits.lockedField ? ['locked'] : [])];
}

export function lineFields(traits: OdooTraits): string[] {
  return ['order_id', 'sequence', 'product_id', 'name', 'product_uom_qty', 'qty_delivered', 'qty_invoiced', 'price_unit', 'discount', traits.saleLineTaxField, 'price_subtotal', 'price_tax', 'price_total', ...(traits.delivery ? ['is_delivery'] : []), 'display_type'];
}

export function erpState(state: Json | undefined): ErpOrderState['state'] {
  switch (state) {
    case 'sale':
      return 'confirmed';
    case 'done':
      return 'done';
    case 'cancel':
      return 'cancelled';
    default:
      return 'draft';
  }
}

/**
 * Odoo's delivery_status: false (no delivery), 'pending' (none done), 'started' (a picking done, nothing
 * delivered yet: a return, say), 'partial', 'full'. 'unknown' when the field was not read: the engine skips
 * the read of the deliveries only when the ERP says none is done ('none', 'pending').
 */
export function deliveryStatus(value: Json | undefined, pickings?: Array<{ state: string; outgoing: boolean }>): ErpOrderState['deliveryStatus'] {
  switch (value) {
    case 'pending':
      return 'pending';
    case 'started':
    case 'partial':
      return 'partial';
    case 'full':
      return 'full';
    default:
      break;
  }
  if (!pickings) return value === undefined ? 'unknown' : 'none';
  const out = pickings.filter((p) => p.outgoing && p.state !== 'cancel');
  if (out.length === 0) return 'none';
  const done = out.filter((p) => p.state === 'done').length;
  return done === 0 ? 'pending' : done === out.length ? 'full' : 'partial';
}

export function invoiceStatus(value: Json | undefined): ErpOrderState['invoiceStatus'] {
  switch (value) {
    case 'to invoice':
      return 'to_invoice';
    case 'invoiced':
      return 'invoiced';
    case 'upselling':
      return 'upselling';
    default:
      return 'no';
  }
}

export function currencyOf(order: OdooRecord, fallback: string): string {
  return m2oName(order.currency_id) ?? fallback;
}

/** sale.order + its lines → ErpOrderState. `skuOf` gives the default_code of a product.product id. */
export function orderStateFromOdoo(order: OdooRecord, lines: OdooRecord[], skuOf: (productId: number) => string | null, fallbackCurrency: string): ErpOrderState {
  const currency = currencyOf(order, fallbackCurrency);
  const real = lines.filter((l) => !l.display_type).sort((a, b) => (Number(a.sequence ?? 0) - Number(b.sequence ?? 0)) || a.id - b.id);
  return {
    id: String(order.id),
    name: text(order.name) ?? '',
    number: text(order.client_order_ref),
    state: erpState(order.state),
    currency,
    untaxed: money(order.amount_untaxed, currency),
    tax: money(order.amount_tax, currency),
    total: money(order.amount_total, currency),
    deliveryStatus: deliveryStatus(order.delivery_status),
    invoiceStatus: invoiceStatus(order.invoice_status),
    lines: real.map((l) => {
      const pid = m2oId(l.product_id);
      return {
        id: String(l.id),
        sku: pid !== null ? skuOf(pid) : null,
        productId: pid !== null ? String(pid) : null,
        quantity: quantity(l.product_uom_qty),
        delivered: quantity(l.qty_delivered),
        invoiced: quantity(l.qty_invoiced),
        priceUnit: priceString(l.price_unit, currency),
        isShipping: l.is_delivery === true,
      };
    }),
    pickingIds: ids(order.picking_ids).map(String),
    invoiceIds: ids(order.invoice_ids).map(String),
  };
}

/** One order line → [0, 0, vals]. Shipping lines are flagged is_delivery (the delivery module's own flag, when installed). */
export function lineCommand(line: ErpOrderLineInput, traits: OdooTraits): Json {
  const vals: Record<string, Json> = {
    product_id: asNumberId(line.productId, 'product id'),
    product_uom_qty: line.quantity,
    price_unit: Decimal.parse(line.priceUnit).toNumber(),
    [traits.saleLineTaxField]: [[6, 0, line.taxIds.map((t) => asNumberId(t, 'tax id'))]],
  };
  if (line.discountPercent !== undefined && !Decimal.parse(line.discountPercent).isZero()) vals.discount = Decimal.parse(line.discountPercent).toNumber();
  if (line.name) vals.name = line.name;
  if (line.isShipping && traits.delivery) vals.is_delivery = true;
  return [0, 0, vals];
}

export function orderVals(input: ErpOrderInput, traits: OdooTraits, pricelistId: number | null): Record<string, Json> {
  const partner = asNumberId(input.partnerId, 'partner id');
  const vals: Record<string, Json> = {
    partner_id: partner,
    partner_invoice_id: input.invoicePartnerId ? asNumberId(input.invoicePartnerId, 'partner id') : partner,
    partner_shipping_id: input.shippingPartnerId ? asNumberId(input.shippingPartnerId, 'partner id') : partner,
    client_order_ref: input.number,
    origin: input.origin,
    order_line: input.lines.map((l) => lineCommand(l, traits)),
  };
  if (input.note) vals.note = input.note;
  if (input.carrierId && traits.delivery) vals.carrier_id = asNumberId(input.carrierId, 'carrier id');
  if (pricelistId !== null) vals.pricelist_id = pricelistId;
  if (input.orderedAt) vals.date_order = isoToOdoo(input.orderedAt);
  return vals;
}

// ───────────────────────────── canonical Order (read back for the shop) ─────────────────────────────

export function orderStatus(order: OdooRecord): OrderStatus {
  switch (order.state) {
    case 'cancel':
      return 'cancelled';
    case 'done':
      return 'completed';
    case 'sale':
      if (order.delivery_status === 'full') return 'shipped';
      if (order.delivery_status === 'partial' || order.delivery_status === 'started') return 'partially_shipped';
      return 'confirmed';
    default:
      return 'pending';
  }
}

export interface OrderContext {
  lines: OdooRecord[];
  partners: Map<number, OdooRecord>;
  skuOf: (productId: number) => string | null;
  geo: GeoCodes;
  fallbackCurrency: string;
}

/** sale.order → canonical Order. Throws RangeError when the customer has no email. */
export function orderFromOdoo(order: OdooRecord, ctx: OrderContext): Order {
  const currency = currencyOf(order, ctx.fallbackCurrency);
  const partner = ctx.partners.get(m2oId(order.partner_id) ?? -1);
  const email = text(partner?.email)?.trim();
  if (!email) throw new RangeError(`order ${text(order.name) ?? order.id}: the customer has no email`);
  const inv = ctx.partners.get(m2oId(order.partner_invoice_id) ?? -1);
  const ship = ctx.partners.get(m2oId(order.partner_shipping_id) ?? -1);
  const real = ctx.lines.filter((l) => !l.display_type).sort((a, b) => (Number(a.sequence ?? 0) - Number(b.sequence ?? 0)) || a.id - b.id);
  const units = minorUnits(currency);
  const productLines = real.filter((l) => l.is_delivery !== true);
  const shippingLines = real.filter((l) => l.is_delivery === true);
  const created = odooToIso(order.date_order) ?? odooToIso(order.write_date) ?? new Date(0).toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    number: text(order.client_order_ref) ?? text(order.name) ?? String(order.id),
    status: orderStatus(order),
    currency,
    createdAt: created,
    customer: { email, ...splitName(text(partner?.name) ?? ''), id: partner ? String(partner.id) : null, phone: text(partner?.phone) },
    billingAddress: inv ? addressFromPartner(inv, 'invoice', ctx.geo) : null,
    shippingAddress: ship ? addressFromPartner(ship, 'delivery', ctx.geo) : null,
    lines: productLines.map((l) => {
      const pid = m2oId(l.product_id);
      const unit = money(l.price_unit, currency);
      const gross = Money.of(decimal(l.price_unit).mul(decimal(l.product_uom_qty)).round(units), currency);
      const discount = decimal(l.discount).isZero() ? null : gross.sub(money(l.price_subtotal, currency)).toJSON();
      return {
        id: String(l.id),
        sku: pid !== null ? ctx.skuOf(pid) : null,
        name: text(l.name) ?? '',
        quantity: quantity(l.product_uom_qty) || 1,
        unitPrice: unit.toJSON(),
        discount,
        subtotal: money(l.price_subtotal, currency).toJSON(),
        tax: money(l.price_tax, currency).toJSON(),
        taxRate: null,
        total: money(l.price_total, currency).toJSON(),
      };
    }),
    shipping: shippingLines.map((l) => ({
      method: text(l.name) ?? '',
      carrier: m2oName(order.carrier_id),
      total: money(l.price_subtotal, currency).toJSON(),
      tax: money(l.price_tax, currency).toJSON(),
    })),
    discounts: [],
    taxes: [],
    pricesIncludeTax: false,
    total: money(order.amount_total, currency).toJSON(),
    totalTax: money(order.amount_tax, currency).toJSON(),
    payment: null,
    note: htmlToText(order.note),
    shipments: [],
    refunds: [],
  };
}
