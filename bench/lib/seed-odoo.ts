/**
 * Puts the benchmark catalog straight into the Odoo simulator's database (no HTTP, no cost): simple
 * products as product.product, apparel as product.template with a Size attribute line (Odoo generates the
 * four variants), then each variant's SKU. Setup for the ERP → shop direction, not measured.
 */
import type { OdooSimulator } from '../../src/simulators/index.js';
import { SIZES, catalogItems, catalogShape } from './catalog.js';

const CHUNK = 2_000;

export function seedOdooCatalog(sim: OdooSimulator, prefix: string, variants: number): { products: number; variants: number } {
  const storable = sim.version >= 18 ? { type: 'consu', is_storable: true } : { detailed_type: 'product' };
  const env = sim.env;
  const existing = env.search('product.attribute', [['name', '=', 'Size']]);
  const attrId = existing[0] ?? env.create('product.attribute', { name: 'Size', create_variant: 'always' });
  const valueIds = SIZES.map((s) => env.search('product.attribute.value', [['attribute_id', '=', attrId], ['name', '=', s]])[0] ?? env.create('product.attribute.value', { name: s, attribute_id: attrId }));
  const shape = catalogShape(variants);
  let made = 0;
  for (let from = 0; from < shape.products; from += CHUNK) {
    const items = [...catalogItems(prefix, variants, from, Math.min(shape.products, from + CHUNK))];
    const simple = items.filter((i) => i.sku);
    const apparel = items.filter((i) => i.sizes);
    env.createMany('product.product', simple.map((i) => ({ name: i.name, default_code: i.sku as string, list_price: Number(i.price), invoice_policy: 'delivery', ...storable })));
    const tmplIds = env.createMany(
      'product.template',
      apparel.map((i) => ({ name: i.name, list_price: Number(i.price), invoice_policy: 'delivery', ...storable, attribute_line_ids: [[0, 0, { attribute_id: attrId, value_ids: [[6, 0, valueIds]] }]] })),
    );
    const rows = env.searchRead('product.product', [['product_tmpl_id', 'in', tmplIds]], ['product_tmpl_id', 'product_template_attribute_value_ids']);
    const ptavs = new Map(env.searchRead('product.template.attribute.value', [['product_tmpl_id', 'in', tmplIds]], ['product_attribute_value_id']).map((r) => [r.id as number, (r.product_attribute_value_id as [number, string])[0]]));
    const itemOf = new Map(tmplIds.map((id, k) => [id, apparel[k]!]));
    for (const r of rows) {
      const item = itemOf.get((r.product_tmpl_id as [number, string])[0])!;
      const valueId = ptavs.get((r.product_template_attribute_value_ids as number[])[0]!);
      const size = SIZES[valueIds.indexOf(valueId as number)];
      const sku = item.sizes?.find((s) => s.size === size)?.sku;
      if (!sku) throw new Error(`seed: no SKU for variant ${String(r.id)} of ${item.name}`);
      env.write('product.product', [r.id as number], { default_code: sku });
    }
    made += simple.length + apparel.length;
  }
  return { products: made, variants };
}
