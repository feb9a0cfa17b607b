/**
 * Canonical → contract write items (pure). Ids of related records come through the injected lookup;
 * per-field ownership (WriteOp.fields) keeps an update to the fields the source owns.
 */
import { Money } from '../../model/money.js';
import type { Category, Customer, Price, Product, StockLevel } from '../../model/index.js';
import { SyncError } from '../../shared/errors.js';
import type { IdLookup, WriteOp } from '../contract.js';
import { SYSTEM } from './errors.js';
import type { ShopEntity } from './shapes.js';
import type { WireAddress, WireCategory, WireCustomer, WirePrice, WireProduct, WireStock, WireVariant } from './wire.js';

export interface WriteMapContext {
  currency: string;
  lookup: IdLookup;
}

/** Canonical field → contract key, per entity (for ownership filtering). */
const KEYS: Partial<Record<ShopEntity, Record<string, string>>> = {
  product: { name: 'name', description: 'description', active: 'active', tracksStock: 'tracks_stock', categoryIds: 'category_ids', attributes: 'attributes', variants: 'variants' },
  customer: { email: 'email', firstName: 'first_name', lastName: 'last_name', company: 'company', phone: 'phone', addresses: 'addresses' },
  category: { name: 'name', parentId: 'parent_id' },
};
const VARIANT_KEYS: Record<string, string> = { sku: 'sku', barcode: 'barcode', attributes: 'attributes', price: 'price', salePrice: 'sale_price', weight: 'weight', active: 'active' };

function amountIn(m: { amount: string; currency: string }, currency: string, field: string): string {
  if (m.currency !== currency) {
    throw new SyncError('invalid_data', `${field} is in ${m.currency}, the shop sells in ${currency}`, {
      system: SYSTEM,
      field,
      hint: 'convert prices to the shop currency (pricelist in the ERP) or set systems.<name>.currency',
    });
  }
  return Money.fromJSON(m).amount;
}

export function productToWire(p: Product, op: WriteOp<'product'>, ctx: WriteMapContext): WireProduct {
  const variants: WireVariant[] = p.variants.map((v, i) => ({
    ...(op.childIds?.[v.sku] !== undefined && { id: op.childIds[v.sku] }),
    ...(v.id !== undefined && op.kind === 'update' && op.childIds?.[v.sku] === undefined && { id: v.id }),
    sku: v.sku,
    barcode: v.barcode,
    attributes: v.attributes,
    price: amountIn(v.price, ctx.currency, `variants.${i}.price`),
    sale_price: v.salePrice ? amountIn(v.salePrice, ctx.currency, `variants.${i}.salePrice`) : null,
    weight: v.weight,
    active: v.active,
  }));
  const item: WireProduct = {
    name: p.name,
    description: p.description,
    active: p.active,
    tracks_stock: p.tracksStock,
    category_ids: p.categoryIds.map((id) => ctx.lookup('category', id)).filter((id): id is string => id !== undefined),
    attributes: p.attributes,
    variants,
    currency: ctx.currency,
  };
  return owned('product', item, op) as WireProduct;
}

function addressToWire(a: Customer['addresses'][number]): WireAddress {
  return { type: a.type, name: a.name, company: a.company, street: a.street, street2: a.street2, city: a.city, zip: a.zip, state: a.state, country: a.country, phone: a.phone, email: a.email };
}

export function customerToWire(c: Customer, op: WriteOp<'customer'>): WireCustomer {
  const item: WireCustomer = {
    email: c.email.trim(),
    first_name: c.firstName,
    last_name: c.lastName,
    company: c.company,
    phone: c.phone,
    addresses: c.addresses.map(addressToWire),
  };
  return owned('customer', item, op) as WireCustomer;
}

export function categoryToWire(c: Category, op: WriteOp<'category'>, ctx: WriteMapContext): Omit<WireCategory, 'id' | 'updated_at'> {
  const item = { name: c.name, parent_id: c.parentId === null ? null : (ctx.lookup('category', c.parentId) ?? null) };
  return owned('category', item, op) as Omit<WireCategory, 'id' | 'updated_at'>;
}

export function priceToWire(p: Price, ctx: WriteMapContext): WirePrice {
  return {
    sku: p.sku,
    pricelist: p.pricelist,
    price: amountIn(p.list, ctx.currency, 'list'),
    sale_price: p.sale ? amountIn(p.sale, ctx.currency, 'sale') : null,
    min_quantity: p.minQuantity,
    currency: ctx.currency,
  };
}

/** The shop receives what it may sell. */
export function stockToWire(s: StockLevel): WireStock {
  return { sku: s.sku, location: s.location, quantity: s.available };
}

/** On update with `fields`, keeps only the keys of owned fields (variants keep sku/id to match). */
function owned(entity: ShopEntity, item: object, op: WriteOp): object {
  const keys = KEYS[entity];
  if (op.kind !== 'update' || !op.fields || !keys) return item;
  const src = item as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const variantFields = new Set<string>();
  for (const f of op.fields) {
    const [head, sub] = f.split('.', 2) as [string, string | undefined];
    const key = keys[head];
    if (!key) continue;
    if (head === 'variants' && sub) variantFields.add(sub);
    else out[key] = src[key];
  }
  if (entity === 'product' && out.variants === undefined && variantFields.size > 0) {
    out.variants = (src.variants as WireVariant[]).map((v) => {
      const picked: Record<string, unknown> = { ...(v.id !== undefined && { id: v.id }), sku: v.sku };
      for (const f of variantFields) {
        const k = VARIANT_KEYS[f];
        if (k) picked[k] = (v as unknown as Record<string, unknown>)[k];
      }
      return picked;
    });
    out.currency = src.currency;
  }
  return out;
}
