/** Pure mappers: WooCommerce products/variations ↔ canonical Product, Price and StockLevel. */
import type { Price, Product, StockLevel, Variant } from '../../model/index.js';
import { Money } from '../../model/index.js';
import { SyncError } from '../../shared/errors.js';
import type { WooProduct, WooVariation } from './wire.js';
import { decodeEntities } from './html.js';

export interface ProductMapContext {
  currency: string;
  weightUnit: 'kg' | 'g' | 'lb' | 'oz';
}

function money(amount: string, currency: string) {
  return Money.of(amount, currency, 'half-up').toJSON();
}

function variantOf(v: WooProduct | WooVariation, attributes: Record<string, string>, ctx: ProductMapContext, label: string): Variant {
  if (!v.sku) throw new Error(`${label} has no SKU; give it one in WooCommerce so it can be matched`);
  if (v.regular_price === '') throw new Error(`${label} (SKU ${v.sku}) has no regular price`);
  return {
    id: String(v.id),
    sku: v.sku,
    barcode: null,
    attributes,
    price: money(v.regular_price, ctx.currency),
    salePrice: v.sale_price ? money(v.sale_price, ctx.currency) : null,
    weight: v.weight ? { value: v.weight, unit: ctx.weightUnit } : null,
    active: v.status === 'publish',
  };
}

/** A product and (for a variable one) its variations → canonical product + SKU → variation id. */
export function toProduct(p: WooProduct, variations: WooVariation[], ctx: ProductMapContext): { product: Product; childIds: Record<string, string> } {
  const childIds: Record<string, string> = {};
  let variants: Variant[];
  if (p.type === 'variable') {
    variants = variations.map((v) => {
      const attrs = Object.fromEntries(v.attributes.map((a) => [a.name, a.option]));
      childIds[v.sku] = String(v.id);
      return variantOf(v, attrs, ctx, `variation ${v.id} of product ${p.id}`);
    });
    // WooCommerce saves the parent before its variations (and fires product.created for it): not ready yet
    if (variants.length === 0) throw new SyncError('conflict', `variable product ${p.id} has no variations yet`, { entity: 'product', record: String(p.id), retryAfterMs: 30_000, hint: 'it is synced once its variations exist; a variable product without variations cannot be sold' });
  } else {
    variants = [variantOf(p, {}, ctx, `product ${p.id}`)];
  }
  const product: Product = {
    name: decodeEntities(p.name),
    description: p.description ?? '',
    categoryIds: (p.categories ?? []).map((c) => String(c.id)),
    attributes: (p.attributes ?? []).filter((a) => p.type !== 'variable' || a.variation !== false).map((a) => ({ name: a.name, values: [...(a.options ?? [])] })),
    variants,
    active: p.status === 'publish',
    tracksStock: p.type === 'variable' ? variations.some((v) => v.manage_stock === true) || p.manage_stock === true : p.manage_stock === true,
  };
  return { product, childIds };
}

/** Stock per SKU (location 'default'); products that do not manage stock have no level. */
export function toStockLevel(v: WooProduct | WooVariation): StockLevel | null {
  if (!v.sku || v.manage_stock !== true || v.stock_quantity === null) return null;
  return { sku: v.sku, location: 'default', onHand: v.stock_quantity, reserved: 0, available: v.stock_quantity };
}

export function toPrice(v: WooProduct | WooVariation, currency: string): Price | null {
  if (!v.sku || v.regular_price === '') return null;
  return {
    sku: v.sku,
    pricelist: 'default',
    list: money(v.regular_price, currency),
    sale: v.sale_price ? money(v.sale_price, currency) : null,
    minQuantity: 0,
  };
}

/** Is a canonical field path owned by the writer (fields undefined = all)? */
export function owns(fields: string[] | undefined, path: string): boolean {
  if (!fields) return true;
  return fields.some((f) => f === path || f.startsWith(`${path}.`) || path.startsWith(`${f}.`));
}

function amount(m: { amount: string; currency: string } | null, currency: string): string {
  if (!m) return '';
  if (m.currency !== currency) throw new Error(`price in ${m.currency} but the shop sells in ${currency}`);
  return Money.of(m.amount, currency, 'half-up').amount;
}

export interface ProductPayload {
  parent: Record<string, unknown>;
  variations: Array<{ sku: string; body: Record<string, unknown> }>;
}

/** Canonical product → Woo product body (+ variation bodies for a variable product). */
export function productPayload(p: Product, ctx: ProductMapContext, fields: string[] | undefined, categoryIds: number[]): ProductPayload {
  const variable = p.variants.length > 1 || p.variants.some((v) => Object.keys(v.attributes).length > 0);
  const parent: Record<string, unknown> = {};
  if (owns(fields, 'name')) parent.name = p.name;
  if (owns(fields, 'description')) parent.description = p.description;
  if (owns(fields, 'active')) parent.status = p.active ? 'publish' : 'draft';
  if (owns(fields, 'categoryIds')) parent.categories = categoryIds.map((id) => ({ id }));
  const variantBody = (v: Variant): Record<string, unknown> => {
    const b: Record<string, unknown> = {};
    if (owns(fields, 'variants.price')) b.regular_price = amount(v.price, ctx.currency);
    if (owns(fields, 'variants.salePrice')) b.sale_price = amount(v.salePrice, ctx.currency);
    if (owns(fields, 'variants.weight') && v.weight) b.weight = v.weight.value;
    if (owns(fields, 'tracksStock')) b.manage_stock = p.tracksStock;
    return b;
  };
  if (!variable) {
    const v = p.variants[0]!;
    return { parent: { ...parent, type: 'simple', sku: v.sku, ...variantBody(v) }, variations: [] };
  }
  if (owns(fields, 'attributes') || !fields || fields.includes('variants')) {
    const names = p.attributes.length > 0 ? p.attributes : attributesFromVariants(p.variants);
    parent.attributes = names.map((a, i) => ({ name: a.name, position: i, visible: true, variation: true, options: a.values }));
  }
  const variations = p.variants.map((v) => {
    const body = variantBody(v);
    body.sku = v.sku;
    if (owns(fields, 'variants.active')) body.status = v.active ? 'publish' : 'private';
    body.attributes = Object.entries(v.attributes).map(([name, option]) => ({ name, option }));
    return { sku: v.sku, body };
  });
  return { parent: { ...parent, type: 'variable' }, variations };
}

function attributesFromVariants(variants: Variant[]): Array<{ name: string; values: string[] }> {
  const out = new Map<string, string[]>();
  for (const v of variants) {
    for (const [k, val] of Object.entries(v.attributes)) {
      const list = out.get(k) ?? [];
      if (!list.includes(val)) list.push(val);
      out.set(k, list);
    }
  }
  return [...out].map(([name, values]) => ({ name, values }));
}

/** Canonical checks WooCommerce itself does not make (it would store a negative price or an empty name). */
export function checkProduct(p: Product): string | null {
  if (!p.name.trim()) return 'name is empty';
  for (const v of p.variants) {
    if (Money.fromJSON(v.price).isNegative()) return `variant ${v.sku}: price ${v.price.amount} is negative`;
    if (v.salePrice && Money.fromJSON(v.salePrice).isNegative()) return `variant ${v.sku}: sale price is negative`;
  }
  const skus = p.variants.map((v) => v.sku.toLowerCase());
  if (new Set(skus).size !== skus.length) return 'two variants share a SKU';
  return null;
}
