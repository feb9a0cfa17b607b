/**
 * Reading products: product.template (the canonical record id) with its variants, PTAVs and SKUs, in a
 * handful of batched calls however many templates are asked for. Stock quantities are NOT read here
 * (computed fields make a catalog read ~20× slower; stock has its own reader).
 */
import type { Json, SourceRecord } from '../contract.js';
import { SyncError } from '../../shared/errors.js';
import { SYSTEM } from './errors.js';
import { groupIds, readMany, searchAll, variantsBySku, type OdooContext } from './context.js';
import type { Feed } from './changes.js';
import { PTAV_FIELDS, TEMPLATE_FIELDS, VARIANT_FIELDS, productFromOdoo, ptavFromRecord, type PtavInfo } from './map-product.js';
import { chunks, ids, m2oId, odooToIso, text, type OdooRecord } from './values.js';
import { rememberSkuLookup } from './sku-memo.js';
import { nestedReads, readVariants } from './read-variants.js';

/** Goods only: services (shipping fees, gift cards) and combos are not catalog products for a shop. */
export const GOODS_DOMAIN: Json[] = [['type', 'not in', ['service', 'combo']]];

export interface ProductBundle {
  templates: OdooRecord[];
  variants: Map<number, OdooRecord[]>;
  ptavs: Map<number, PtavInfo>;
}

/** Templates + all their variants (archived too) + the PTAVs those variants use. */
export async function loadProductBundle(env: OdooContext, templateIds: number[], extraTemplateFields: string[] = []): Promise<ProductBundle> {
  const traits = await env.traits();
  const ctx = { active_test: false };
  const templates = await readMany(env, 'product.template', templateIds, [...TEMPLATE_FIELDS, ...traits.productTypeFields, ...extraTemplateFields], ctx);
  if (await nestedReads(env)) {
    // Odoo 17+: the variants with their attribute values nested, one call per 10,000 variants (read-variants.ts)
    const read = templates.length ? await readVariants(env, templates.map((t) => t.id), [], true, VARIANT_FIELDS) : { variants: [], ptavs: new Map<number, PtavInfo>() };
    return { templates, variants: groupIds(read.variants, 'product_tmpl_id'), ptavs: read.ptavs };
  }
  const variants: OdooRecord[] = [];
  for (const part of chunks(templates.map((t) => t.id), 1000)) {
    if (part.length) variants.push(...(await searchAll(env, 'product.product', [['product_tmpl_id', 'in', part]], VARIANT_FIELDS, ctx)));
  }
  const ptavIds = [...new Set(variants.flatMap((v) => ids(v.product_template_attribute_value_ids)))];
  const ptavRows = await readMany(env, 'product.template.attribute.value', ptavIds, PTAV_FIELDS, ctx);
  return { templates, variants: groupIds(variants, 'product_tmpl_id'), ptavs: new Map(ptavRows.map((r) => [r.id, ptavFromRecord(r)])) };
}

function maxDate(records: OdooRecord[]): string | null {
  let max: string | null = null;
  for (const r of records) if (typeof r.write_date === 'string' && (!max || r.write_date > max)) max = r.write_date;
  return odooToIso(max ?? undefined);
}

export async function loadProducts(env: OdooContext, templateIds: number[]): Promise<SourceRecord<'product'>[]> {
  const traits = await env.traits();
  const { currency } = await env.lookups.company();
  const bundle = await loadProductBundle(env, templateIds);
  return bundle.templates.map((tmpl) => {
    const all = bundle.variants.get(tmpl.id) ?? [];
    const archived = tmpl.active === false;
    const variants = archived ? all : all.filter((v) => v.active !== false);
    const raw = { template: tmpl, variants };
    const base = { entity: 'product' as const, id: String(tmpl.id), updatedAt: maxDate([tmpl, ...variants]), raw, ...(archived ? { deleted: true } : {}) };
    try {
      const { product, childIds } = productFromOdoo(tmpl, variants.length ? variants : all, bundle.ptavs, currency, traits);
      return { ...base, data: product, childIds };
    } catch (e) {
      return { ...base, error: new SyncError('mapping', (e as Error).message, { system: SYSTEM, entity: 'product', record: String(tmpl.id) }) };
    }
  });
}

/** Changes of templates (name, price, category…) and of variants (SKU, barcode, archive) → template ids. */
export function productFeeds(): Feed[] {
  const ctx = { active_test: false };
  return [
    { key: 'template', spec: { model: 'product.template', domain: GOODS_DOMAIN, fields: ['id'], context: ctx }, outIds: (rows) => rows.map((r) => String(r.id)) },
    {
      key: 'variant',
      spec: { model: 'product.product', domain: GOODS_DOMAIN, fields: ['product_tmpl_id'], context: ctx },
      outIds: (rows) => rows.map((r) => m2oId(r.product_tmpl_id)).filter((x): x is number => x !== null).map(String),
    },
  ];
}

/**
 * SKUs or barcodes per `in` list of a lookup: ~250 KB of request for SKUs of 20 characters (Odoo accepts
 * 128 MB; common proxies 1 MB), so a write batch of 5,000 products is looked up in one call.
 */
const KEY_CHUNK = 10_000;

/** name → template ids. */
export async function findProductsByName(env: OdooContext, values: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (values.length === 0) return out;
  const rows = await env.t.call<OdooRecord[]>('product.template', 'search_read', { kwargs: { domain: [['name', 'in', values]], fields: ['name'] } });
  for (const r of rows) push(out, text(r.name) ?? '', String(r.id));
  return out;
}

/**
 * sku and barcode → template ids (variants included), both in ONE search per 10,000 keys. Archived products
 * count too: a shop SKU must never get a second Odoo product because the first was archived; but an active
 * product with the key wins over archived ones (archiving a duplicate resolves the ambiguity). What the SKU
 * part saw is remembered for the write that follows (sku-memo.ts).
 */
export async function findProducts(env: OdooContext, skus: string[], barcodes: string[]): Promise<{ sku: Map<string, string[]>; barcode: Map<string, string[]> }> {
  const found = { sku: new Map<string, string[]>(), barcode: new Map<string, string[]>() };
  const archived = { sku: new Map<string, string[]>(), barcode: new Map<string, string[]>() };
  const skuParts = chunks([...new Set(skus)], KEY_CHUNK);
  const barcodeParts = chunks([...new Set(barcodes)], KEY_CHUNK);
  for (let k = 0; k < Math.max(skuParts.length, barcodeParts.length); k++) {
    const s = skuParts[k] ?? [];
    const b = barcodeParts[k] ?? [];
    const bySku: Json[] = ['default_code', 'in', s];
    const byBarcode: Json[] = ['barcode', 'in', b];
    const domain: Json[] = s.length && b.length ? ['|', bySku, byBarcode] : s.length ? [bySku] : [byBarcode];
    const rows = await env.t.call<OdooRecord[]>('product.product', 'search_read', { kwargs: { domain, fields: ['default_code', 'barcode', 'product_tmpl_id', 'active'] }, context: { active_test: false } });
    const inSkus = new Set(s);
    const inBarcodes = new Set(b);
    for (const r of rows) {
      const tmpl = m2oId(r.product_tmpl_id);
      if (tmpl === null) continue;
      const into = r.active === false ? archived : found;
      const sku = text(r.default_code);
      const barcode = text(r.barcode);
      if (sku !== null && inSkus.has(sku)) push(into.sku, sku, String(tmpl));
      if (barcode !== null && inBarcodes.has(barcode)) push(into.barcode, barcode, String(tmpl));
    }
    if (s.length) rememberSkuLookup(env, s, rows);
  }
  for (const type of ['sku', 'barcode'] as const) for (const [key, ids] of archived[type]) if (!found[type].has(key)) found[type].set(key, ids);
  return found;
}

/** SKU → ids of the sellable (active) variants carrying it: the records of prices and stock levels. */
export async function findVariants(env: OdooContext, skus: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const r of await variantsBySku(env, skus, { fields: ['default_code'] })) push(out, text(r.default_code) ?? '', String(r.id));
  return out;
}

function push(map: Map<string, string[]>, key: string, id: string): void {
  const list = map.get(key);
  if (!list) map.set(key, [id]);
  else if (!list.includes(id)) list.push(id);
}
