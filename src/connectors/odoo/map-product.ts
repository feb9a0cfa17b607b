/**
 * product.template + its product.product variants ↔ canonical Product. Pure: everything the mapper needs
 * (variants, attribute values of each variant, currency) is passed in; ids of related records too.
 *
 * Odoo model: the template carries name, category, list_price and type; each variant carries its SKU
 * (`default_code`), `barcode` and a set of product.template.attribute.value (PTAV) ids; the variant price is
 * `lst_price` = template list_price + the sum of its PTAVs' price_extra.
 */
import type { Product, Variant } from '../../model/index.js';
import { Decimal, Money, minorUnits } from '../../model/index.js';
import type { Json } from '../contract.js';
import type { OdooTraits } from './versions.js';
import { decimal, ids, m2oId, money, text, type OdooRecord } from './values.js';

/** A PTAV as read: which attribute and value it stands for, and its price extra. */
export interface PtavInfo {
  id: number;
  attribute: string;
  value: string;
  priceExtra: number;
}

export const TEMPLATE_FIELDS = ['name', 'description_sale', 'categ_id', 'list_price', 'active', 'write_date', 'product_variant_ids', 'sale_ok'];
export const VARIANT_FIELDS = ['product_tmpl_id', 'default_code', 'barcode', 'lst_price', 'active', 'product_template_attribute_value_ids', 'weight', 'write_date'];
export const PTAV_FIELDS = ['product_tmpl_id', 'attribute_id', 'name', 'price_extra', 'ptav_active'];

export function isStorable(tmpl: OdooRecord, traits: OdooTraits): boolean {
  if ('is_storable' in traits.storable) return tmpl.is_storable === true;
  return tmpl.detailed_type === 'product' || tmpl.type === 'product';
}

export function ptavFromRecord(r: OdooRecord): PtavInfo {
  const attr = r.attribute_id;
  return {
    id: r.id,
    attribute: Array.isArray(attr) && typeof attr[1] === 'string' ? attr[1] : '',
    value: text(r.name) ?? '',
    priceExtra: typeof r.price_extra === 'number' ? r.price_extra : 0,
  };
}

/** Odoo template + variants → canonical product and its SKU → variant id map; throws RangeError on data it cannot map. */
export function productFromOdoo(
  tmpl: OdooRecord,
  variants: OdooRecord[],
  ptavs: Map<number, PtavInfo>,
  currency: string,
  traits: OdooTraits,
): { product: Product; childIds: Record<string, string> } {
  const childIds: Record<string, string> = {};
  const attributes: Array<{ name: string; values: string[] }> = [];
  const attrIndex = new Map<string, { name: string; values: string[] }>();
  const out: Variant[] = [];
  const sorted = [...variants].sort((a, b) => a.id - b.id);
  for (const v of sorted) {
    const sku = text(v.default_code);
    if (!sku) throw new RangeError(`variant ${v.id} of "${text(tmpl.name) ?? tmpl.id}" has no internal reference (default_code), so it cannot be matched by SKU`);
    const attrs: Record<string, string> = {};
    for (const pid of ids(v.product_template_attribute_value_ids)) {
      const p = ptavs.get(pid);
      if (!p) continue;
      attrs[p.attribute] = p.value;
      let a = attrIndex.get(p.attribute);
      if (!a) {
        a = { name: p.attribute, values: [] };
        attrIndex.set(p.attribute, a);
        attributes.push(a);
      }
      if (!a.values.includes(p.value)) a.values.push(p.value);
    }
    const weight = typeof v.weight === 'number' && v.weight > 0 ? { value: decimal(v.weight).toString(), unit: 'kg' as const } : null;
    out.push({
      id: String(v.id),
      sku,
      barcode: text(v.barcode),
      attributes: attrs,
      price: money(v.lst_price, currency).toJSON(),
      salePrice: null,
      weight,
      active: v.active !== false,
    });
    childIds[sku] = String(v.id);
  }
  if (out.length === 0) throw new RangeError(`product "${text(tmpl.name) ?? tmpl.id}" has no variant`);
  const categ = m2oId(tmpl.categ_id);
  return {
    product: {
      name: text(tmpl.name) ?? '',
      description: text(tmpl.description_sale) ?? '',
      categoryIds: categ !== null ? [String(categ)] : [],
      attributes,
      variants: out,
      active: tmpl.active !== false,
      tracksStock: isStorable(tmpl, traits),
    },
    childIds,
  };
}

// ───────────────────────────── canonical → Odoo ─────────────────────────────

/** Lowest variant price: the template's list_price; the rest is expressed as PTAV price_extra. */
export function basePrice(product: Product): Decimal {
  const prices = product.variants.map((v) => Decimal.parse(v.price.amount));
  return prices.reduce((a, b) => (b.cmp(a) < 0 ? b : a));
}

export function weightInKg(w: Variant['weight']): number | null {
  if (!w) return null;
  const f: Record<string, string> = { kg: '1', g: '0.001', lb: '0.45359237', oz: '0.028349523125' };
  return Decimal.parse(w.value).mul(f[w.unit] ?? '1').round(4).toNumber();
}

export interface TemplateValsInput {
  product: Product;
  traits: OdooTraits;
  /** Odoo product.category id for the product's first category (resolved through the link table). */
  categId?: number;
  /** attribute name → { id, values: value name → product.attribute.value id } */
  attributeIds?: Map<string, { id: number; values: Map<string, number> }>;
  /** Only these canonical fields (undefined = all). */
  owns?: (path: string) => boolean;
  /** invoice_policy of created products (settings.invoicePolicy). */
  invoicePolicy?: 'order' | 'delivery';
}

/** Values of a product.template for create (with attribute lines) or update (without). */
export function templateVals(input: TemplateValsInput, mode: 'create' | 'update'): Record<string, Json> {
  const { product, traits } = input;
  const owns = input.owns ?? (() => true);
  const vals: Record<string, Json> = {};
  if (owns('name')) vals.name = product.name;
  if (owns('description')) vals.description_sale = product.description || false;
  if (owns('active')) vals.active = product.active;
  if (owns('variants.price')) vals.list_price = basePrice(product).toNumber();
  if (owns('categoryIds') && input.categId !== undefined) vals.categ_id = input.categId;
  if (owns('tracksStock')) Object.assign(vals, product.tracksStock ? traits.storable : traits.consumable);
  if (mode === 'create') {
    vals.sale_ok = true;
    vals.invoice_policy = input.invoicePolicy ?? 'order';
    const simple = product.attributes.length === 0 && product.variants.length === 1;
    if (simple) {
      const v = product.variants[0]!;
      vals.default_code = v.sku;
      if (v.barcode) vals.barcode = v.barcode;
      const kg = weightInKg(v.weight);
      if (kg !== null) vals.weight = kg;
    } else {
      vals.attribute_line_ids = attributeLines(product, input.attributeIds ?? new Map());
    }
  }
  return vals;
}

/** [[0, 0, {attribute_id, value_ids: [[6, 0, ids]]}], …] in the product's attribute order. */
export function attributeLines(product: Product, attributeIds: Map<string, { id: number; values: Map<string, number> }>): Json[] {
  return product.attributes.map((a) => {
    const attr = attributeIds.get(a.name);
    if (!attr) throw new RangeError(`attribute "${a.name}" has no Odoo id`);
    const valueIds = a.values.map((v) => {
      const id = attr.values.get(v);
      if (id === undefined) throw new RangeError(`value "${v}" of attribute "${a.name}" has no Odoo id`);
      return id;
    });
    return [0, 0, { attribute_id: attr.id, value_ids: [[6, 0, valueIds]] }];
  });
}

/** Canonical variant ↔ Odoo variant by attribute values (names compared exactly). */
export function matchVariants(product: Product, variants: OdooRecord[], ptavs: Map<number, PtavInfo>): Map<string, OdooRecord> {
  const bySignature = new Map<string, OdooRecord>();
  for (const v of variants) {
    const sig = signature(
      Object.fromEntries(
        ids(v.product_template_attribute_value_ids)
          .map((p) => ptavs.get(p))
          .filter((p): p is PtavInfo => !!p)
          .map((p) => [p.attribute, p.value]),
      ),
    );
    bySignature.set(sig, v);
  }
  const out = new Map<string, OdooRecord>();
  for (const cv of product.variants) {
    const match = product.variants.length === 1 && variants.length === 1 ? variants[0] : bySignature.get(signature(cv.attributes));
    if (match) out.set(cv.sku, match);
  }
  return out;
}

function signature(attrs: Record<string, string>): string {
  return JSON.stringify(Object.keys(attrs).sort().map((k) => [k, attrs[k]]));
}

/**
 * PTAV price_extra so that every variant's lst_price equals its canonical price. Works when the price
 * difference depends on one attribute only (the usual "size 46 costs 5 more"); returns null otherwise.
 * Result: PTAV id → extra (as a decimal string).
 */
export function priceExtras(product: Product, matched: Map<string, OdooRecord>, ptavs: Map<number, PtavInfo>, currency: string): Map<number, string> | null {
  const base = basePrice(product);
  const units = minorUnits(currency);
  const extras = new Map<number, string>();
  const allPtavs = new Set<number>();
  for (const v of matched.values()) for (const p of ids(v.product_template_attribute_value_ids)) allPtavs.add(p);
  const differs = product.variants.some((v) => !Decimal.parse(v.price.amount).eq(base));
  if (!differs) {
    for (const p of allPtavs) if ((ptavs.get(p)?.priceExtra ?? 0) !== 0) extras.set(p, '0');
    return extras;
  }
  for (const attr of product.attributes.map((a) => a.name)) {
    const perValue = new Map<string, Decimal>();
    let consistent = true;
    for (const cv of product.variants) {
      const value = cv.attributes[attr];
      if (value === undefined) {
        consistent = false;
        break;
      }
      const extra = Decimal.parse(cv.price.amount).sub(base);
      const known = perValue.get(value);
      if (known && !known.eq(extra)) {
        consistent = false;
        break;
      }
      perValue.set(value, extra);
    }
    if (!consistent) continue;
    for (const pid of allPtavs) {
      const p = ptavs.get(pid);
      if (!p) continue;
      const want = p.attribute === attr ? (perValue.get(p.value) ?? Decimal.ZERO) : Decimal.ZERO;
      if (!Money.of(want.round(units), currency).eq(Money.of(decimal(p.priceExtra).round(units), currency))) extras.set(pid, want.toString());
    }
    return extras;
  }
  return null;
}
