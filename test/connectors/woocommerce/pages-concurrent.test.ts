/**
 * Issue 16: WooCommerce list pages read several at once (`readConcurrency`, transport.ts `pages`). Page n+1
 * may now be answered before page n; the shrink rule of id-pages.ts must still see a product that leaves
 * the set between two page reads, and nothing may be lost or delivered twice — in the verification's
 * listing and in the change feed, over same-second products (the simulator shuffles same-second ties like
 * WordPress). The interleavings are forced: a fetch wrapper holds a page request until another page's
 * answer has arrived and changes the shop in between.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWooSimulator, type WooSimulator } from '../../../src/simulators/index.js';
import { createWooCommerceConnector, type WooCommerceConnector } from '../../../src/connectors/woocommerce/index.js';
import type { Batch, Cursor } from '../../../src/connectors/contract.js';
import type { EntityType } from '../../../src/model/index.js';
import { silentLog } from './harness.js';
import { blankProduct } from '../../../src/simulators/woocommerce/write-product.js';

let sim: WooSimulator;
let now = Date.parse('2026-12-03T10:00:00Z');
const opened: WooCommerceConnector[] = [];

/** Before a product list page is requested (page number), after its answer arrived. */
interface Script {
  before?: (page: number) => Promise<void> | void;
  after?: (page: number) => void;
  /** An answer of its own instead of the shop's. */
  answer?: (page: number) => Response | undefined;
}

let script: Script = {};
let inFlight = 0;
let maxInFlight = 0;
let listRequests = 0;
let variationsInFlight = 0;
let maxVariationsInFlight = 0;

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const scripted: typeof fetch = async (input, init) => {
  const url = new URL(String(input instanceof Request ? input.url : input));
  const isList = (init?.method ?? 'GET') === 'GET' && url.pathname.endsWith('/wc/v3/products');
  if (url.pathname.endsWith('/variations')) {
    variationsInFlight += 1;
    maxVariationsInFlight = Math.max(maxVariationsInFlight, variationsInFlight);
    try {
      return await fetch(input, init);
    } finally {
      variationsInFlight -= 1;
    }
  }
  if (!isList) return fetch(input, init);
  const page = Number(url.searchParams.get('page') ?? 1);
  listRequests += 1;
  inFlight += 1;
  maxInFlight = Math.max(maxInFlight, inFlight);
  try {
    await script.before?.(page);
    const own = script.answer?.(page);
    if (own) return own;
    const res = await fetch(input, init);
    script.after?.(page);
    return res;
  } finally {
    inFlight -= 1;
  }
};

function shop(readConcurrency: number): WooCommerceConnector {
  const c = createWooCommerceConnector('shop', { type: 'woocommerce', url: sim.url, consumerKey: sim.consumerKey, consumerSecret: sim.consumerSecret, auth: 'basic', currency: 'EUR', readConcurrency }, { log: silentLog, fetch: scripted });
  opened.push(c);
  return c;
}

async function collect<E extends EntityType>(batches: AsyncIterable<Batch<E>>): Promise<{ ids: string[]; cursor: Cursor | null }> {
  const ids: string[] = [];
  let cursor: Cursor | null = null;
  for await (const b of batches) {
    ids.push(...b.records.map((r) => r.id));
    cursor = b.cursor;
  }
  return { ids, cursor };
}

/** Products the shop holds now (what a complete listing returns). */
function present(prefix?: string): string[] {
  return [...sim.store.products.values()].filter((p) => p.type !== 'variation' && p.status !== 'trash' && (!prefix || p.sku.startsWith(prefix))).map((p) => String(p.id));
}

/** The id of the product at this offset of the id-ordered listing. */
function atOffset(offset: number): number {
  return [...sim.store.products.values()].filter((p) => p.type !== 'variation' && p.status !== 'trash').map((p) => p.id).sort((a, b) => a - b)[offset]!;
}

/** `gone`: a product deleted after the page holding it was read (it may be in the result, once). */
function expectExactlyOnce(ids: string[], expected: string[], gone: number[] = []): void {
  expect(expected.filter((id) => !ids.includes(id))).toEqual([]); // nothing lost
  expect(ids.length).toBe(new Set(ids).size); // nothing twice
  expect(ids.filter((id) => !expected.includes(id) && !gone.includes(Number(id)))).toEqual([]); // nothing that is not there
}

beforeAll(async () => {
  // one clock for the whole shop: every product seeded here shares its second (unstable ties)
  sim = await startWooSimulator({ clock: () => now });
  sim.seedProducts(1000, { prefix: 'CONC' });
});
afterAll(async () => {
  for (const c of opened) await c.close();
  await sim.close();
});
beforeEach(() => {
  script = {};
  maxInFlight = 0;
  listRequests = 0;
  maxVariationsInFlight = 0;
});

describe('WooCommerce list pages read concurrently', () => {
  it('reads several pages at once (4 by default), and one after another at readConcurrency 1', async () => {
    const ids = (await collect(shop(4).list!('product', { pageSize: 100 }))).ids;
    expectExactlyOnce(ids, present());
    expect(maxInFlight).toBe(4);
    expect(listRequests).toBe(10);
    maxInFlight = 0;
    expectExactlyOnce((await collect(shop(1).list!('product', { pageSize: 100 }))).ids, present());
    expect(maxInFlight).toBe(1);
  });

  it('listing: a product deleted after page 2 was answered and before page 3 — page 3 shows the shrink, the read starts over, nothing is lost', async () => {
    const page2 = deferred();
    let victim = 0;
    script = {
      after: (p) => p === 2 && page2.resolve(),
      before: async (p) => {
        if (p !== 3 || victim) return;
        await page2.promise; // page 3 is asked for while page 2 is in flight; it is answered after it
        victim = atOffset(10);
        sim.store.removeProduct(victim); // everything after offset 10 moves left: old offset 200 slides onto page 2
      },
    };
    const ids = (await collect(shop(4).list!('product', { pageSize: 100 }))).ids;
    expect(victim).toBeGreaterThan(0);
    expectExactlyOnce(ids, present(), [victim]);
    expect(listRequests).toBeGreaterThan(10); // it did start over
  });

  it('listing: the same deletion with page 3 answered BEFORE page 2 (page 2 then comes in shifted: the first product of page 3 twice on the wire, once in the result)', async () => {
    const page3 = deferred();
    let victim = 0;
    script = {
      after: (p) => {
        if (p !== 3 || victim) return;
        victim = atOffset(10);
        sim.store.removeProduct(victim);
        page3.resolve();
      },
      before: async (p) => {
        if (p === 2) await page3.promise;
      },
    };
    const ids = (await collect(shop(4).list!('product', { pageSize: 100 }))).ids;
    expect(victim).toBeGreaterThan(0);
    expectExactlyOnce(ids, present(), [victim]);
  });

  it('listing: products added while the pages are read (more pages announced) are read too', async () => {
    let added = false;
    script = {
      before: (p) => {
        if (p !== 2 || added) return;
        added = true;
        sim.seedProducts(150, { prefix: 'GROW' });
      },
    };
    const ids = (await collect(shop(4).list!('product', { pageSize: 100 }))).ids;
    expect(added).toBe(true);
    expectExactlyOnce(ids, present());
    expect(ids.filter((id) => present('GROW').includes(id))).toHaveLength(150);
  });

  it('change feed over same-second products: a product trashed between two concurrent page reads costs no other product, and the next read is empty', async () => {
    now += 60_000;
    sim.seedProducts(700, { prefix: 'TIE' }); // all in one second: WordPress has no tie-breaker
    const feedShop = shop(4);
    // the feed from a cursor before the TIE products: it reads them (and only them) in id order
    const cursor: Cursor = { t: new Date(now - 10_000).toISOString().slice(0, 19), seen: {} };
    const page4 = deferred();
    let victim = 0;
    script = {
      after: (p) => p === 4 && page4.resolve(),
      before: async (p) => {
        if (p !== 5 || victim) return;
        await page4.promise;
        const tie = [...sim.store.products.values()].filter((x) => x.sku.startsWith('TIE-')).sort((a, b) => a.id - b.id);
        const v = tie[150]!; // on page 2, already read
        v.status = 'trash';
        v.modified = sim.store.now();
        sim.store.touch();
        victim = v.id;
      },
    };
    const first = await collect(feedShop.read('product', cursor, { pageSize: 100 }));
    expect(victim).toBeGreaterThan(0);
    const tie = present('TIE-');
    expect(tie).toHaveLength(699);
    expectExactlyOnce(first.ids.filter((id) => id !== String(victim)), tie);
    script = {};
    now += 2000;
    expect((await collect(feedShop.read('product', first.cursor, { pageSize: 100 }))).ids).toEqual([]);
  });

  it('a page that fails while read ahead fails the read when its turn comes, after the pages before it', async () => {
    const seen: number[] = [];
    const body = JSON.stringify({ code: 'internal_server_error', message: 'There has been a critical error on this website.', data: { status: 500 } });
    script = { answer: (p) => (p === 4 ? new Response(body, { status: 500, headers: { 'content-type': 'application/json' } }) : undefined) };
    const err = await (async () => {
      try {
        for await (const b of shop(4).list!('product', { pageSize: 100 })) seen.push(b.records.length);
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(err?.message).toMatch(/critical error/);
    expect(seen).toEqual([100, 100, 100]);
  });

  it('the variations of a page\'s variable products are read several at once, and come out the same as one after another', async () => {
    const state = sim.store;
    for (let i = 0; i < 24; i++) {
      const p = blankProduct(state, 'variable');
      p.name = `VARI Shirt ${i}`;
      p.attributes = [{ id: 0, name: 'Size', position: 0, visible: true, variation: true, options: ['S', 'M', 'L'] }];
      state.products.set(p.id, p);
      for (const size of ['S', 'M', 'L']) {
        const v = blankProduct(state, 'variation', p.id);
        v.name = `VARI Shirt ${i} - ${size}`;
        v.regularPrice = `${10 + i}.50`;
        v.options = [{ id: 0, name: 'Size', option: size }];
        state.products.set(v.id, v);
        state.setSku(v, `VARI-${i}-${size}`);
        p.variations.push(v.id);
      }
    }
    state.touch();
    const skus = async (c: WooCommerceConnector) => {
      const out = new Map<string, string[]>();
      for await (const b of c.list!('product', { pageSize: 100 })) {
        for (const r of b.records) if (r.data && (r.data as { name: string }).name.startsWith('VARI')) out.set(r.id, (r.data as { variants: Array<{ sku: string; price: { amount: string } }> }).variants.map((v) => `${v.sku}=${v.price.amount}`).sort());
      }
      return out;
    };
    const together = await skus(shop(4));
    expect(maxVariationsInFlight).toBe(4);
    expect(together.size).toBe(24);
    expect([...together.values()].every((v) => v.length === 3)).toBe(true);
    maxVariationsInFlight = 0;
    const oneByOne = await skus(shop(1));
    expect(maxVariationsInFlight).toBe(1);
    expect(together).toEqual(oneByOne);
  });
});
