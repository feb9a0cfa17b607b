/**
 * The sandbox's catalog, entered in the simulated Odoo as a person would (the ERP is the catalog and stock
 * master in the starter config): two categories, five simple products with SKUs and prices, stock in
 * WH/Stock, the sale tax the shop's prices include, and nothing in the shop yet — `tandem sync --initial`
 * brings it there.
 */
import type { OdooSimulator } from '../simulators/index.js';

export const SANDBOX_TAX = 'VAT 20% incl.';

export interface SandboxProduct {
  sku: string;
  name: string;
  price: string;
  category: string;
  stock: number;
}

export const SANDBOX_CATALOG: readonly SandboxProduct[] = [
  { sku: 'SNK-RUN-42', name: 'Runner Sneaker 42', price: '89.00', category: 'Shoes', stock: 12 },
  { sku: 'SNK-RUN-43', name: 'Runner Sneaker 43', price: '89.00', category: 'Shoes', stock: 8 },
  { sku: 'SNK-TRL-42', name: 'Trail Sneaker 42', price: '109.00', category: 'Shoes', stock: 5 },
  { sku: 'SOCK-3', name: 'Cotton Socks (3 pairs)', price: '12.50', category: 'Accessories', stock: 40 },
  { sku: 'CAP-1', name: 'Cap', price: '19.90', category: 'Accessories', stock: 3 },
];

/** Creates the catalog in Odoo (idempotent: a SKU already there is left alone); returns how many products it created. */
export function seedSandboxCatalog(odoo: OdooSimulator): number {
  const env = odoo.env;
  const storable = env.version >= 18 ? { type: 'consu', is_storable: true } : { detailed_type: 'product' };
  const categories = new Map<string, number>();
  const categoryId = (name: string): number => {
    const known = categories.get(name) ?? (env.search('product.category', [['name', '=', name]])[0] as number | undefined);
    const id = known ?? env.create('product.category', { name });
    categories.set(name, id);
    return id;
  };
  const stock = env.ref('stock.stock_location_stock');
  let created = 0;
  for (const p of SANDBOX_CATALOG) {
    if (env.search('product.product', [['default_code', '=', p.sku]]).length) continue;
    const tmpl = env.create('product.template', { name: p.name, list_price: Number(p.price), default_code: p.sku, categ_id: categoryId(p.category), sale_ok: true, ...storable });
    const [variant] = env.search('product.product', [['product_tmpl_id', '=', tmpl]]) as number[];
    env.setStock(variant as number, p.stock, stock);
    created += 1;
  }
  if (env.search('account.tax', [['name', '=', SANDBOX_TAX]]).length === 0) {
    env.create('account.tax', { name: SANDBOX_TAX, amount: 20, amount_type: 'percent', type_tax_use: 'sale', price_include: true, description: '20% incl.' });
  }
  return created;
}

/** Sets the on-hand quantity of a SKU in WH/Stock; false when the ERP has no such SKU. */
export function setSandboxStock(odoo: OdooSimulator, sku: string, quantity: number): boolean {
  const [variant] = odoo.env.search('product.product', [['default_code', '=', sku]]) as number[];
  if (variant === undefined) return false;
  odoo.env.setStock(variant, quantity, odoo.env.ref('stock.stock_location_stock'));
  return true;
}
