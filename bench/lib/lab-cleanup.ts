/**
 * Lab hygiene for the live runs (bench/live-catalog.ts, test/live/*catalog*, the story): what a run created
 * in the real WooCommerce and the real Odoo is removed at its end, so the lab stays small and runs stay
 * comparable (a create of 1,000 Odoo products took 2.1 s on a small Odoo, 4.3–6.4 s on one holding 37,000
 * left by earlier runs). Only the records whose SKU starts with the run's own unique prefix are touched.
 *
 *   WooCommerce: products deleted for good through the batch API (`force=true`; a variable product takes
 *   its variations with it).
 *   Odoo: the product templates unlinked; a template Odoo refuses to unlink (stock moves, order lines) is
 *   archived instead. Chunks of 500, a refused chunk retried template by template.
 *
 * `TANDEM_TEST_KEEP=1` (or `--keep` for the benchmark) keeps everything, to look at it afterwards.
 */
import type { OdooTransport } from '../../src/connectors/odoo/transport.js';
import type { WooTransport } from '../../src/connectors/woocommerce/transport.js';
import { toSyncError } from '../../src/shared/errors.js';

export function keepLabRecords(argv: string[] = process.argv): boolean {
  return argv.includes('--keep') || process.env.TANDEM_TEST_KEEP === '1';
}

/** A prefix is a run's own when it is long and specific enough never to be a prefix of another run's SKUs. */
function checkPrefix(prefix: string): void {
  if (!/^[A-Z0-9]{6,}[-A-Z0-9]*$/.test(prefix)) throw new Error(`lab cleanup: "${prefix}" is not a run prefix (≥ 6 capitals or digits)`);
}

const CHUNK = 500;

/**
 * WooCommerce products (trash included) whose SKU starts with `prefix`: their ids. `skus`: the run's SKUs,
 * looked up exactly (`sku=a,b,…`); else a search by name (every bench/test run names its products after
 * its prefix). Either way the SKU's prefix decides.
 */
export async function wooProductsOf(t: WooTransport, prefix: string, by: { skus?: string[]; search?: string | string[] } = {}): Promise<number[]> {
  checkPrefix(prefix);
  const ids = new Set<number>();
  const searches = by.search === undefined ? [prefix] : [by.search].flat();
  const queries = by.skus ? chunks(by.skus.filter((s) => s.startsWith(prefix)), 50).map((c) => ({ sku: c.join(',') })) : searches.map((search) => ({ search }));
  for (const q of queries) {
    for (const status of ['any', 'trash']) {
      for await (const page of t.pages<{ id: number; sku?: string; type?: string }>('products', { ...q, status, _fields: 'id,sku,type', orderby: 'id', order: 'asc' })) {
        for (const p of page.items) if ((await skuOf(t, p))?.startsWith(prefix)) ids.add(p.id);
      }
    }
  }
  return [...ids];
}

/** A product's SKU; a variable product without one of its own: its first variation's. */
async function skuOf(t: WooTransport, p: { id: number; sku?: string; type?: string }): Promise<string | undefined> {
  if (p.sku || p.type !== 'variable') return p.sku;
  const { data } = await t.request<Array<{ sku?: string }>>('GET', `products/${p.id}/variations`, { query: { per_page: 1, _fields: 'sku' } });
  return data[0]?.sku;
}

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** Deletes (for good) the given WooCommerce products, 100 per batch call; returns how many went. */
export async function deleteWooProducts(t: WooTransport, ids: number[]): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < ids.length; i += 100) {
    const { data } = await t.request<{ delete?: Array<{ id?: number; error?: unknown }> }>('POST', 'products/batch', { query: { force: 'true' }, body: { delete: ids.slice(i, i + 100) } });
    deleted += (data.delete ?? []).filter((d) => !d.error).length;
  }
  return deleted;
}

export async function wooProductCount(t: WooTransport): Promise<number> {
  const { headers } = await t.request('GET', 'products', { query: { per_page: 1, status: 'any', _fields: 'id' } });
  return Number(headers.get('x-wp-total') ?? NaN);
}

/** Odoo product templates (archived included) with a variant whose internal reference starts with `prefix`. */
export async function odooTemplatesOf(o: OdooTransport, prefix: string): Promise<number[]> {
  checkPrefix(prefix);
  const variants = await o.call<Array<{ product_tmpl_id: [number, string] | false }>>('product.product', 'search_read', {
    kwargs: { domain: [['default_code', '=like', `${prefix}%`]], fields: ['product_tmpl_id'] },
    context: { active_test: false },
  });
  return [...new Set(variants.flatMap((v) => (v.product_tmpl_id ? [v.product_tmpl_id[0]] : [])))].sort((a, b) => a - b);
}

/** Unlinks the templates; those Odoo refuses to unlink (stock moves, order lines) are archived. */
export async function removeOdooTemplates(o: OdooTransport, ids: number[]): Promise<{ unlinked: number; archived: number }> {
  const out = { unlinked: 0, archived: 0 };
  const unlinkOrArchive = async (chunk: number[]): Promise<void> => {
    try {
      await o.call('product.template', 'unlink', { ids: chunk });
      out.unlinked += chunk.length;
    } catch (e) {
      if (toSyncError(e).retryable) throw e;
      if (chunk.length > 1) {
        for (const id of chunk) await unlinkOrArchive([id]);
        return;
      }
      await o.call('product.template', 'write', { ids: chunk, kwargs: { vals: { active: false } } });
      out.archived += 1;
    }
  };
  for (let i = 0; i < ids.length; i += CHUNK) await unlinkOrArchive(ids.slice(i, i + CHUNK));
  return out;
}

export async function odooProductCount(o: OdooTransport): Promise<number> {
  return o.call<number>('product.template', 'search_count', { kwargs: { domain: [] }, context: { active_test: false } });
}

export interface LabCleanup {
  prefix: string;
  woo: { found: number; deleted: number };
  odoo: { found: number; unlinked: number; archived: number };
}

/**
 * Everything of the run `prefix` in both systems. `woo.ids`: the products the run knows it created (then no
 * search); `woo.skus`: its SKUs, when its WooCommerce products are not named after the prefix; `woo.search`:
 * the word their names carry.
 */
export async function cleanUpRun(sys: { woo?: WooTransport; odoo?: OdooTransport }, prefix: string, woo: { ids?: number[]; skus?: string[]; search?: string | string[] } = {}): Promise<LabCleanup> {
  const result: LabCleanup = { prefix, woo: { found: 0, deleted: 0 }, odoo: { found: 0, unlinked: 0, archived: 0 } };
  if (sys.odoo) {
    const tmpls = await odooTemplatesOf(sys.odoo, prefix);
    result.odoo = { found: tmpls.length, ...(await removeOdooTemplates(sys.odoo, tmpls)) };
  }
  if (sys.woo) {
    const ids = woo.ids ?? (await wooProductsOf(sys.woo, prefix, woo));
    result.woo = { found: ids.length, deleted: await deleteWooProducts(sys.woo, ids) };
  }
  return result;
}

export function describeCleanup(c: LabCleanup): string {
  return `cleanup ${c.prefix}: WooCommerce ${c.woo.deleted}/${c.woo.found} products deleted; Odoo ${c.odoo.unlinked}/${c.odoo.found} templates unlinked, ${c.odoo.archived} archived (refused unlink)`;
}
