/**
 * The benchmark catalog: N variants, half of them in simple products (one variant) and half in apparel
 * products of four sizes, in blocks of 8 variants (4 simple products + 1 product in S/M/L/XL). So N
 * variants = N × 5/8 products. Deterministic: the same N gives the same catalog (SKUs `${prefix}-…`).
 */
export const SIZES = ['S', 'M', 'L', 'XL'] as const;
export const BLOCK_VARIANTS = 8;

export interface CatalogItem {
  name: string;
  price: string;
  /** Simple product: one SKU. */
  sku?: string;
  /** Apparel product: one SKU per size. */
  sizes?: Array<{ size: string; sku: string }>;
}

export interface CatalogShape {
  variants: number;
  products: number;
  simple: number;
  variable: number;
}

export function catalogShape(variants: number): CatalogShape {
  if (variants % BLOCK_VARIANTS !== 0) throw new Error(`the catalog size must be a multiple of ${BLOCK_VARIANTS}, got ${variants}`);
  const blocks = variants / BLOCK_VARIANTS;
  return { variants, products: blocks * 5, simple: blocks * 4, variable: blocks };
}

/** Item `i` of the catalog (0 ≤ i < products). */
export function catalogItem(prefix: string, i: number): CatalogItem {
  const block = Math.floor(i / 5);
  const price = `${10 + (i % 90)}.90`;
  if (i % 5 < 4) return { name: `${prefix} Tee ${i}`, price, sku: `${prefix}-${i}` };
  return { name: `${prefix} Hoodie ${block}`, price, sizes: SIZES.map((size) => ({ size, sku: `${prefix}-${i}-${size}` })) };
}

export function* catalogItems(prefix: string, variants: number, from = 0, to = catalogShape(variants).products): Generator<CatalogItem> {
  for (let i = from; i < to; i++) yield catalogItem(prefix, i);
}

/** The item in the REST shop contract's write shape (docs/rest-shop.md). */
export function restShopItem(item: CatalogItem): Record<string, unknown> {
  if (item.sku) return { name: item.name, description: '', variants: [{ sku: item.sku, price: item.price }] };
  return {
    name: item.name,
    description: '',
    attributes: [{ name: 'Size', values: SIZES }],
    variants: (item.sizes ?? []).map((s) => ({ sku: s.sku, price: item.price, attributes: { Size: s.size } })),
  };
}
