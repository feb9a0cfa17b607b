/**
 * Issue 16 (live 1,000/10,000 products): WooCommerce computes every field of a product it is asked for —
 * related products, permalinks, price HTML, images — about half of a product page's time on the lab's real
 * WooCommerce. The sync's feed and the verification's listing therefore ask only for the fields the mappers
 * read (`_fields`), unless a field override of the flow reads the raw record (then it is read whole); after
 * an initial sync the verification lists only the ids (`_fields=id`: verify-feed-read.test.ts). What
 * arrives in the ERP is the same either way.
 */
import { describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/schema.js';
import type { RunningEngine } from '../../src/engine/create-engine.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import { reconcile } from '../../src/engine/reconcile.js';
import type { OdooSimulator, WooSimulator } from '../../src/simulators/index.js';
import { useWooOdoo } from './support/woo-odoo.js';
import { wooAdmin } from './support/woo-admin.js';
import { RECORD_SYNC } from '../../src/engine/jobs/kinds.js';
import { startRuntime } from '../../src/engine/runtime.js';

let odoo: OdooSimulator | undefined;
let woo: WooSimulator | undefined;
let engine: RunningEngine | undefined;
const lab = useWooOdoo();

/** The product and variation page requests (GET), each as its query. */
async function run(flow: NonNullable<ConfigInput['flows']>[number]): Promise<{ pages: URLSearchParams[]; result: Awaited<ReturnType<typeof syncAll>> }> {
  ({ odoo, woo } = await lab.start());
  const a = wooAdmin(woo);
  const shoes = await a.category('Shoes');
  for (let i = 1; i <= 5; i++) await a.simple({ name: `Tee ${i}`, sku: `T-${i}`, price: `${10 + i}.50`, categories: [shoes.id] });
  await a.variable({ name: 'Runner', sizes: ['42', '43'], skuPrefix: 'RUN', price: '89.00' });
  const pages: URLSearchParams[] = [];
  const watched: typeof fetch = (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    if ((init?.method ?? 'GET') === 'GET' && /\/wc\/v3\/products(\/\d+\/variations)?$/.test(url.pathname)) pages.push(url.searchParams);
    return fetch(input, init);
  };
  engine = await lab.engine({ flows: [{ entity: 'category', direction: 'shop->erp' }, flow], fetch: watched });
  const result = await syncAll(engine, { kind: 'initial', reconcile: true });
  return { pages, result };
}

const odooProducts = () =>
  odoo!.env
    .search('product.product', [])
    .map((id) => odoo!.env.read('product.product', [id], ['default_code', 'name', 'lst_price', 'description_sale'])[0] as Record<string, unknown>)
    .filter((p) => /^(T|RUN)-/.test(String(p.default_code)))
    .sort((x, y) => String(x.default_code).localeCompare(String(y.default_code)));

describe('WooCommerce product reads ask only for the mapped fields', () => {
  it('the sync and the verification read products and variations with _fields; Odoo gets the same products', async () => {
    const { pages, result } = await run({ entity: 'product', direction: 'shop->erp' });
    expect(result.reconcile!.differences).toEqual([]);
    expect(result.reconcile!.entities.find((e) => e.entity === 'product')).toMatchObject({ shop: 6, erp: 6, linked: 6 });
    const feed = pages.filter((q) => q.has('dates_are_gmt'));
    const listing = pages.filter((q) => !q.has('dates_are_gmt') && !q.has('sku'));
    expect(feed.length).toBeGreaterThan(0);
    expect(listing.length).toBeGreaterThan(0);
    const ids = listing.filter((q) => q.get('_fields') === 'id');
    expect(ids.length).toBeGreaterThan(0); // the verification after the initial sync lists ids only
    for (const q of [...feed, ...listing.filter((l) => !ids.includes(l))]) expect(q.get('_fields')).toMatch(/(^|,)sku(,|$)/);
    // a verification on its own lists the products with the mapped fields
    pages.length = 0;
    expect((await reconcile(engine!)).differences).toEqual([]);
    expect(pages.filter((q) => !q.has('sku')).length).toBeGreaterThan(0);
    for (const q of pages.filter((l) => !l.has('sku'))) expect(q.get('_fields')).toMatch(/(^|,)sku(,|$)/);
    expect(odooProducts().map((p) => [p.default_code, p.name, p.lst_price])).toEqual([
      ['RUN-42', 'Runner', 89],
      ['RUN-43', 'Runner', 89],
      ['T-1', 'Tee 1', 11.5],
      ['T-2', 'Tee 2', 12.5],
      ['T-3', 'Tee 3', 13.5],
      ['T-4', 'Tee 4', 14.5],
      ['T-5', 'Tee 5', 15.5],
    ]);
  });

  it('a flow whose field override reads the raw record reads it whole (the override sees a field outside the mapped ones)', async () => {
    const { pages, result } = await run({ entity: 'product', direction: 'shop->erp', fields: { description: "'slug ' & slug" } });
    expect(result.reconcile!.entities.find((e) => e.entity === 'product')).toMatchObject({ linked: 6 });
    const feed = pages.filter((q) => q.has('dates_are_gmt'));
    expect(feed.length).toBeGreaterThan(0);
    for (const q of feed) expect(q.has('_fields')).toBe(false);
    expect(odooProducts().find((p) => p.default_code === 'T-1')?.description_sale).toBe('slug tee-1');
  });
});

describe('a replay with an edited record, after a read of the mapped fields only', () => {
  it('gives the field overrides the whole raw record, read again (the dead letter holds only the mapped fields)', async () => {
    await run({ entity: 'product', direction: 'shop->erp', fields: { description: "'slug ' & slug" } });
    expect(odooProducts().find((p) => p.default_code === 'T-1')?.description_sale).toBe('slug tee-1');
    const tee = [...woo!.store.products.values()].find((p) => p.sku === 'T-1')!;
    const [fetched] = await engine!.shop.fetch('product', [String(tee.id)]);
    // what a dead letter of a `_fields` read holds as raw: the mapped fields, no slug
    const partialRaw = { id: tee.id, name: tee.name, sku: 'T-1', type: 'simple' };
    const data = { ...(fetched!.data as object), name: 'Tee 1 edited' };
    await engine!.queue.enqueue({ kind: RECORD_SYNC, key: 'product:shop:edited', payload: { entity: 'product', source: 'shop', ids: [String(tee.id)], data, raw: partialRaw } as never, maxAttempts: 1 });
    const rt = startRuntime(engine!, { schedules: false, concurrency: 1, pollIntervalMs: 20 });
    try {
      await expect.poll(() => odooProducts().find((p) => p.default_code === 'T-1')?.name, { timeout: 10_000 }).toBe('Tee 1 edited');
    } finally {
      await rt.stop();
    }
    expect(odooProducts().find((p) => p.default_code === 'T-1')?.description_sale).toBe('slug tee-1');
  });
});
