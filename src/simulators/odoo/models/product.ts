/**
 * Catalog: categories, attributes and values, templates with attribute lines creating variants (cartesian
 * product), PTAV price_extra, lst_price = list_price + extras, `[SKU] Name (42, Red)` display names,
 * per-version product types, barcode uniqueness.
 */
import type { ModelSpec, Env } from '../orm/types.js';
import type { Rec } from '../orm/table.js';
import type { Vals } from '../types.js';
import { productQty, QTY_FIELDS } from './stock-qty.js';
import { roundFloat } from './money.js';
import { checkBarcodes, comboKey, priceExtra, syncLineValues, syncVariants, variantDisplayName, variantsOf, variantValueIds } from './product-variants.js';

export { isStorable, productTemplate } from './product-variants.js';

function typeDefaults(env: Env, vals: Vals): void {
  if (env.traits.storableByDetailedType) {
    if (vals.detailed_type === undefined && typeof vals.type === 'string') vals.detailed_type = vals.type;
    if (vals.detailed_type !== undefined) vals.type = vals.detailed_type;
  }
}

const VARIANT_OWN = new Set([
  'default_code', 'barcode', 'active', 'product_template_attribute_value_ids', 'combination_indices', 'standard_price',
  'lst_price', 'price_extra', 'code', 'partner_ref', 'is_product_variant', 'product_template_variant_value_ids',
  ...QTY_FIELDS, 'create_date', 'write_date', 'create_uid', 'write_uid', 'display_name', 'stock_quant_ids', 'stock_move_ids',
]);

const tmplQty = (field: string) => (env: Env, t: Rec) => roundFloat(variantsOf(env, t.id).reduce((s, v) => s + productQty(env, v.id, field), 0), 4);

export const productModels: ModelSpec[] = [
  {
    name: 'product.category',
    description: 'Product Category',
    order: 'complete_name',
    parentField: 'parent_id',
    required: ['name'],
    indexes: ['parent_id'],
    compute: {
      complete_name: (env, r) => {
        const parts: string[] = [];
        let cur: Rec | undefined = r;
        const seen = new Set<number>();
        while (cur && !seen.has(cur.id)) {
          seen.add(cur.id);
          parts.unshift(String(cur.name ?? ''));
          cur = typeof cur.parent_id === 'number' ? env.rec('product.category', cur.parent_id) : undefined;
        }
        return parts.join(' / ');
      },
      product_count: (env, r) => env.sudo().searchCount('product.template', [['categ_id', 'child_of', r.id]]),
    },
    displayName: (env, r) => String(env.value(env.model('product.category'), r, 'complete_name')),
  },
  {
    name: 'product.attribute',
    description: 'Product Attribute',
    order: 'sequence, id',
    required: ['name'],
    fields: {
      name: { type: 'char', string: 'Attribute', required: true },
      sequence: { type: 'integer', string: 'Sequence' },
      create_variant: { type: 'selection', string: 'Variant Creation', selection: [['always', 'Instantly'], ['dynamic', 'Dynamically'], ['no_variant', 'Never (option)']] },
      display_type: { type: 'selection', string: 'Display Type', selection: [['radio', 'Radio'], ['pills', 'Pills'], ['select', 'Select'], ['color', 'Color'], ['multi', 'Multi-checkbox']] },
      value_ids: { type: 'one2many', relation: 'product.attribute.value', string: 'Values', inverse: 'attribute_id' },
      attribute_line_ids: { type: 'one2many', relation: 'product.template.attribute.line', string: 'Lines', inverse: 'attribute_id' },
      active: { type: 'boolean', string: 'Active' },
    },
    defaults: () => ({ create_variant: 'always', display_type: 'radio', sequence: 20 }),
  },
  {
    name: 'product.attribute.value',
    description: 'Attribute Value',
    order: 'attribute_id, sequence, id',
    indexes: ['attribute_id'],
    required: ['name', 'attribute_id'],
    fields: {
      name: { type: 'char', string: 'Value', required: true },
      sequence: { type: 'integer', string: 'Sequence' },
      attribute_id: { type: 'many2one', relation: 'product.attribute', string: 'Attribute', required: true },
      html_color: { type: 'char', string: 'Color' },
      is_custom: { type: 'boolean', string: 'Free text' },
      default_extra_price: { type: 'float', string: 'Default Extra Price' },
      active: { type: 'boolean', string: 'Active' },
    },
    defaults: () => ({ sequence: 0 }),
    displayName: (env, r) => `${String(env.rec('product.attribute', r.attribute_id as number)?.name ?? '')}: ${String(r.name)}`,
  },
  {
    name: 'product.template.attribute.line',
    description: 'Product Template Attribute Line',
    order: 'sequence, attribute_id, id',
    indexes: ['product_tmpl_id'],
    required: ['attribute_id'],
    fields: {
      product_tmpl_id: { type: 'many2one', relation: 'product.template', string: 'Product Template', required: true },
      attribute_id: { type: 'many2one', relation: 'product.attribute', string: 'Attribute', required: true },
      value_ids: { type: 'many2many', relation: 'product.attribute.value', string: 'Values' },
      product_template_value_ids: { type: 'one2many', relation: 'product.template.attribute.value', string: 'Product Attribute Values', inverse: 'attribute_line_id' },
      sequence: { type: 'integer', string: 'Sequence' },
      active: { type: 'boolean', string: 'Active' },
      value_count: { type: 'integer', store: false },
    },
    defaults: () => ({ sequence: 10 }),
    compute: { value_count: (_env, r) => ((r.value_ids as number[] | undefined) ?? []).length },
    displayName: (env, r) => String(env.rec('product.attribute', r.attribute_id as number)?.name ?? ''),
    afterCreate: (env, recs) => {
      for (const l of recs) {
        syncLineValues(env, l);
        const t = env.rec('product.template', l.product_tmpl_id as number);
        if (t && t.create_date !== env.now()) syncVariants(env, t.id);
      }
    },
    afterWrite: (env, recs, vals) => {
      if (!('value_ids' in vals) && !('active' in vals)) return;
      for (const l of recs) {
        syncLineValues(env, l);
        syncVariants(env, l.product_tmpl_id as number);
      }
    },
  },
  {
    name: 'product.template.attribute.value',
    description: 'Product Template Attribute Value',
    order: 'attribute_line_id, id',
    indexes: ['attribute_line_id', 'product_tmpl_id'],
    fields: {
      name: { type: 'char', string: 'Value', store: false },
      product_tmpl_id: { type: 'many2one', relation: 'product.template', string: 'Product Template', required: true },
      attribute_line_id: { type: 'many2one', relation: 'product.template.attribute.line', string: 'Attribute Line', required: true },
      product_attribute_value_id: { type: 'many2one', relation: 'product.attribute.value', string: 'Attribute Value', required: true },
      attribute_id: { type: 'many2one', relation: 'product.attribute', string: 'Attribute' },
      price_extra: { type: 'float', string: 'Extra Price' },
      ptav_active: { type: 'boolean', string: 'Active' },
      html_color: { type: 'char', string: 'HTML Color Index', store: false },
      display_type: { type: 'selection', store: false, selection: [['radio', 'Radio'], ['pills', 'Pills'], ['select', 'Select'], ['color', 'Color'], ['multi', 'Multi-checkbox']] },
    },
    compute: {
      name: (env, r) => String(env.rec('product.attribute.value', r.product_attribute_value_id as number)?.name ?? ''),
      html_color: (env, r) => env.rec('product.attribute.value', r.product_attribute_value_id as number)?.html_color ?? false,
    },
    displayName: (env, r) => env.displayName('product.attribute.value', r.product_attribute_value_id as number),
  },
  {
    name: 'product.template',
    description: 'Product',
    order: 'priority desc, name',
    indexes: ['categ_id'],
    required: ['name'],
    fields: {
      product_variant_count: { type: 'integer', string: '# Product Variants', store: false },
    },
    defaults: (env) => ({
      list_price: 1.0,
      sale_ok: true,
      purchase_ok: true,
      active: true,
      uom_id: env.ref('uom.product_uom_unit'),
      ...(env.version <= 17 ? { uom_po_id: env.ref('uom.product_uom_unit'), detailed_type: 'consu', type: 'consu', categ_id: env.ref('product.product_category_all'), sale_line_warn: 'no-message' } : { type: 'consu', is_storable: false, service_tracking: 'no' }),
      taxes_id: env.db.xmlids.has('account.default_sale_tax') ? [env.ref('account.default_sale_tax')] : [],
      invoice_policy: 'order',
      tracking: 'none',
      priority: '0',
      sequence: 1,
      company_id: false,
    }),
    compute: {
      product_variant_count: (env, t) => variantsOf(env, t.id).length,
      default_code: (env, t) => {
        const vs = variantsOf(env, t.id);
        return vs.length === 1 ? ((vs[0] as Rec).default_code ?? false) : false;
      },
      barcode: (env, t) => {
        const vs = variantsOf(env, t.id);
        return vs.length === 1 ? ((vs[0] as Rec).barcode ?? false) : false;
      },
      product_variant_id: (env, t) => variantsOf(env, t.id)[0]?.id ?? false,
      ...Object.fromEntries(QTY_FIELDS.filter((f) => f !== 'free_qty').map((f) => [f, tmplQty(f)])),
    },
    inverse: {
      default_code: (env, t, v) => {
        const vs = variantsOf(env, t.id);
        if (vs.length === 1) env.write('product.product', [(vs[0] as Rec).id], { default_code: v });
      },
      barcode: (env, t, v) => {
        const vs = variantsOf(env, t.id);
        if (vs.length === 1) env.write('product.product', [(vs[0] as Rec).id], { barcode: v });
      },
    },
    displayName: (env, t) => {
      const code = env.value(env.model('product.template'), t, 'default_code');
      return `${typeof code === 'string' && code ? `[${code}] ` : ''}${String(t.name ?? '')}`;
    },
    beforeCreate: (env, vals) => typeDefaults(env, vals),
    afterCreate: (env, recs, valsList) => {
      if (env.context['create_from_product.product']) return;
      recs.forEach((t, i) => {
        syncVariants(env, t.id);
        const vals = valsList[i] ?? {};
        const own = Object.fromEntries(['default_code', 'barcode', 'standard_price'].filter((k) => k in vals).map((k) => [k, vals[k]]));
        const vs = variantsOf(env, t.id);
        if (vs.length === 1 && Object.keys(own).length) env.write('product.product', [(vs[0] as Rec).id], own);
      });
    },
    beforeWrite: (env, _recs, vals) => typeDefaults(env, vals),
    afterWrite: (env, recs, vals) => {
      for (const t of recs) {
        if ('active' in vals) for (const v of variantsOf(env, t.id, false)) env.sudo().write('product.product', [v.id], { active: !!vals.active });
        // as Odoo: variants are (re)generated for new attribute lines or on unarchiving, never on archiving
        // (that would make the archived template's variants active again)
        if ('attribute_line_ids' in vals || vals.active) syncVariants(env, t.id);
        // variants show template values: their write_date moves too
        const pm = env.model('product.product');
        for (const v of variantsOf(env, t.id)) env.touch(pm, v);
      }
    },
    beforeUnlink: (env, recs) => {
      for (const t of recs) for (const v of variantsOf(env, t.id, false)) env.model('product.product').table.delete(v.id);
    },
  },
  {
    name: 'product.product',
    description: 'Product Variant',
    order: 'default_code, name, id',
    indexes: ['default_code', 'barcode', 'product_tmpl_id'],
    delegate: { field: 'product_tmpl_id', model: 'product.template', own: VARIANT_OWN },
    fields: {
      combination_indices: { type: 'char', string: 'Combination Indices' },
    },
    defaults: () => ({ active: true, standard_price: 0 }),
    compute: {
      price_extra: (env, p) => priceExtra(env, p),
      lst_price: (env, p) => roundFloat(Number(env.rec('product.template', p.product_tmpl_id as number)?.list_price ?? 0) + priceExtra(env, p), 6),
      product_template_variant_value_ids: (env, p) => variantValueIds(env, p),
      code: (_env, p) => p.default_code ?? false,
      partner_ref: (env, p) => variantDisplayName(env, p),
      is_product_variant: () => true,
      ...Object.fromEntries(QTY_FIELDS.map((f) => [f, (env: Env, p: Rec) => productQty(env, p.id, f)])),
    },
    inverse: {
      lst_price: (env, p, v) => env.write('product.template', [p.product_tmpl_id as number], { list_price: roundFloat(Number(v) - priceExtra(env, p), 6) }),
    },
    displayName: (env, p) => variantDisplayName(env, p),
    beforeCreate: (env, vals) => {
      typeDefaults(env, vals);
      const ptavs = vals.product_template_attribute_value_ids;
      const ids = Array.isArray(ptavs) ? (ptavs.flatMap((c) => (Array.isArray(c) && c[0] === 6 ? (c[2] as number[]) : typeof c === 'number' ? [c] : [])) as number[]) : [];
      vals.combination_indices = comboKey(ids);
    },
    afterCreate: (env, recs) => checkBarcodes(env, recs),
    afterWrite: (env, recs, vals) => {
      if ('barcode' in vals || 'active' in vals) checkBarcodes(env, recs);
    },
    beforeUnlink: (env, recs) => {
      const tm = env.model('product.template');
      for (const p of recs) {
        const others = variantsOf(env, p.product_tmpl_id as number, false).filter((v) => v.id !== p.id);
        const t = tm.table.get(p.product_tmpl_id as number);
        if (!others.length && t) tm.table.delete(t.id);
      }
    },
  },
  {
    name: 'product.pricelist',
    description: 'Pricelist',
    order: 'sequence, id',
    required: ['name'],
    defaults: (env) => ({ active: true, sequence: 16, currency_id: env.rec('res.company', 1)?.currency_id ?? 1, company_id: false }),
    fields: {
      name: { type: 'char', string: 'Pricelist Name', required: true },
      active: { type: 'boolean', string: 'Active' },
      sequence: { type: 'integer' },
      currency_id: { type: 'many2one', relation: 'res.currency', string: 'Currency', required: true },
      company_id: { type: 'many2one', relation: 'res.company', string: 'Company' },
      item_ids: { type: 'one2many', relation: 'product.pricelist.item', string: 'Pricelist Rules', inverse: 'pricelist_id' },
    },
  },
  {
    name: 'product.pricelist.item',
    description: 'Pricelist Rule',
    order: 'applied_on, min_quantity desc, categ_id desc, id desc',
    indexes: ['pricelist_id'],
    fields: {
      pricelist_id: { type: 'many2one', relation: 'product.pricelist', string: 'Pricelist', required: true },
      applied_on: { type: 'selection', string: 'Apply On', selection: [['3_global', 'All Products'], ['2_product_category', 'Product Category'], ['1_product', 'Product'], ['0_product_variant', 'Product Variant']] },
      product_tmpl_id: { type: 'many2one', relation: 'product.template', string: 'Product' },
      product_id: { type: 'many2one', relation: 'product.product', string: 'Product Variant' },
      categ_id: { type: 'many2one', relation: 'product.category', string: 'Product Category' },
      min_quantity: { type: 'float', string: 'Min. Quantity' },
      compute_price: { type: 'selection', string: 'Computation', selection: [['fixed', 'Fixed Price'], ['percentage', 'Discount'], ['formula', 'Formula']] },
      fixed_price: { type: 'float', string: 'Fixed Price' },
      percent_price: { type: 'float', string: 'Percentage Price' },
      date_start: { type: 'datetime', string: 'Start Date' },
      date_end: { type: 'datetime', string: 'End Date' },
    },
    defaults: () => ({ applied_on: '3_global', compute_price: 'fixed', min_quantity: 0 }),
    beforeCreate: (_env, vals) => {
      if (vals.product_id && vals.applied_on === '3_global') vals.applied_on = '0_product_variant';
      else if (vals.product_tmpl_id && vals.applied_on === '3_global') vals.applied_on = '1_product';
    },
    displayName: (env, r) => (typeof r.product_id === 'number' ? `Variant: ${env.displayName('product.product', r.product_id)}` : typeof r.product_tmpl_id === 'number' ? `Product: ${env.displayName('product.template', r.product_tmpl_id)}` : 'All Products'),
  },
];
