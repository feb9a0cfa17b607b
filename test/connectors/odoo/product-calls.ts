/**
 * Calls per batch of the Odoo product write path, as the engine drives it (natural-key lookup, then the
 * write of what it did not find): counted per `model.method` from the requests the connector sends, for a
 * batch of 4 and a batch of 40 products. The counts must be the same for both — a call per template or per
 * record that creeps back makes the big batch cost more — and equal to the table below. Shared by the
 * simulator tests (Odoo 17 and 19) and the live suite (test/live/odoo-product-calls.live.test.ts), which
 * proves the same requests on the real servers.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { ErpConnector, NaturalKey, WriteOp, WriteResult } from '../../../src/connectors/contract.js';
import type { Product } from '../../../src/model/index.js';

/** The calls of one batch of new products (simple ones with and without barcode, and products in sizes). */
export function callsPerNewBatch(major: number): Record<string, number> {
  const common = {
    'product.template.search_read': 1, // half-created templates of an earlier run (find-before-create of products in sizes)
    'product.template.create': 1, // the products in sizes, one list
    'product.template.write': 1, // every variant's SKU/barcode in one write
  };
  // the lookup by SKU and barcode (one search); then the generated variants (+ the new simple products'
  // template ids) with their attribute values nested (17+), or variants and attribute values apart (16)
  // the simple products, one list: web_save (17+: their template ids in the same answer) or create
  if (major >= 17) return { ...common, 'product.product.web_save': 1, 'product.product.search_read': 1, 'product.product.web_search_read': 1 };
  return { ...common, 'product.product.create': 1, 'product.product.search_read': 2, 'product.template.attribute.value.search_read': 1 };
}

/** A batch of simple products only: the lookup, then ONE call on 17+ (no read of their template ids after it). */
export function callsPerSimpleBatch(major: number): Record<string, number> {
  if (major >= 17) return { 'product.product.search_read': 1, 'product.product.web_save': 1 };
  return { 'product.product.search_read': 2, 'product.product.create': 1 };
}

export interface CallCounter {
  /** fetch to give the connector: counts every model call it sends */
  fetch: typeof fetch;
  take(): Record<string, number>;
}

/** Counts `model.method` of JSON-RPC execute_kw and JSON-2 requests. */
export function countingFetch(inner: typeof fetch = fetch): CallCounter {
  let counts: Record<string, number> = {};
  const add = (key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  const wrapped = (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const json2 = /\/json\/2\/([^/?]+)\/([^/?]+)/.exec(url);
    if (json2) add(`${decodeURIComponent(json2[1]!)}.${decodeURIComponent(json2[2]!)}`);
    else if (url.endsWith('/jsonrpc') && typeof init?.body === 'string') {
      const body = JSON.parse(init.body) as { params?: { service?: string; method?: string; args?: unknown[] } };
      if (body.params?.service === 'object' && body.params.method === 'execute_kw') add(`${String(body.params.args?.[3])}.${String(body.params.args?.[4])}`);
    }
    return inner(input, init);
  }) as typeof fetch;
  return {
    fetch: wrapped,
    take() {
      const out = counts;
      counts = {};
      return out;
    },
  };
}

export interface ProductCallsHarness {
  connector: ErpConnector;
  /** Odoo major version of the server */
  major: number;
  counter: CallCounter;
  prefix: string;
  currency: string;
  cleanup?: () => Promise<void>;
}

function products(prefix: string, n: number, currency: string): Product[] {
  const money = (amount: string) => ({ amount, currency });
  return Array.from({ length: n }, (_, i): Product => {
    const base = { description: '', categoryIds: [], active: true, tracksStock: true };
    if (i % 2 === 0) {
      const barcode = i % 4 === 0 ? `${prefix.length}${Date.now() % 1e9}${String(i).padStart(3, '0')}` : null;
      return { ...base, name: `${prefix} Tee ${i}`, attributes: [], variants: [{ sku: `${prefix}-T${i}`, barcode, attributes: {}, price: money('12.50'), salePrice: null, weight: null, active: true }] };
    }
    return {
      ...base,
      name: `${prefix} Hoodie ${i}`,
      attributes: [{ name: 'Size', values: ['S', 'M'] }],
      variants: ['S', 'M'].map((s) => ({ sku: `${prefix}-H${i}-${s}`, barcode: null, attributes: { Size: s }, price: money('40.00'), salePrice: null, weight: { value: '0.5', unit: 'kg' as const }, active: true })),
    };
  });
}

/** What the engine does with a batch of unlinked records: look them up by SKU/barcode, create what was not found. */
async function syncNew(c: ErpConnector, batch: Product[], key: string): Promise<WriteResult[]> {
  const keys: NaturalKey[] = batch.flatMap((p) => [...p.variants.map((v) => ({ type: 'sku' as const, value: v.sku })), ...p.variants.filter((v) => v.barcode).map((v) => ({ type: 'barcode' as const, value: v.barcode! }))]);
  const found = await c.findByNaturalKey('product', keys);
  expect(found.size).toBe(0);
  const ops: WriteOp<'product'>[] = batch.map((record, i) => ({ kind: 'create', key: `${key}-${i}`, record }));
  return c.write('product', ops, { lookup: () => undefined });
}

export function describeProductCalls(title: string, setup: () => Promise<ProductCallsHarness>): void {
  describe(`odoo product writes, calls per batch: ${title}`, () => {
    let h: ProductCallsHarness;
    beforeAll(async () => {
      h = await setup();
      // first batch: company, version traits, attribute and value ids are asked once and cached
      const warm = await syncNew(h.connector, products(`${h.prefix}W`, 2, h.currency), 'w');
      expect(warm.every((r) => r.ok)).toBe(true);
      h.counter.take();
    });
    afterAll(async () => {
      await h?.cleanup?.();
      await h?.connector.close();
    });

    it('a batch of 4 and a batch of 40 new products cost the same calls, as in the table', async () => {
      const small = await syncNew(h.connector, products(`${h.prefix}A`, 4, h.currency), 'a');
      const smallCalls = h.counter.take();
      const big = await syncNew(h.connector, products(`${h.prefix}B`, 40, h.currency), 'b');
      const bigCalls = h.counter.take();
      expect([...small, ...big].filter((r) => !r.ok)).toEqual([]);
      expect(smallCalls).toEqual(callsPerNewBatch(h.major));
      expect(bigCalls).toEqual(callsPerNewBatch(h.major));
    });

    it('a batch of simple products only: the lookup and ONE create that answers the template ids (17+)', async () => {
      const batch = products(`${h.prefix}S`, 20, h.currency).filter((p) => p.attributes.length === 0);
      const results = await syncNew(h.connector, batch, 's');
      const calls = h.counter.take();
      expect(results.filter((r) => !r.ok)).toEqual([]);
      expect(calls).toEqual(callsPerSimpleBatch(h.major));
      const fetched = new Map((await h.connector.fetch('product', results.map((r) => (r.ok ? r.id : '')))).map((r) => [r.id, r]));
      batch.forEach((p, i) => {
        const r = results[i]!;
        // the id is the template's; childIds name the variant Odoo made for it
        expect(r.ok && fetched.get(r.id)?.data?.variants.map((v) => v.sku)).toEqual([p.variants[0]!.sku]);
        expect(r.ok && r.childIds).toEqual(fetched.get(r.ok ? r.id : '')?.childIds);
      });
    });

    it('writes what it was asked to: each SKU on its variant, the barcode, one template per product', async () => {
      const batch = products(`${h.prefix}C`, 6, h.currency);
      const results = await syncNew(h.connector, batch, 'c');
      const ids = results.map((r) => (r.ok ? r.id : `failed: ${r.error.message}`));
      expect(new Set(ids).size).toBe(6);
      const fetched = new Map((await h.connector.fetch('product', ids)).map((r) => [r.id, r]));
      batch.forEach((p, i) => {
        const r = results[i]!;
        const rec = fetched.get(ids[i]!);
        expect(rec?.data?.variants.map((v) => [v.sku, v.barcode ?? null]).sort()).toEqual(p.variants.map((v) => [v.sku, v.barcode ?? null]).sort());
        expect(r.ok && Object.keys(r.childIds ?? {}).sort()).toEqual(p.variants.map((v) => v.sku).sort());
        expect(rec?.childIds).toEqual(r.ok ? r.childIds : undefined);
      });
    });

    it('a write repeated without a new lookup (the engine retrying a batch in halves) finds what the first created', async () => {
      const batch = products(`${h.prefix}D`, 4, h.currency);
      const first = await syncNew(h.connector, batch, 'd');
      h.counter.take();
      const again = await h.connector.write('product', batch.map((record, i) => ({ kind: 'create', key: `d-${i}`, record })), { lookup: () => undefined });
      const calls = h.counter.take();
      expect(calls['product.product.search_read']).toBe(h.major >= 17 ? 1 : 2); // its own find-before-create (then the variants read on 16)
      expect(calls['product.product.create'] ?? 0).toBe(0);
      expect(calls['product.product.web_save'] ?? 0).toBe(0);
      expect(calls['product.template.create'] ?? 0).toBe(0);
      expect(again.map((r) => r.ok && r.id)).toEqual(first.map((r) => r.ok && r.id));
      expect(again.every((r) => r.ok && !r.created)).toBe(true);
    });
  });
}
