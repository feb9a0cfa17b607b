/** Product and variation objects exactly as WooCommerce 7.9 REST v3 returns them (key order included). */
import { randomInt } from 'node:crypto';
import type { ProductRec, WooState } from './state.js';
import { priceHtml, priceRangeHtml, wpDate, wpautop } from './php.js';
import { Decimal } from '../../model/decimal.js';

export type Context = 'view' | 'edit';

export function activePrice(p: ProductRec): string {
  return p.salePrice !== '' ? p.salePrice : p.regularPrice;
}

export function stockStatus(p: ProductRec, state: WooState): string {
  if (p.type === 'variable') {
    const kids = p.variations.map((id) => state.products.get(id)).filter((v): v is ProductRec => !!v && v.status === 'publish');
    return kids.some((v) => stockStatus(v, state) === 'instock') ? 'instock' : kids.some((v) => stockStatus(v, state) === 'onbackorder') ? 'onbackorder' : 'outofstock';
  }
  if (!p.manageStock) return p.stockStatus;
  const q = p.stockQuantity ?? 0;
  if (q > 0) return 'instock';
  return p.backorders === 'no' ? 'outofstock' : 'onbackorder';
}

function priceRange(p: ProductRec, state: WooState): { min: string; max: string } {
  let min: Decimal | null = null;
  let max: Decimal | null = null;
  for (const id of p.variations) {
    const v = state.products.get(id);
    if (!v || v.status !== 'publish') continue;
    const price = activePrice(v);
    if (price === '') continue;
    const d = Decimal.parse(price);
    if (!min || d.cmp(min) < 0) min = d;
    if (!max || d.cmp(max) > 0) max = d;
  }
  return { min: min ? min.toFixed(2) : '', max: max ? max.toFixed(2) : '' };
}

function links(base: string, p: ProductRec, asVariationRoute: boolean): Record<string, Array<{ href: string }>> {
  if (asVariationRoute) {
    return {
      self: [{ href: `${base}/wp-json/wc/v3/products/${p.parentId}/variations/${p.id}` }],
      collection: [{ href: `${base}/wp-json/wc/v3/products/${p.parentId}/variations` }],
      up: [{ href: `${base}/wp-json/wc/v3/products/${p.parentId}` }],
    };
  }
  const out: Record<string, Array<{ href: string }>> = {
    self: [{ href: `${base}/wp-json/wc/v3/products/${p.id}` }],
    collection: [{ href: `${base}/wp-json/wc/v3/products` }],
  };
  if (p.parentId) out.up = [{ href: `${base}/wp-json/wc/v3/products/${p.parentId}` }];
  return out;
}

function permalink(base: string, p: ProductRec, state: WooState): string {
  if (p.type === 'variation') {
    const parent = state.products.get(p.parentId);
    const q = p.options.map((o) => `attribute_${o.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}=${encodeURIComponent(o.option)}`).join('&');
    return `${base}/product/${parent?.slug ?? 'product'}/${q ? `?${q}` : ''}`;
  }
  return `${base}/product/${p.slug}/`;
}

function metaOut(p: ProductRec): Array<{ id: number; key: string; value: unknown }> {
  return p.meta.map((m) => ({ id: m.id, key: m.key, value: m.value }));
}

function related(p: ProductRec, state: WooState): number[] {
  if (p.type === 'variation') return [];
  const pool: number[] = [];
  // Real shops pick related products at random on every request (wc_get_related_products shuffles):
  // five of the first ten published others, in a fresh random order (O(1) with 100,000 products).
  for (const o of state.products.values()) {
    if (o.id !== p.id && o.parentId === 0 && o.status === 'publish') pool.push(o.id);
    if (pool.length === 10) break;
  }
  for (let i = pool.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, 5);
}

/** /products/<id> shape (also used for variations returned by /products?sku=). */
export function serializeProduct(p: ProductRec, state: WooState, base: string, context: Context): Record<string, unknown> {
  const isVar = p.type === 'variation';
  const variable = p.type === 'variable';
  const range = variable ? priceRange(p, state) : null;
  const price = variable ? range!.min : activePrice(p);
  const cur = state.currency;
  const parent = isVar ? state.products.get(p.parentId) : undefined;
  const categories = isVar
    ? []
    : p.categories.map((id) => state.categories.get(id)).filter((c) => !!c).map((c) => ({ id: c!.id, name: c!.name, slug: c!.slug }));
  const out: Record<string, unknown> = {
    id: p.id,
    name: isVar ? `${parent?.name ?? ''} - ${p.options.map((o) => o.option).join(', ')}` : p.name,
    slug: isVar ? `${parent?.slug ?? ''}-${p.options.map((o) => o.option.toLowerCase()).join('-')}` : p.slug,
    permalink: permalink(base, p, state),
    date_created: wpDate(p.created),
    date_created_gmt: wpDate(p.created),
    date_modified: wpDate(p.modified),
    date_modified_gmt: wpDate(p.modified),
    type: p.type,
    status: p.status,
    featured: p.featured,
    catalog_visibility: p.catalogVisibility,
    description: context === 'view' ? wpautop(p.description) : p.description,
    short_description: context === 'view' ? wpautop(p.shortDescription) : p.shortDescription,
    sku: p.sku,
    price,
    regular_price: variable ? '' : p.regularPrice,
    sale_price: variable ? '' : p.salePrice,
    date_on_sale_from: null,
    date_on_sale_from_gmt: null,
    date_on_sale_to: null,
    date_on_sale_to_gmt: null,
    on_sale: !variable && p.salePrice !== '' && p.salePrice !== p.regularPrice,
    purchasable: price !== '',
    total_sales: isVar ? String(p.totalSales) : p.totalSales,
    virtual: p.virtual,
    downloadable: p.downloadable,
    downloads: [],
    download_limit: -1,
    download_expiry: -1,
    external_url: '',
    button_text: '',
    tax_status: p.taxStatus,
    tax_class: p.taxClass,
    manage_stock: p.manageStock,
    stock_quantity: p.manageStock ? p.stockQuantity : null,
    backorders: p.backorders,
    backorders_allowed: p.backorders !== 'no',
    backordered: p.manageStock && (p.stockQuantity ?? 0) < 0 && p.backorders !== 'no',
    low_stock_amount: p.lowStockAmount,
    sold_individually: p.soldIndividually,
    weight: p.weight,
    dimensions: { ...p.dimensions },
    shipping_required: !p.virtual,
    shipping_taxable: !p.virtual && p.taxStatus !== 'none',
    shipping_class: p.shippingClass,
    shipping_class_id: 0,
    reviews_allowed: isVar ? false : p.reviewsAllowed,
    // Formatted in the view context only (wc_format_decimal with dp on read).
    average_rating: isVar || context === 'view' ? '0.00' : '0',
    rating_count: 0,
    upsell_ids: [],
    cross_sell_ids: [],
    parent_id: p.parentId,
    purchase_note: p.purchaseNote,
    categories,
    tags: [],
    images: [],
    attributes: isVar ? p.options.map((o) => ({ ...o })) : p.attributes.map((a) => ({ ...a, options: [...a.options] })),
    default_attributes: [],
    variations: [...p.variations],
    grouped_products: [],
    menu_order: p.menuOrder,
    price_html: variable ? priceRangeHtml(range!.min, range!.max, cur) : priceHtml(price, p.regularPrice, p.salePrice, cur),
    related_ids: related(p, state),
    meta_data: metaOut(p),
    stock_status: stockStatus(p, state),
    has_options: variable,
  };
  if (context === 'edit' && !isVar) {
    out.permalink_template = `${base}/product/%pagename%/`;
    out.generated_slug = p.slug.replace(/__trashed$/, '');
  }
  out._links = links(base, p, false);
  return out;
}

/** /products/<id>/variations/<id> shape. */
export function serializeVariation(v: ProductRec, state: WooState, base: string, context: Context): Record<string, unknown> {
  const price = activePrice(v);
  return {
    id: v.id,
    date_created: wpDate(v.created),
    date_created_gmt: wpDate(v.created),
    date_modified: wpDate(v.modified),
    date_modified_gmt: wpDate(v.modified),
    description: context === 'view' ? wpautop(v.description) : v.description,
    permalink: permalink(base, v, state),
    sku: v.sku,
    price,
    regular_price: v.regularPrice,
    sale_price: v.salePrice,
    date_on_sale_from: null,
    date_on_sale_from_gmt: null,
    date_on_sale_to: null,
    date_on_sale_to_gmt: null,
    on_sale: v.salePrice !== '' && v.salePrice !== v.regularPrice,
    status: v.status,
    purchasable: price !== '',
    virtual: v.virtual,
    downloadable: v.downloadable,
    downloads: [],
    download_limit: -1,
    download_expiry: -1,
    tax_status: v.taxStatus,
    tax_class: v.taxClass,
    manage_stock: v.manageStock,
    stock_quantity: v.manageStock ? v.stockQuantity : null,
    stock_status: stockStatus(v, state),
    backorders: v.backorders,
    backorders_allowed: v.backorders !== 'no',
    backordered: v.manageStock && (v.stockQuantity ?? 0) < 0 && v.backorders !== 'no',
    low_stock_amount: v.lowStockAmount,
    weight: v.weight,
    dimensions: { ...v.dimensions },
    shipping_class: v.shippingClass,
    shipping_class_id: 0,
    image: null,
    attributes: v.options.map((o) => ({ ...o })),
    menu_order: v.menuOrder,
    meta_data: metaOut(v),
    _links: links(base, v, true),
  };
}
