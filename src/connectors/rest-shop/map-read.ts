/**
 * Contract shape → canonical candidates (pure). The result is checked against the canonical schema by
 * map-record.ts after the configured JSONata overrides are applied, so these readers are forgiving.
 */
import { arr, bool, idStr, money, moneyOrNull, num, obj, strOr, strOrNull, type Obj } from './wire-values.js';

export interface ReadContext {
  currency: string;
}

export function categoryFromWire(raw: unknown): Obj {
  const r = obj(raw);
  return { name: r.name, parentId: idStr(r.parent_id) ?? null };
}

export function productFromWire(raw: unknown, ctx: ReadContext): Obj {
  const r = obj(raw);
  const currency = strOr(r.currency, ctx.currency);
  return {
    name: r.name,
    description: strOr(r.description, ''),
    categoryIds: arr(r.category_ids).map(idStr).filter((id): id is string => id !== undefined),
    attributes: arr(r.attributes).map((a) => ({ name: obj(a).name, values: arr(obj(a).values).map((v) => strOr(v, '')) })),
    variants: arr(r.variants).map((x) => variantFromWire(x, currency)),
    active: bool(r.active, true),
    tracksStock: bool(r.tracks_stock, true),
  };
}

function stringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const o = obj(v);
  for (const k in o) out[k] = strOr(o[k], '');
  return out;
}

function variantFromWire(x: unknown, currency: string): Obj {
  const v = obj(x);
  const out: Obj = {
    sku: v.sku,
    barcode: strOrNull(v.barcode) || null,
    attributes: stringRecord(v.attributes),
    price: money(v.price, currency),
    salePrice: moneyOrNull(v.sale_price, currency),
    weight: v.weight ? { value: strOr(obj(v.weight).value, ''), unit: obj(v.weight).unit } : null,
    active: bool(v.active, true),
  };
  const id = idStr(v.id);
  if (id !== undefined) out.id = id;
  return out;
}

export function addressFromWire(raw: unknown, fallbackType: 'contact' | 'invoice' | 'delivery'): Obj {
  const a = obj(raw);
  const country = strOrNull(a.country);
  return {
    type: typeof a.type === 'string' ? a.type : fallbackType,
    name: strOr(a.name, ''),
    company: strOrNull(a.company) || null,
    street: strOr(a.street, ''),
    street2: strOrNull(a.street2) || null,
    city: strOr(a.city, ''),
    zip: strOr(a.zip, ''),
    state: strOrNull(a.state) || null,
    country: country ? country.toUpperCase() : null,
    phone: strOrNull(a.phone) || null,
    email: strOrNull(a.email) || null,
  };
}

export function customerFromWire(raw: unknown): Obj {
  const r = obj(raw);
  return {
    email: typeof r.email === 'string' ? r.email.trim() : r.email,
    firstName: strOr(r.first_name, ''),
    lastName: strOr(r.last_name, ''),
    company: strOrNull(r.company) || null,
    phone: strOrNull(r.phone) || null,
    addresses: arr(r.addresses).map((a) => addressFromWire(a, 'contact')),
  };
}

export function priceFromWire(raw: unknown, ctx: ReadContext): Obj {
  const r = obj(raw);
  const currency = strOr(r.currency, ctx.currency);
  return {
    sku: r.sku,
    pricelist: strOr(r.pricelist, 'default'),
    list: money(r.price, currency),
    sale: moneyOrNull(r.sale_price, currency),
    minQuantity: num(r.min_quantity ?? 0),
  };
}

/** `quantity` is what the shop may sell; `reserved` (optional) is held by open carts/orders. */
export function stockFromWire(raw: unknown): Obj {
  const r = obj(raw);
  const quantity = num(r.quantity);
  const reserved = num(r.reserved ?? 0);
  const both = typeof quantity === 'number' && typeof reserved === 'number';
  return {
    sku: r.sku,
    location: strOr(r.location, 'default'),
    onHand: both ? quantity + reserved : quantity,
    reserved,
    available: quantity,
  };
}
