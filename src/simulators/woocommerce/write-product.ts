/** Creating and updating products and variations from REST payloads, with WooCommerce's rules. */
import type { Meta, ProductRec, WooState } from './state.js';
import { WpError } from './respond.js';
import { slugify, wpEscapeName } from './php.js';
import { Decimal } from '../../model/decimal.js';

export type Fire = (topic: string, resource: 'product' | 'order' | 'customer', id: number) => void;

type Payload = Record<string, unknown>;

export function blankProduct(state: WooState, type: ProductRec['type'], parentId = 0): ProductRec {
  const t = state.now();
  return {
    id: state.nextPostId(),
    type,
    parentId,
    name: '',
    slug: '',
    status: 'publish',
    description: '',
    shortDescription: '',
    sku: '',
    regularPrice: '',
    salePrice: '',
    manageStock: false,
    stockQuantity: null,
    stockStatus: 'instock',
    backorders: 'no',
    lowStockAmount: null,
    weight: '',
    dimensions: { length: '', width: '', height: '' },
    taxStatus: 'taxable',
    taxClass: '',
    shippingClass: '',
    categories: [],
    tags: [],
    attributes: [],
    options: [],
    variations: [],
    meta: [],
    created: t,
    modified: t,
    totalSales: 0,
    menuOrder: 0,
    featured: false,
    catalogVisibility: 'visible',
    virtual: false,
    downloadable: false,
    soldIndividually: false,
    reviewsAllowed: true,
    purchaseNote: '',
  };
}

/** wc_format_decimal: "12.5" stays "12.5"; numbers become strings; '' clears. */
function decimalString(v: unknown): string {
  if (v === null || v === undefined || v === '') return '';
  const s = String(v).trim();
  return Decimal.isDecimal(s) ? s : '';
}

/** wc_stock_amount(): intval of numbers and numeric strings. */
function stockAmount(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number.parseFloat(String(v));
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

/** meta_data: entries with an id update that entry; entries with a key only update the first entry with that key. */
export function applyMeta(state: WooState, meta: Meta[], input: unknown): void {
  if (!Array.isArray(input)) return;
  for (const raw of input) {
    if (!raw || typeof raw !== 'object') continue;
    const m = raw as { id?: unknown; key?: unknown; value?: unknown };
    const byId = m.id !== undefined ? meta.find((e) => e.id === Number(m.id)) : undefined;
    if (byId) {
      if (m.value === null) meta.splice(meta.indexOf(byId), 1);
      else {
        if (typeof m.key === 'string') byId.key = m.key;
        byId.value = m.value;
      }
      continue;
    }
    if (typeof m.key !== 'string') continue;
    const existing = meta.find((e) => e.key === m.key);
    if (existing) existing.value = m.value ?? '';
    else meta.push({ id: state.nextMetaId(), key: m.key, value: m.value ?? '' });
  }
}

function checkSku(state: WooState, p: ProductRec, sku: string): void {
  if (sku === '') return;
  const other = state.productBySku(sku);
  if (other && other.id !== p.id && other.status !== 'trash') {
    let n = 1;
    while (state.productBySku(`${sku}-${n}`)) n += 1;
    throw new WpError('product_invalid_sku', 'Invalid or duplicated SKU.', 400, { resource_id: other.id, unique_sku: `${sku}-${n}` });
  }
}

function uniqueSlug(state: WooState, wanted: string, selfId: number): string {
  const base = slugify(wanted);
  let slug = base;
  let n = 2;
  const taken = (s: string) => [...state.products.values()].some((p) => p.id !== selfId && p.parentId === 0 && p.slug === s);
  // Checking every product is O(n); only do it when the obvious slug could collide (names are usually unique).
  if (state.products.size > 5000) return slug;
  while (taken(slug)) slug = `${base}-${n++}`;
  return slug;
}

/** Applies a product payload (create or update). Throws WpError like WC_Data_Exception does. */
export function applyProductPayload(state: WooState, p: ProductRec, body: Payload, isNew: boolean): void {
  if (typeof body.sku === 'string') checkSku(state, p, body.sku.trim());
  if (typeof body.type === 'string' && isNew && p.type !== 'variation') p.type = body.type as ProductRec['type'];
  if (typeof body.name === 'string') p.name = wpEscapeName(body.name);
  if (typeof body.slug === 'string' && body.slug !== '') p.slug = slugify(body.slug);
  else if (isNew && p.type !== 'variation') p.slug = uniqueSlug(state, p.name || `product-${p.id}`, p.id);
  if (typeof body.status === 'string') p.status = body.status;
  if (typeof body.description === 'string') p.description = body.description;
  if (typeof body.short_description === 'string') p.shortDescription = body.short_description;
  if (body.regular_price !== undefined) p.regularPrice = decimalString(body.regular_price);
  if (body.sale_price !== undefined) p.salePrice = decimalString(body.sale_price);
  if (typeof body.featured === 'boolean') p.featured = body.featured;
  if (typeof body.catalog_visibility === 'string') p.catalogVisibility = body.catalog_visibility;
  if (typeof body.virtual === 'boolean') p.virtual = body.virtual;
  if (typeof body.tax_status === 'string') p.taxStatus = body.tax_status;
  if (typeof body.tax_class === 'string') p.taxClass = body.tax_class;
  if (typeof body.weight === 'string' || typeof body.weight === 'number') p.weight = String(body.weight);
  if (body.dimensions && typeof body.dimensions === 'object') Object.assign(p.dimensions, body.dimensions);
  if (typeof body.menu_order === 'number') p.menuOrder = body.menu_order;
  if (typeof body.backorders === 'string') p.backorders = body.backorders;
  if (typeof body.stock_status === 'string') p.stockStatus = body.stock_status;
  if (body.low_stock_amount !== undefined) p.lowStockAmount = stockAmount(body.low_stock_amount);
  if (p.type === 'variable' && isNew && body.manage_stock === undefined) p.manageStock = false;
  if (body.manage_stock !== undefined) p.manageStock = body.manage_stock === true || body.manage_stock === 'true' || body.manage_stock === 1;
  if (body.stock_quantity !== undefined && p.manageStock) p.stockQuantity = stockAmount(body.stock_quantity);
  if (Array.isArray(body.categories)) {
    p.categories = body.categories
      .map((c) => Number((c as { id?: unknown }).id))
      .filter((id) => Number.isInteger(id) && state.categories.has(id));
  }
  if (isNew && p.parentId === 0 && p.categories.length === 0) p.categories = [15];
  if (Array.isArray(body.attributes)) {
    if (p.type === 'variation') {
      p.options = body.attributes.map((a) => {
        const x = a as { id?: number; name?: string; option?: string };
        return { id: Number(x.id ?? 0), name: String(x.name ?? ''), option: String(x.option ?? '') };
      });
    } else {
      p.attributes = body.attributes.map((a, i) => {
        const x = a as { id?: number; name?: string; position?: number; visible?: boolean; variation?: boolean; options?: unknown[] };
        return {
          id: Number(x.id ?? 0),
          name: String(x.name ?? ''),
          position: x.position ?? i,
          visible: x.visible ?? false,
          variation: x.variation ?? false,
          options: (x.options ?? []).map(String),
        };
      });
    }
  }
  applyMeta(state, p.meta, body.meta_data);
  if (typeof body.sku === 'string') state.setSku(p, body.sku.trim());
  p.modified = state.now();
}

/** A variation's parent: its modified date moves when a variation is created, changed or removed. */
export function syncParent(state: WooState, parentId: number): void {
  const parent = state.products.get(parentId);
  if (parent) parent.modified = state.now();
}
