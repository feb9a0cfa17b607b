/**
 * A seeded catalog for the end-to-end tests, deterministic (index-based, no randomness):
 *  - shop: categories, products (some simple, most Size × Color), customers with addresses, stock;
 *  - Odoo: products that already exist with the same SKUs, products only in Odoo, customers in both
 *    (email in another case), customers only in Odoo, one SKU carried by two Odoo products (ambiguous),
 *    stock in two warehouses.
 */
import type { OdooSimulator } from '../../../src/simulators/index.js';
import type { Sims } from './sims.js';

export interface CatalogSpec {
  /** Shop products (≥ 500 in the big test). */
  products: number;
  /** Every n-th shop product is simple (one variant); the others are Size × Color. */
  simpleEvery: number;
  customers: number;
  /** Shop products that already exist in Odoo with the same SKUs (simple and variant ones). */
  overlapProducts: number;
  /** Products only in Odoo. */
  odooOnlyProducts: number;
  /** Shop customers that exist in Odoo too (email in another case). */
  overlapCustomers: number;
  odooOnlyCustomers: number;
  /** One shop SKU that two Odoo products carry. */
  ambiguousSku?: boolean;
}

export const SIZES = ['S', 'M'];
export const COLORS = ['Red', 'Blue'];
export const AMBIGUOUS_SKU = 'DUP-0001';

export interface SeededCatalog {
  spec: CatalogSpec;
  /** Every SKU sold in the shop after seeding (shop products). */
  shopSkus: string[];
  /** SKUs of the Odoo-only products. */
  odooOnlySkus: string[];
  /** SKUs that should end up on both sides (everything but the ambiguous one). */
  expectedSkus: string[];
  shopEmails: string[];
  odooOnlyEmails: string[];
  categoryIds: number[];
}

const pad = (n: number) => String(n).padStart(4, '0');
export const productSku = (i: number) => `P${pad(i)}`;
export const variantSku = (i: number, size: string, color: string) => `P${pad(i)}-${size}-${color[0]}`;
export const customerEmail = (i: number) => `customer.${pad(i)}@example.com`;
const price = (i: number) => `${10 + (i % 50)}.${String((i * 7) % 100).padStart(2, '0')}`;

interface ShopProductItem extends Record<string, unknown> {
  name: string;
  variants: Array<{ sku: string; price: string; attributes?: Record<string, string>; barcode?: string }>;
}

export function shopProduct(i: number, simpleEvery: number, categoryIds: number[]): ShopProductItem {
  const category = categoryIds.length ? [categoryIds[i % categoryIds.length] as number] : [];
  if (i % simpleEvery === 0) {
    return { name: `Simple product ${pad(i)}`, category_ids: category, variants: [{ sku: productSku(i), price: price(i), barcode: `40${pad(i)}0000001` }] };
  }
  const variants = SIZES.flatMap((size) => COLORS.map((color) => ({ sku: variantSku(i, size, color), price: price(i), attributes: { Size: size, Color: color } })));
  return { name: `Shirt ${pad(i)}`, category_ids: category, attributes: [{ name: 'Size', values: SIZES }, { name: 'Color', values: COLORS }], variants };
}

export function skusOf(item: ShopProductItem): string[] {
  return item.variants.map((v) => v.sku);
}

export function seedCatalog(sims: Sims, spec: CatalogSpec): SeededCatalog {
  const { shop, odoo } = sims;
  const categoryIds = shop.seed.categories([{ name: 'Shirts' }, { name: 'Basics' }, { name: 'Sale' }]);
  const items = Array.from({ length: spec.products }, (_, k) => shopProduct(k + 1, spec.simpleEvery, categoryIds));
  if (spec.ambiguousSku) items.push({ name: 'Duplicated in Odoo', variants: [{ sku: AMBIGUOUS_SKU, price: '5.00' }] });
  shop.seed.products(items);
  const shopSkus = items.flatMap(skusOf);
  // shop stock (overwritten by the ERP's figures: the ERP is the stock master)
  shop.seed.stock(shopSkus.flatMap((sku) => [{ sku, location: 'berlin', quantity: 99 }, { sku, location: 'kyiv', quantity: 99 }]));

  const customers = Array.from({ length: spec.customers }, (_, k) => ({
    email: customerEmail(k + 1),
    first_name: `First${pad(k + 1)}`,
    last_name: `Last${pad(k + 1)}`,
    phone: `+49 30 ${pad(k + 1)}`,
    addresses: [
      { type: 'invoice', name: `First${pad(k + 1)} Last${pad(k + 1)}`, street: `Street ${k + 1}`, city: 'Berlin', zip: '10115', country: 'DE' },
      ...(k % 3 === 0 ? [{ type: 'delivery', name: `First${pad(k + 1)} Last${pad(k + 1)}`, street: `Depot ${k + 1}`, city: 'Hamburg', zip: '20095', country: 'DE' }] : []),
    ],
  }));
  shop.seed.customers(customers);

  // Odoo: the same products for the first `overlapProducts` shop products, then Odoo-only ones
  const attrs = odooAttributes(odoo);
  for (let k = 0; k < spec.overlapProducts; k++) createOdooProduct(odoo, items[k] as ShopProductItem, attrs);
  const odooOnly: ShopProductItem[] = [];
  for (let k = 0; k < spec.odooOnlyProducts; k++) {
    const i = 9000 + k;
    const item = shopProduct(i, k % 2 === 0 ? 1 : 1_000_000, []);
    item.name = `ERP product ${pad(i)}`;
    odooOnly.push(item);
    createOdooProduct(odoo, item, attrs);
  }
  if (spec.ambiguousSku) {
    createOdooProduct(odoo, { name: 'Duplicate A', variants: [{ sku: AMBIGUOUS_SKU, price: '5.00' }] }, attrs);
    createOdooProduct(odoo, { name: 'Duplicate B', variants: [{ sku: AMBIGUOUS_SKU, price: '6.00' }] }, attrs);
  }
  const odooOnlySkus = odooOnly.flatMap(skusOf);
  // stock in both warehouses for every product Odoo has
  const [wh1, wh2] = [odoo.env.ref('stock.stock_location_stock'), odoo.env.search('stock.location', [['complete_name', '=', sims.erpLocations[1]]])[0] as number];
  const stocked = [...items.slice(0, spec.overlapProducts), ...odooOnly].flatMap(skusOf);
  const variantIds = new Map(odoo.env.searchRead('product.product', [['default_code', 'in', stocked]], ['default_code']).map((r) => [String(r.default_code), r.id as number]));
  stocked.forEach((sku, n) => {
    const id = variantIds.get(sku) as number;
    odoo.env.setStock(id, 10 + (n % 7), wh1);
    odoo.env.setStock(id, n % 4, wh2);
  });

  for (let k = 0; k < spec.overlapCustomers; k++) {
    const c = customers[k] as (typeof customers)[number];
    // same person, email typed in another case; address data as the shop has it
    odoo.env.create('res.partner', { name: `${c.first_name} ${c.last_name}`, email: c.email.toUpperCase(), phone: c.phone, customer_rank: 1 });
  }
  const odooOnlyEmails: string[] = [];
  for (let k = 0; k < spec.odooOnlyCustomers; k++) {
    const email = `erp.only.${pad(k + 1)}@example.com`;
    odooOnlyEmails.push(email);
    odoo.env.create('res.partner', { name: `Erp Only${pad(k + 1)}`, email, customer_rank: 1, street: `ERP street ${k + 1}`, city: 'Kyiv', zip: '01001' });
  }
  return {
    spec,
    shopSkus,
    odooOnlySkus,
    expectedSkus: [...shopSkus, ...odooOnlySkus].filter((s) => s !== AMBIGUOUS_SKU),
    shopEmails: customers.map((c) => c.email),
    odooOnlyEmails,
    categoryIds,
  };
}

type AttrIds = Map<string, { id: number; values: Map<string, number> }>;

function odooAttributes(odoo: OdooSimulator): AttrIds {
  const out: AttrIds = new Map();
  for (const [name, values] of [['Size', SIZES], ['Color', COLORS]] as const) {
    const id = odoo.env.create('product.attribute', { name, create_variant: 'always' });
    out.set(name, { id, values: new Map(values.map((v) => [v, odoo.env.create('product.attribute.value', { name: v, attribute_id: id })])) });
  }
  return out;
}

/** The product as a person would have entered it in Odoo: a template, attribute lines, SKUs on the variants. */
function createOdooProduct(odoo: OdooSimulator, item: ShopProductItem, attrs: AttrIds): number {
  const env = odoo.env;
  const storable = env.version >= 18 ? { type: 'consu', is_storable: true } : { detailed_type: 'product' };
  const simple = item.variants.length === 1 && !item.variants[0]?.attributes;
  const first = item.variants[0]!;
  if (simple) {
    return env.create('product.template', { name: item.name, list_price: Number(first.price), default_code: first.sku, ...(first.barcode && { barcode: first.barcode }), sale_ok: true, ...storable });
  }
  const lines = [...attrs.values()].map((a) => [0, 0, { attribute_id: a.id, value_ids: [[6, 0, [...a.values.values()]]] }]);
  const tmpl = env.create('product.template', { name: item.name, list_price: Number(first.price), attribute_line_ids: lines, sale_ok: true, ...storable });
  const variants = env.searchRead('product.product', [['product_tmpl_id', '=', tmpl]], ['product_template_attribute_value_ids']);
  const ptavs = new Map(env.searchRead('product.template.attribute.value', [['product_tmpl_id', '=', tmpl]], ['attribute_id', 'name']).map((p) => [p.id as number, { attr: (p.attribute_id as [number, string])[1], value: String(p.name) }]));
  for (const v of variants) {
    const combo = Object.fromEntries((v.product_template_attribute_value_ids as number[]).map((id) => [ptavs.get(id)!.attr, ptavs.get(id)!.value]));
    const want = item.variants.find((x) => Object.entries(x.attributes ?? {}).every(([k, val]) => combo[k] === val));
    if (want) env.write('product.product', [v.id as number], { default_code: want.sku });
  }
  return tmpl;
}
