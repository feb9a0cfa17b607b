/**
 * Variants with their attribute values: after a product write (product-variants.ts) the variants of the
 * written templates — to match them to the shop's variants by attribute values — and the template ids of
 * new simple products (created as product.product); for a product read (products-read.ts) the variants of
 * the templates read. ONE call per 10,000 variants on Odoo 17+: `web_search_read` with a specification brings each
 * variant's attribute values (PTAVs) nested in its row (same output on real Odoo 17 and 19,
 * test/live/odoo-product-calls.live.test.ts). Odoo 16 has no specification: a search_read of the variants,
 * then one of the PTAVs.
 */
import type { Json } from '../contract.js';
import { searchAll, type OdooContext } from './context.js';
import { PTAV_FIELDS, ptavFromRecord, type PtavInfo } from './map-product.js';
import { chunks, type OdooRecord } from './values.js';

const VARIANT_READ_FIELDS = ['product_tmpl_id', 'default_code', 'barcode', 'active', 'product_template_attribute_value_ids', 'weight'];
/** values per `in` list (template or variant ids): ~50 KB of request */
const KEY_CHUNK = 5000;
/** rows per page (a write batch of a few thousand products in one page) */
const ROW_PAGE = 10_000;

const NESTED_PTAV: Record<string, Json> = { attribute_id: { fields: { display_name: {} } }, name: {}, price_extra: {}, ptav_active: {}, product_tmpl_id: {} };
/** the fields as a specification: the template as {id, display_name} (turned back into read()'s pair), the PTAVs nested */
function specOf(fields: string[]): Record<string, Json> {
  return {
    ...Object.fromEntries(fields.map((f) => [f, {}])),
    product_tmpl_id: { fields: { display_name: {} } },
    product_template_attribute_value_ids: { fields: NESTED_PTAV },
  };
}

export interface VariantRows {
  variants: OdooRecord[];
  ptavs: Map<number, PtavInfo>;
}

/**
 * Variants (archived too) of `tmplIds` and the variants `ids`, with `fields` as read() gives them (plus the
 * template and the PTAV ids); their PTAVs on 17+, on 16 when `withPtavs` (every PTAV of those templates).
 */
export async function readVariants(env: OdooContext, tmplIds: number[], ids: number[], withPtavs: boolean, fields = VARIANT_READ_FIELDS): Promise<VariantRows> {
  const ctx = { active_test: false };
  const nested = await nestedReads(env);
  const variants: OdooRecord[] = [];
  const ptavs = new Map<number, PtavInfo>();
  const tmplParts = chunks(tmplIds, KEY_CHUNK);
  const idParts = chunks(ids, KEY_CHUNK);
  for (let k = 0; k < Math.max(tmplParts.length, idParts.length); k++) {
    const tmpl = tmplParts[k] ?? [];
    const idPart = idParts[k] ?? [];
    const domain: Json[] = tmpl.length && idPart.length ? ['|', ['id', 'in', idPart], ['product_tmpl_id', 'in', tmpl]] : tmpl.length ? [['product_tmpl_id', 'in', tmpl]] : [['id', 'in', idPart]];
    if (nested) variants.push(...(await webSearchAll(env, domain, specOf(fields), ctx, ptavs)));
    else variants.push(...(await searchAll(env, 'product.product', domain, fields, ctx, ROW_PAGE)));
  }
  if (!nested && withPtavs) {
    for (const part of chunks(tmplIds, KEY_CHUNK)) {
      for (const r of await searchAll(env, 'product.template.attribute.value', [['product_tmpl_id', 'in', part]], PTAV_FIELDS, ctx, ROW_PAGE)) ptavs.set(r.id, ptavFromRecord(r));
    }
  }
  return { variants, ptavs };
}

/** web_search_read, every page by id; the nested PTAVs go to `ptavs`, the rows get their ids as read() gives them. */
/** Odoo 17+: web_search_read takes a specification (nested reads). */
export async function nestedReads(env: OdooContext): Promise<boolean> {
  return (await env.traits()).major >= 17;
}

async function webSearchAll(env: OdooContext, domain: Json[], specification: Record<string, Json>, context: Record<string, Json>, ptavs: Map<number, PtavInfo>): Promise<OdooRecord[]> {
  const out: OdooRecord[] = [];
  let lastId = 0;
  for (;;) {
    // count_limit 1: Odoo counts the matches again when a page is full, unless the count limit is reached
    const page = await env.t.call<{ records: OdooRecord[] }>('product.product', 'web_search_read', {
      kwargs: { domain: [...domain, ['id', '>', lastId]], specification, order: 'id asc', limit: ROW_PAGE, count_limit: 1 },
      context,
    });
    for (const r of page.records) {
      const nestedPtavs = Array.isArray(r.product_template_attribute_value_ids) ? (r.product_template_attribute_value_ids as unknown as OdooRecord[]) : [];
      for (const p of nestedPtavs) {
        const attr = p.attribute_id as unknown as { id?: number; display_name?: string } | false;
        ptavs.set(p.id, ptavFromRecord({ ...p, attribute_id: attr && typeof attr.id === 'number' ? [attr.id, attr.display_name ?? ''] : false }));
      }
      const tmpl = r.product_tmpl_id as unknown as { id?: number; display_name?: string } | false;
      out.push({ ...r, product_tmpl_id: tmpl && typeof tmpl.id === 'number' ? [tmpl.id, tmpl.display_name ?? ''] : false, product_template_attribute_value_ids: nestedPtavs.map((p) => p.id) });
    }
    if (page.records.length < ROW_PAGE) return out;
    lastId = page.records[page.records.length - 1]!.id;
  }
}
