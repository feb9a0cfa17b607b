import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncError } from '../../../src/shared/errors.js';
import type { Product } from '../../../src/model/index.js';
import type { RestShopConnector } from '../../../src/connectors/rest-shop/index.js';
import { startShop, type ShopFixture } from './harness.js';

const noLookup = () => undefined;

function product(sku: string, price = '10.00', name = `Tee ${sku}`): Product {
  return {
    name, description: '', categoryIds: [], attributes: [], active: true, tracksStock: true,
    variants: [{ sku, barcode: null, attributes: {}, price: { amount: price, currency: 'EUR' }, salePrice: null, weight: null, active: true }],
  };
}

async function caught(p: Promise<unknown>): Promise<SyncError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SyncError) return e;
    throw e;
  }
  throw new Error('expected a SyncError');
}

describe('rest-shop fault handling', () => {
  let shop: ShopFixture;
  let c: RestShopConnector;

  beforeAll(async () => {
    shop = await startShop();
    c = shop.connector();
    shop.sim.seed.products([{ name: 'Seeded', variants: [{ sku: 'F-1', price: '5.00' }] }]);
  });
  afterAll(() => shop.sim.close());

  it('429 → rate_limited with retryAfterMs from Retry-After, retryable, shop message kept', async () => {
    shop.sim.faults.rateLimitRate = 1;
    try {
      const e = await caught(c.findByNaturalKey('product', [{ type: 'sku', value: 'F-1' }]));
      expect(e.kind).toBe('rate_limited');
      expect(e.retryAfterMs).toBe(1000);
      expect(e.retryable).toBe(true);
      expect(e.status).toBe(429);
      expect(e.message).toBe('Too Many Attempts.');
    } finally {
      shop.sim.faults.rateLimitRate = 0;
    }
  });

  it('5xx → unavailable (retryable), for reads and for whole batches', async () => {
    shop.sim.faults.errorRate = 1;
    try {
      const read = await caught((async () => {
        for await (const _b of c.read('product', null)) void _b;
      })());
      expect(read.kind).toBe('unavailable');
      expect(read.retryable).toBe(true);
      expect([500, 503]).toContain(read.status);
      const write = await caught(c.write('product', [{ kind: 'create', key: 'x', record: product('F-X') }], { lookup: noLookup }));
      expect(write.kind).toBe('unavailable');
    } finally {
      shop.sim.faults.errorRate = 0;
    }
  });

  it('422 per item → invalid_data naming the field; the other items are written', async () => {
    const res = await c.write('product', [
      { kind: 'create', key: 'good', record: product('F-2') },
      { kind: 'create', key: 'neg', record: product('F-3', '-1.00') },
      { kind: 'create', key: 'dup', record: product('F-1') },
    ], { lookup: noLookup });
    expect(res[0]).toMatchObject({ ok: true, created: true });
    const neg = res[1]!;
    const dup = res[2]!;
    expect(neg.ok).toBe(false);
    if (!neg.ok) {
      expect(neg.error).toMatchObject({ kind: 'invalid_data', field: 'variants.0.price', status: 422, entity: 'product', record: 'neg' });
      expect(neg.error.message).toContain('must be at least 0');
    }
    expect(dup.ok).toBe(false);
    if (!dup.ok) expect(dup.error).toMatchObject({ kind: 'invalid_data', field: 'variants.0.sku' });
    expect(shop.sim.state.productBySku('F-2')).toBeDefined();
    expect(shop.sim.state.productBySku('F-3')).toBeUndefined();
  });

  it('422 on a customer names the field (email taken, case-insensitively)', async () => {
    const customer = { email: 'Ann@Example.com', firstName: 'Ann', lastName: 'A', company: null, phone: null, addresses: [] };
    const [a] = await c.write('customer', [{ kind: 'create', key: 'a', record: customer }], { lookup: noLookup });
    expect(a!.ok).toBe(true);
    const [b] = await c.write('customer', [{ kind: 'create', key: 'b', record: { ...customer, email: 'ann@example.com' } }], { lookup: noLookup });
    expect(b!.ok).toBe(false);
    if (!b!.ok) expect(b!.error).toMatchObject({ kind: 'invalid_data', field: 'email', message: 'The email has already been taken.' });
  });

  it('a price in another currency fails that item before anything is sent', async () => {
    const calls = c.calls;
    const bad = product('F-4');
    bad.variants[0]!.price = { amount: '10.00', currency: 'USD' };
    const [r] = await c.write('product', [{ kind: 'create', key: 'usd', record: bad }], { lookup: noLookup });
    expect(r!.ok).toBe(false);
    if (!r!.ok) expect(r!.error).toMatchObject({ kind: 'invalid_data', field: 'variants.0.price' });
    expect(c.calls).toBe(calls);
  });

  it('404 → not_found; 401 → auth with a hint', async () => {
    const nf = await caught(c.orders.getOrder('987654'));
    expect(nf).toMatchObject({ kind: 'not_found', status: 404, retryable: false });
    expect(nf.message).toContain('No query results');
    const bad = shop.connector({ auth: { type: 'bearer', token: 'nope' } });
    const auth = await caught(bad.fetch('product', ['1']));
    expect(auth).toMatchObject({ kind: 'auth', status: 401, message: 'Unauthenticated.' });
    expect(auth.hint).toContain('systems.shop.auth');
  });

  it('a shop slower than the timeout → unavailable (timeout)', async () => {
    const slow = shop.connector({ timeout: '50ms' });
    shop.sim.faults.latencyMs = 300;
    try {
      const e = await caught(slow.fetch('product', ['1']));
      expect(e.kind).toBe('unavailable');
      expect(e.code).toBe('timeout');
    } finally {
      shop.sim.faults.latencyMs = 0;
    }
  });

  it('a URL that is not the API (HTML / unknown route) is reported, not parsed', async () => {
    const wrong = shop.connector({ url: shop.sim.url.replace('/api/tandem', '/shop') });
    const e = await caught(wrong.fetch('product', ['1']));
    expect(e.kind).toBe('not_found');
    const report = await wrong.check();
    expect(report.ok).toBe(false);
  });

  it('every request went through the injected fetch (benchmarks count calls)', async () => {
    let n = 0;
    const counting: typeof fetch = (input, init) => {
      n += 1;
      return fetch(input, init);
    };
    const cc = shop.connector({}, { fetch: counting });
    await cc.fetch('product', ['1']);
    await cc.findByNaturalKey('product', [{ type: 'sku', value: 'F-1' }]);
    expect(n).toBe(2);
    expect(cc.calls).toBe(2);
  });
});
