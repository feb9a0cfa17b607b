/**
 * Issue 16 (10,000 products ≤ 45 s): after an initial shop->erp sync whose feed read every product, the
 * verification compares what the feed read instead of listing the shop's products a second time: it asks
 * how many products the shop lists (X-WP-Total, one request) and, when that is not what the feed read,
 * lists their ids (`_fields=id`) to find the products the feed never handed out. Here the WooCommerce
 * simulator's feed pages (the requests carrying `dates_are_gmt`) lose one product on the wire — the
 * initial sync cannot create it, and the verification must still report it (issue 11's lesson: a lost
 * product must never hide behind "0 differences").
 */
import { describe, expect, it } from 'vitest';
import { syncAll } from '../../src/engine/initial-sync.js';
import type { WooSimulator } from '../../src/simulators/index.js';
import { useWooOdoo } from './support/woo-odoo.js';

let woo: WooSimulator | undefined;
const lab = useWooOdoo();

/** `drop`: the SKU the feed's pages leave out. Returns the product page requests (GET /products) as queries. */
async function run(n: number, drop?: string): Promise<{ pages: URLSearchParams[]; result: Awaited<ReturnType<typeof syncAll>> }> {
  ({ woo } = await lab.start());
  woo.seedProducts(n, { prefix: 'FEED' });
  const pages: URLSearchParams[] = [];
  const watched: typeof fetch = async (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    const listed = (init?.method ?? 'GET') === 'GET' && url.pathname.endsWith('/wc/v3/products');
    if (listed) pages.push(url.searchParams);
    const res = await fetch(input, init);
    if (!listed || drop === undefined || !url.searchParams.has('dates_are_gmt')) return res;
    const items = (await res.json()) as Array<{ sku?: string }>;
    return new Response(JSON.stringify(items.filter((p) => p.sku !== drop)), { status: res.status, headers: res.headers });
  };
  const engine = await lab.engine({ flows: [{ entity: 'product', direction: 'shop->erp', batchSize: 100 }], fetch: watched });
  const result = await syncAll(engine, { kind: 'initial', reconcile: true });
  return { pages, result };
}

const feedOf = (pages: URLSearchParams[]) => pages.filter((q) => q.has('dates_are_gmt'));
const othersOf = (pages: URLSearchParams[]) => pages.filter((q) => !q.has('dates_are_gmt') && !q.has('sku') && !q.has('include'));

describe('the verification after an initial sync reuses what the feed read', () => {
  it('reads the shop products once: the verification lists their ids only; 0 differences', async () => {
    const { pages, result } = await run(250);
    expect(result.reconcile!.differences).toEqual([]);
    expect(result.reconcile!.entities).toEqual([expect.objectContaining({ entity: 'product', shop: 250, erp: 250, linked: 250 })]);
    expect(feedOf(pages).length).toBe(3);
    // one request: the count (X-WP-Total of a page of one id) equals what the feed read
    expect(othersOf(pages).map((q) => [q.get('_fields'), q.get('per_page')])).toEqual([['id', '1']]);
  });

  it('a product the feed pages lost is still reported missing_in_erp (found by the id listing, then fetched)', async () => {
    const { pages, result } = await run(250, 'FEED-137');
    const lost = woo!.store.productBySku('FEED-137')!;
    expect(result.reports.find((r) => r.entity === 'product')?.counts.created).toBe(249);
    expect(result.reconcile!.differences).toEqual([expect.objectContaining({ entity: 'product', kind: 'missing_in_erp', shopId: String(lost.id) })]);
    expect(result.reconcile!.entities).toEqual([expect.objectContaining({ entity: 'product', shop: 250, linked: 249 })]);
    // the count (250 listed, 249 read) differs: the ids are listed, 3 pages of 100
    expect(othersOf(pages).map((q) => [q.get('_fields'), q.get('per_page')])).toEqual([['id', '1'], ['id', '100'], ['id', '100'], ['id', '100']]);
    expect(pages.filter((q) => q.has('include')).map((q) => q.get('include'))).toEqual([String(lost.id)]); // the one the feed missed
  });
});
