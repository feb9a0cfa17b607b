/**
 * The shop's catalog tables: categories, products with variants, stock per SKU and location, and extra
 * pricelists. In memory, with the indexes a real shop database would have (id, SKU, barcode, feed).
 */
import { Money } from '../../model/money.js';
import { ChangeFeed, type MicroClock } from './feed.js';
import { HttpError, notFound, Validator } from './validate.js';

export interface SimVariant {
  id: number;
  productId: number;
  sku: string;
  barcode: string | null;
  attributes: Record<string, string>;
  price: string;
  salePrice: string | null;
  weight: { value: string; unit: string } | null;
  active: boolean;
}

export interface SimProduct {
  id: number;
  name: string;
  description: string;
  active: boolean;
  tracksStock: boolean;
  categoryIds: number[];
  attributes: Array<{ name: string; values: string[] }>;
  variants: SimVariant[];
  createdAt: number;
  updatedAt: number;
}

export interface SimCategory {
  id: number;
  name: string;
  parentId: number | null;
  updatedAt: number;
}

export interface SimStock {
  id: number;
  sku: string;
  location: string;
  quantity: number;
  reserved: number;
  updatedAt: number;
}

export interface SimPrice {
  id: number;
  sku: string;
  pricelist: string;
  price: string;
  salePrice: string | null;
  minQuantity: number;
  updatedAt: number;
}

type Item = Record<string, unknown>;
export type Upserted<T> = { status: 200 | 201; row: T };

export class Catalog {
  readonly products = new Map<number, SimProduct>();
  readonly variantsBySku = new Map<string, SimVariant>();
  readonly variantsById = new Map<number, SimVariant>();
  readonly productsByBarcode = new Map<string, Set<number>>();
  readonly categories = new Map<number, SimCategory>();
  readonly stock = new Map<string, SimStock>();
  readonly stockById = new Map<number, SimStock>();
  readonly prices = new Map<string, SimPrice>();
  readonly productFeed = new ChangeFeed();
  readonly categoryFeed = new ChangeFeed();
  readonly stockFeed = new ChangeFeed();
  private ids = { product: 1000, variant: 5000, category: 10, stock: 1, price: 1 };

  constructor(
    private readonly clock: MicroClock,
    readonly currency: string,
    readonly locations: string[],
  ) {}

  amount(v: unknown): string {
    return Money.of(String(v).trim(), this.currency).amount;
  }

  touchProduct(p: SimProduct): void {
    p.updatedAt = this.clock.now();
    this.productFeed.touch(p.id, p.updatedAt);
  }

  // ───────────── categories ─────────────

  upsertCategory(item: Item): Upserted<SimCategory> {
    const v = new Validator();
    const existing = item.id !== undefined ? this.categories.get(Number(item.id)) : undefined;
    if (item.id !== undefined && !existing) throw notFound('Category', item.id);
    if (!existing || 'name' in item) v.required('name', item.name);
    v.string('name', item.name);
    const parent = item.parent_id;
    if (parent !== undefined && parent !== null && !this.categories.has(Number(parent))) v.add('parent_id', 'The selected parent id is invalid.');
    v.check();
    const row = existing ?? { id: ++this.ids.category, name: '', parentId: null, updatedAt: 0 };
    if (item.name !== undefined) row.name = String(item.name);
    if (parent !== undefined) row.parentId = parent === null ? null : Number(parent);
    row.updatedAt = this.clock.now();
    this.categories.set(row.id, row);
    this.categoryFeed.touch(row.id, row.updatedAt);
    return { status: existing ? 200 : 201, row };
  }

  // ───────────── products ─────────────

  private validateVariant(v: Validator, at: string, x: Item, productId: number | null, creating: boolean): void {
    if (creating) v.required(`${at}.sku`, x.sku);
    v.string(`${at}.sku`, x.sku, 64);
    if (typeof x.sku === 'string') {
      const other = this.variantsBySku.get(x.sku);
      if (other && other.productId !== productId) v.add(`${at}.sku`, `The ${at}.sku has already been taken.`);
    }
    if (creating) v.required(`${at}.price`, x.price);
    v.money(`${at}.price`, x.price);
    v.money(`${at}.sale_price`, x.sale_price);
    v.string(`${at}.barcode`, x.barcode, 64);
  }

  upsertProduct(item: Item): Upserted<SimProduct> {
    const v = new Validator();
    const existing = item.id !== undefined ? this.products.get(Number(item.id)) : undefined;
    if (item.id !== undefined && !existing) throw notFound('Product', item.id);
    if (!existing || 'name' in item) v.required('name', item.name);
    v.string('name', item.name);
    v.in('currency', item.currency, [this.currency]);
    const variants = item.variants;
    if (!existing) v.required('variants', variants);
    if (variants !== undefined && !Array.isArray(variants)) v.add('variants', 'The variants field must be an array.');
    const list = Array.isArray(variants) ? (variants as Item[]) : [];
    const seen = new Set<string>();
    list.forEach((x, i) => {
      const match = existing ? this.matchVariant(existing, x) : undefined;
      if (x.id !== undefined && !match) v.add(`variants.${i}.id`, `The selected variants.${i}.id is invalid.`);
      this.validateVariant(v, `variants.${i}`, x, existing?.id ?? null, !match);
      if (typeof x.sku === 'string') {
        if (seen.has(x.sku)) v.add(`variants.${i}.sku`, `The variants.${i}.sku field has a duplicate value.`);
        seen.add(x.sku);
      }
    });
    for (const c of Array.isArray(item.category_ids) ? item.category_ids : []) {
      if (!this.categories.has(Number(c))) v.add('category_ids', 'The selected category ids is invalid.');
    }
    v.check();
    const now = this.clock.now();
    const p: SimProduct = existing ?? {
      id: ++this.ids.product, name: '', description: '', active: true, tracksStock: true, categoryIds: [], attributes: [], variants: [], createdAt: now, updatedAt: now,
    };
    if (item.name !== undefined) p.name = String(item.name);
    if (item.description !== undefined) p.description = String(item.description ?? '');
    if (item.active !== undefined) p.active = Boolean(item.active);
    if (item.tracks_stock !== undefined) p.tracksStock = Boolean(item.tracks_stock);
    if (Array.isArray(item.category_ids)) p.categoryIds = item.category_ids.map(Number);
    if (Array.isArray(item.attributes)) p.attributes = (item.attributes as Item[]).map((a) => ({ name: String(a.name), values: (a.values as unknown[]).map(String) }));
    for (const x of list) this.applyVariant(p, x);
    this.products.set(p.id, p);
    this.touchProduct(p);
    return { status: existing ? 200 : 201, row: p };
  }

  private matchVariant(p: SimProduct, x: Item): SimVariant | undefined {
    if (x.id !== undefined) return p.variants.find((v) => v.id === Number(x.id));
    return p.variants.find((v) => v.sku === x.sku);
  }

  private applyVariant(p: SimProduct, x: Item): void {
    let v = this.matchVariant(p, x);
    if (!v) {
      v = { id: ++this.ids.variant, productId: p.id, sku: '', barcode: null, attributes: {}, price: '0', salePrice: null, weight: null, active: true };
      p.variants.push(v);
      this.variantsById.set(v.id, v);
    }
    if (typeof x.sku === 'string' && x.sku !== v.sku) {
      if (this.variantsBySku.get(v.sku) === v) this.variantsBySku.delete(v.sku);
      v.sku = x.sku;
      this.variantsBySku.set(v.sku, v);
    }
    if (x.barcode !== undefined) {
      if (v.barcode) this.productsByBarcode.get(v.barcode)?.delete(p.id);
      v.barcode = x.barcode === null || x.barcode === '' ? null : String(x.barcode);
      if (v.barcode) this.productsByBarcode.set(v.barcode, (this.productsByBarcode.get(v.barcode) ?? new Set()).add(p.id));
    }
    if (x.attributes !== undefined) v.attributes = Object.fromEntries(Object.entries(x.attributes as Item).map(([k, val]) => [k, String(val)]));
    if (x.price !== undefined) v.price = this.amount(x.price);
    if (x.sale_price !== undefined) v.salePrice = x.sale_price === null ? null : this.amount(x.sale_price);
    if (x.weight !== undefined) v.weight = x.weight === null ? null : { value: String((x.weight as Item).value), unit: String((x.weight as Item).unit) };
    if (x.active !== undefined) v.active = Boolean(x.active);
  }

  // ───────────── stock and prices ─────────────

  variantOr404(sku: unknown): SimVariant {
    const v = typeof sku === 'string' ? this.variantsBySku.get(sku) : undefined;
    if (!v) throw new HttpError(404, `No product variant with SKU ${String(sku)}.`);
    return v;
  }

  upsertStock(item: Item): Upserted<SimStock> {
    const v = new Validator();
    v.required('sku', item.sku);
    v.required('quantity', item.quantity);
    v.integer('quantity', item.quantity);
    v.in('location', item.location ?? 'default', this.locations);
    v.check();
    this.variantOr404(item.sku);
    return this.setStock(String(item.sku), String(item.location ?? 'default'), item.quantity as number);
  }

  setStock(sku: string, location: string, quantity: number): Upserted<SimStock> {
    const key = `${sku}@${location}`;
    const existing = this.stock.get(key);
    const row = existing ?? { id: ++this.ids.stock, sku, location, quantity: 0, reserved: 0, updatedAt: 0 };
    row.quantity = quantity;
    row.updatedAt = this.clock.now();
    this.stock.set(key, row);
    this.stockById.set(row.id, row);
    this.stockFeed.touch(row.id, row.updatedAt);
    return { status: existing ? 200 : 201, row };
  }

  upsertPrice(item: Item): Upserted<SimPrice> & { product?: SimProduct } {
    const v = new Validator();
    v.required('sku', item.sku);
    v.required('price', item.price);
    v.money('price', item.price);
    v.money('sale_price', item.sale_price);
    v.in('currency', item.currency, [this.currency]);
    v.check();
    const variant = this.variantOr404(item.sku);
    const pricelist = typeof item.pricelist === 'string' && item.pricelist ? item.pricelist : 'default';
    const key = `${variant.sku}@${pricelist}`;
    const existing = this.prices.get(key);
    const row = existing ?? { id: ++this.ids.price, sku: variant.sku, pricelist, price: '0', salePrice: null, minQuantity: 0, updatedAt: 0 };
    row.price = this.amount(item.price);
    row.salePrice = item.sale_price === undefined || item.sale_price === null ? null : this.amount(item.sale_price);
    row.minQuantity = typeof item.min_quantity === 'number' ? item.min_quantity : 0;
    row.updatedAt = this.clock.now();
    this.prices.set(key, row);
    if (pricelist !== 'default') return { status: existing ? 200 : 201, row };
    // The default pricelist is the variant's own price.
    variant.price = row.price;
    variant.salePrice = row.salePrice;
    const product = this.products.get(variant.productId) as SimProduct;
    this.touchProduct(product);
    return { status: existing ? 200 : 201, row, product };
  }

  /** Default-pricelist row for a SKU, derived from the variant when none was written. */
  priceRows(sku: string): SimPrice[] {
    const variant = this.variantsBySku.get(sku);
    if (!variant) return [];
    const rows = [...this.prices.values()].filter((p) => p.sku === sku && p.pricelist !== 'default');
    const product = this.products.get(variant.productId) as SimProduct;
    const own = this.prices.get(`${sku}@default`);
    rows.unshift({ id: own?.id ?? variant.id, sku, pricelist: 'default', price: variant.price, salePrice: variant.salePrice, minQuantity: 0, updatedAt: product.updatedAt });
    return rows;
  }
}
