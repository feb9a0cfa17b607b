/** Laravel API resources: the JSON the shop sends for each model (snake_case, money as strings). */
import type { WireCategory, WireCustomer, WireOrder, WirePrice, WireProduct, WireStock } from '../../connectors/rest-shop/wire.js';
import type { SimCategory, SimPrice, SimProduct, SimStock } from './catalog.js';
import type { SimCustomer } from './customers.js';
import { isoMicros } from './feed.js';
import type { SimOrder } from './orders.js';

export function categoryResource(c: SimCategory): WireCategory {
  return { id: c.id, name: c.name, parent_id: c.parentId, updated_at: isoMicros(c.updatedAt) };
}

export function productResource(p: SimProduct, currency: string): WireProduct & { created_at: string } {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    active: p.active,
    tracks_stock: p.tracksStock,
    category_ids: p.categoryIds,
    attributes: p.attributes,
    variants: p.variants.map((v) => ({
      id: v.id,
      sku: v.sku,
      barcode: v.barcode,
      attributes: v.attributes,
      price: v.price,
      sale_price: v.salePrice,
      weight: v.weight as WireProduct['variants'][number]['weight'],
      active: v.active,
    })),
    currency,
    created_at: isoMicros(p.createdAt),
    updated_at: isoMicros(p.updatedAt),
  };
}

export function customerResource(c: SimCustomer): WireCustomer & { created_at: string } {
  return {
    id: c.id,
    email: c.email,
    first_name: c.firstName,
    last_name: c.lastName,
    company: c.company,
    phone: c.phone,
    addresses: c.addresses,
    created_at: isoMicros(c.createdAt),
    updated_at: isoMicros(c.updatedAt),
  };
}

export function stockResource(s: SimStock): WireStock {
  return { id: s.id, sku: s.sku, location: s.location, quantity: s.quantity, reserved: s.reserved, updated_at: isoMicros(s.updatedAt) };
}

export function priceResource(p: SimPrice, currency: string): WirePrice {
  return { id: p.id, sku: p.sku, pricelist: p.pricelist, price: p.price, sale_price: p.salePrice, min_quantity: p.minQuantity, currency, updated_at: isoMicros(p.updatedAt) };
}

export function orderResource(o: SimOrder, currency: string): WireOrder & { subtotal: string } {
  return {
    id: o.id,
    number: o.number,
    status: o.status,
    currency,
    prices_include_tax: o.pricesIncludeTax,
    created_at: isoMicros(o.createdAt),
    updated_at: isoMicros(o.updatedAt),
    customer: { id: o.customer.id, email: o.customer.email, first_name: o.customer.firstName, last_name: o.customer.lastName, phone: o.customer.phone },
    billing_address: o.billingAddress,
    shipping_address: o.shippingAddress,
    lines: o.lines.map((l) => ({
      id: l.id, sku: l.sku, name: l.name, quantity: l.quantity, unit_price: l.unitPrice, discount: l.discount, subtotal: l.subtotal, tax: l.tax, tax_rate: l.taxRate, total: l.total,
    })),
    shipping_lines: o.shippingLines,
    discounts: o.discounts,
    taxes: o.taxes,
    subtotal: o.subtotal,
    total: o.total,
    total_tax: o.totalTax,
    payment: o.payment ? { method: o.payment.method, transaction_id: o.payment.transactionId, amount: o.payment.amount, paid_at: isoMicros(o.payment.paidAt) } : null,
    note: o.note,
    shipments: o.shipments.map((s) => ({
      id: s.id, carrier: s.carrier, tracking_number: s.trackingNumber, tracking_url: s.trackingUrl, lines: s.lines, shipped_at: isoMicros(s.shippedAt), state: s.state as 'shipped',
    })),
    refunds: o.refunds.map((r) => ({ id: r.id, key: r.key, amount: r.amount, reason: r.reason, restock: r.restock, lines: r.lines, created_at: isoMicros(r.createdAt) })),
    returns: o.returns.map((r) => ({ id: r.id, key: r.key, state: r.state as 'requested', reason: r.reason, lines: r.lines, created_at: isoMicros(r.createdAt) })),
  };
}
