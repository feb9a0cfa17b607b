/**
 * Variant machinery: combinations of a template's attribute lines (cartesian product), creating and
 * archiving variants, PTAVs per line, price extras, display names, barcode uniqueness.
 */
import type { Env } from '../orm/types.js';
import type { Rec } from '../orm/table.js';
import type { Vals } from '../types.js';
import { validationError } from '../orm/errors.js';
import { roundFloat } from './money.js';

export function isStorable(env: Env, tmpl: Rec | undefined): boolean {
  if (!tmpl) return false;
  return env.traits.storableByDetailedType ? tmpl.detailed_type === 'product' : tmpl.type === 'consu' && tmpl.is_storable === true;
}

export function productTemplate(env: Env, productId: number): Rec | undefined {
  const p = env.rec('product.product', productId);
  return p && typeof p.product_tmpl_id === 'number' ? env.rec('product.template', p.product_tmpl_id) : undefined;
}

export function variantsOf(env: Env, tmplId: number, activeOnly = true): Rec[] {
  const t = env.model('product.product').table;
  return [...(t.lookup('product_tmpl_id', tmplId) ?? [])]
    .map((id) => t.get(id) as Rec)
    .filter((r) => !activeOnly || r.active !== false)
    .sort((a, b) => a.id - b.id);
}

export function priceExtra(env: Env, p: Rec): number {
  let sum = 0;
  for (const id of (p.product_template_attribute_value_ids as number[] | undefined) ?? []) sum += Number(env.rec('product.template.attribute.value', id)?.price_extra ?? 0);
  return roundFloat(sum, 6);
}

/** PTAVs of variant attributes shown in the name (lines with more than one value). */
export function variantValueIds(env: Env, p: Rec): number[] {
  const ptavs = ((p.product_template_attribute_value_ids as number[] | undefined) ?? []).map((id) => env.rec('product.template.attribute.value', id)).filter((x): x is Rec => !!x);
  return ptavs
    .filter((v) => {
      const line = env.rec('product.template.attribute.line', v.attribute_line_id as number);
      return ((line?.value_ids as number[] | undefined) ?? []).length > 1;
    })
    .map((v) => v.id);
}

export function variantDisplayName(env: Env, p: Rec): string {
  const tmpl = env.rec('product.template', p.product_tmpl_id as number);
  const name = String(tmpl?.name ?? '');
  const values = variantValueIds(env, p).map((id) => String(env.rec('product.attribute.value', env.rec('product.template.attribute.value', id)?.product_attribute_value_id as number)?.name ?? ''));
  const code = typeof p.default_code === 'string' && p.default_code ? `[${p.default_code}] ` : '';
  return `${code}${name}${values.length ? ` (${values.join(', ')})` : ''}`;
}

function combos(env: Env, tmplId: number): number[][] {
  const lines = [...(env.model('product.template.attribute.line').table.lookup('product_tmpl_id', tmplId) ?? [])]
    .map((id) => env.rec('product.template.attribute.line', id) as Rec)
    .filter((l) => l.active !== false)
    .filter((l) => env.rec('product.attribute', l.attribute_id as number)?.create_variant !== 'no_variant')
    .sort((a, b) => Number(a.sequence ?? 10) - Number(b.sequence ?? 10) || a.id - b.id);
  let out: number[][] = [[]];
  for (const line of lines) {
    const ptavs = [...(env.model('product.template.attribute.value').table.lookup('attribute_line_id', line.id) ?? [])]
      .map((id) => env.rec('product.template.attribute.value', id) as Rec)
      .filter((v) => v.ptav_active !== false)
      .sort((a, b) => {
        const va = env.rec('product.attribute.value', a.product_attribute_value_id as number);
        const vb = env.rec('product.attribute.value', b.product_attribute_value_id as number);
        return Number(va?.sequence ?? 0) - Number(vb?.sequence ?? 0) || Number(va?.id) - Number(vb?.id);
      });
    if (!ptavs.length) continue;
    out = out.flatMap((c) => ptavs.map((v) => [...c, v.id]));
  }
  return out;
}

export const comboKey = (ids: number[]) => [...ids].sort((a, b) => a - b).join(',');

/** Creates missing variants and archives the ones whose combination no longer exists. */
export function syncVariants(env: Env, tmplId: number): void {
  const e = env.sudo();
  const wanted = combos(e, tmplId);
  const existing = variantsOf(e, tmplId, false);
  const byKey = new Map(existing.map((v) => [String(v.combination_indices ?? ''), v]));
  const keep = new Set<number>();
  const toCreate: Vals[] = [];
  for (const c of wanted) {
    const v = byKey.get(comboKey(c));
    if (v) {
      keep.add(v.id);
      if (v.active === false) e.write('product.product', [v.id], { active: true });
    } else toCreate.push({ product_tmpl_id: tmplId, product_template_attribute_value_ids: [[6, 0, c]] });
  }
  for (const v of existing) if (!keep.has(v.id) && v.active !== false) e.write('product.product', [v.id], { active: false });
  if (toCreate.length) e.create('product.product', toCreate);
}

export function syncLineValues(env: Env, line: Rec): void {
  const e = env.sudo();
  const ptavModel = e.model('product.template.attribute.value');
  const existing = [...(ptavModel.table.lookup('attribute_line_id', line.id) ?? [])].map((id) => ptavModel.table.get(id) as Rec);
  const byValue = new Map(existing.map((p) => [p.product_attribute_value_id as number, p]));
  const values = (line.value_ids as number[] | undefined) ?? [];
  for (const v of values) {
    const p = byValue.get(v);
    if (p) {
      if (p.ptav_active === false) ptavModel.table.update(p, { ptav_active: true });
    } else {
      e.create(ptavModel, [{ product_tmpl_id: line.product_tmpl_id, attribute_line_id: line.id, product_attribute_value_id: v, attribute_id: line.attribute_id, price_extra: 0, ptav_active: true }]);
    }
  }
  for (const p of existing) if (!values.includes(p.product_attribute_value_id as number) && p.ptav_active !== false) ptavModel.table.update(p, { ptav_active: false });
}

export function checkBarcodes(env: Env, recs: Rec[]): void {
  const model = env.model('product.product');
  for (const r of recs) {
    if (typeof r.barcode !== 'string' || !r.barcode || r.active === false) continue;
    const same = [...(model.table.lookup('barcode', r.barcode) ?? [])]
      .map((id) => model.table.get(id) as Rec)
      .filter((x) => x.active !== false)
      .sort((a, b) => a.id - b.id);
    if (same.length > 1) {
      const names = same.map((x) => env.displayName(model, x));
      const list = env.traits.messages === 19 ? (names.length === 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')}, and ${names[names.length - 1]}`) : names.join(', ');
      throw validationError(`Barcode(s) already assigned:\n\n- Barcode "${r.barcode}" already assigned to product(s): ${list}\n\nNote: products that you don't have access to will not be shown above.`);
    }
  }
}

