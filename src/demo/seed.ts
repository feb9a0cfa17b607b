/**
 * The demo shop's catalog, created through the shop's own API (as its admin would), and the ERP's sale
 * tax for price-included shop prices (created in the simulated Odoo the way an accountant would set it up).
 */
import type { Product } from '../model/entities.js';
import type { Stack } from './stack.js';
import { SNEAKER } from './story.js';

export const DEMO_TAX = 'VAT 20% incl.';

function product(name: string, sku: string, price: string, currency: string, sizes?: string[]): Product {
  const variants = (sizes ?? [null]).map((size) => ({
    sku: size ? `${sku}-${size}` : sku,
    barcode: null,
    attributes: (size ? { Size: size } : {}) as Record<string, string>,
    price: { amount: price, currency },
    salePrice: null,
    weight: { value: '0.9', unit: 'kg' as const },
    active: true,
  }));
  return { name, description: '', categoryIds: [], attributes: sizes ? [{ name: 'Size', values: sizes }] : [], variants, active: true, tracksStock: true };
}

/** `tag`: prefix of every SKU of this run ("" for the simulators; unique per run against real systems). */
export function demoCatalog(currency: string, tag = ''): Product[] {
  return [
    product('Runner Sneaker', `${tag}${SNEAKER.sku.replace(/-\d+$/, '')}`, '89.00', currency, ['42', '43', '44']),
    product('Trail Sneaker', `${tag}SNK-TRL`, '109.00', currency, ['42', '43']),
    product('Cotton Socks (3 pairs)', `${tag}SOCK-3`, '12.50', currency),
  ];
}

/**
 * The ERP product for shipping lines (orders.shippingProduct), for an Odoo without the delivery module (no
 * delivery methods to put a shipping line on). Created once per SKU, as an ERP admin would.
 */
export async function seedErpShippingProduct(stack: Stack, sku: string, currency: string): Promise<void> {
  if (((await stack.engine.erp.orders.resolveProducts([sku])).get(sku) ?? []).length > 0) return;
  const variant = { sku, barcode: null, attributes: {}, price: { amount: '0.00', currency }, salePrice: null, weight: null, active: true };
  const [res] = await stack.engine.erp.write('product', [{ kind: 'create', key: 'shipping', record: { name: 'Shipping', description: '', categoryIds: [], attributes: [], variants: [variant], active: true, tracksStock: false } }], { lookup: () => undefined });
  if (res && !res.ok) throw res.error;
}

export async function seedDemo(stack: Stack, currency = 'EUR', tag = ''): Promise<{ products: number }> {
  const catalog = demoCatalog(currency, tag);
  const existing = await stack.engine.shop.findByNaturalKey('product', catalog.map((p) => ({ type: 'sku' as const, value: p.variants[0]!.sku })));
  const missing = catalog.filter((p) => !existing.has(`sku:${p.variants[0]!.sku}`));
  if (missing.length) {
    const res = await stack.engine.shop.write('product', missing.map((p, i) => ({ kind: 'create' as const, key: `demo-${i}`, record: p })), { lookup: () => undefined });
    const failed = res.find((r) => !r.ok);
    if (failed && !failed.ok) throw failed.error;
  }
  if (stack.odoo && stack.odoo.env.search('account.tax', [['name', '=', DEMO_TAX]]).length === 0) {
    stack.odoo.env.create('account.tax', { name: DEMO_TAX, amount: 20, amount_type: 'percent', type_tax_use: 'sale', price_include: true, description: '20% incl.' });
  }
  return { products: catalog.length };
}
