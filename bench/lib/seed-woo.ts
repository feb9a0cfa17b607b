/**
 * The benchmark catalog (bench/lib/catalog.ts) in the WooCommerce simulator's state, as the REST API would
 * have stored it: simple products, and variable products with a custom "Size" attribute and one variation
 * per size (SKU, regular price, managed stock). Written into the state directly: seeding 100,000 variants
 * through the API would take longer than the benchmark itself.
 */
import type { WooSimulator } from '../../src/simulators/index.js';
import { blankProduct } from '../../src/simulators/woocommerce/write-product.js';
import { SIZES, catalogItems, catalogShape } from './catalog.js';

export function seedWooCatalog(woo: WooSimulator, prefix: string, variants: number, stock = 10): { products: number; variants: number } {
  const state = woo.store;
  const shape = catalogShape(variants);
  let i = 0;
  for (const item of catalogItems(prefix, variants)) {
    const p = blankProduct(state, item.sku ? 'simple' : 'variable');
    p.name = item.name;
    p.slug = `${prefix.toLowerCase()}-${i++}`;
    p.categories = [15];
    state.products.set(p.id, p);
    if (item.sku) {
      p.regularPrice = item.price;
      p.manageStock = true;
      p.stockQuantity = stock;
      state.setSku(p, item.sku);
      continue;
    }
    p.attributes = [{ id: 0, name: 'Size', position: 0, visible: true, variation: true, options: [...SIZES] }];
    for (const s of item.sizes ?? []) {
      const v = blankProduct(state, 'variation', p.id);
      v.name = `${item.name} - ${s.size}`;
      v.reviewsAllowed = false;
      v.regularPrice = item.price;
      v.manageStock = true;
      v.stockQuantity = stock;
      v.options = [{ id: 0, name: 'Size', option: s.size }];
      state.products.set(v.id, v);
      state.setSku(v, s.sku);
      p.variations.push(v.id);
    }
  }
  state.touch();
  return { products: shape.products, variants };
}

/** Products (parents) and variants (simple products and variations) whose SKU starts with the prefix. */
export function countWoo(woo: WooSimulator, prefix: string): { products: number; variants: number } {
  const parents = new Set<number>();
  let variants = 0;
  for (const p of woo.store.products.values()) {
    if (p.status === 'trash' || !p.sku.startsWith(`${prefix}-`) || p.type === 'variable') continue;
    variants += 1;
    parents.add(p.type === 'variation' ? p.parentId : p.id);
  }
  return { products: parents.size, variants };
}
