/** The simulator itself: Laravel shapes, keyset feeds, order money, stock, idempotent actions, limits. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChangeFeed } from '../../../src/simulators/rest-shop/feed.js';
import { startRestShopSimulator, type RestShopSimulator } from '../../../src/simulators/index.js';

async function call(sim: RestShopSimulator, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${sim.token}`, accept: 'application/json', ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

describe('ChangeFeed (property): after() equals the sorted model under random touches', () => {
  it('holds for any sequence of touches, including out-of-order timestamps', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 50 })), { maxLength: 60 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 21 }), (touches, t0, id0) => {
        const feed = new ChangeFeed();
        const model = new Map<number, number>();
        for (const [id, t] of touches) {
          feed.touch(id, t);
          model.set(id, t);
        }
        const expected = [...model].filter(([id, t]) => t > t0 || (t === t0 && id > id0)).sort((a, b) => a[1] - b[1] || a[0] - b[0]).map(([id]) => id);
        expect(feed.after({ t: t0, id: id0 }, 1000)).toEqual(expected);
        expect(feed.countAfter({ t: t0, id: id0 })).toBe(expected.length);
        expect(feed.size).toBe(model.size);
      }),
    );
  });
});

describe('rest-shop simulator', () => {
  let sim: RestShopSimulator;

  beforeAll(async () => {
    sim = await startRestShopSimulator({ taxRate: '20', pricesIncludeTax: true, locations: ['default', 'store-2'] });
    sim.seed.products([
      { name: 'Sneaker', variants: [{ sku: 'S-42', price: '89.00' }, { sku: 'S-43', price: '89.00', sale_price: '79.90' }] },
      { name: 'Socks', variants: [{ sku: 'SOCK', price: '4.99' }] },
    ], { stock: 10 });
  });
  afterAll(() => sim.close());

  it('lists in the length-aware paginator shape without a feed parameter', async () => {
    const r = await call(sim, 'GET', '/products?per_page=1&page=2');
    expect(r.status).toBe(200);
    expect(r.body.meta).toMatchObject({ current_page: 2, last_page: 2, per_page: 1, total: 2, from: 2, to: 2 });
    expect(r.body.links).toMatchObject({ next: null });
    expect((r.body.links as { prev: string }).prev).toContain('page=1');
    expect((r.body.data as Array<{ name: string }>)[0]!.name).toBe('Socks');
  });

  it('serves change feeds as cursorPaginate pages; keyset strictly after (updated_at, id)', async () => {
    const all = await call(sim, 'GET', '/products?updated_since=2000-01-01T00:00:00Z&per_page=1');
    const meta = all.body.meta as { next_cursor: string | null; per_page: number };
    expect(meta.per_page).toBe(1);
    expect(typeof meta.next_cursor).toBe('string');
    const first = (all.body.data as Array<{ id: number; updated_at: string }>)[0]!;
    const next = await call(sim, 'GET', `/products?updated_since=2000-01-01T00:00:00Z&per_page=1&cursor=${meta.next_cursor}`);
    expect((next.body.data as Array<{ name: string }>)[0]!.name).toBe('Socks');
    expect((next.body.meta as { next_cursor: unknown }).next_cursor).toBeNull();
    const after = await call(sim, 'GET', `/products?updated_since=${first.updated_at}&after_id=${first.id}`);
    expect((after.body.data as Array<{ name: string }>).map((p) => p.name)).toEqual(['Socks']);
    const inclusive = await call(sim, 'GET', `/products?updated_since=${first.updated_at}`);
    expect((inclusive.body.data as unknown[]).length).toBe(2);
  });

  it('validates like Laravel: per_page ≤ 500, ≤ 100 batch items, 401, unknown routes', async () => {
    const big = await call(sim, 'GET', '/products?per_page=501');
    expect(big).toMatchObject({ status: 422, body: { errors: { per_page: ['The per page field must not be greater than 500.'] } } });
    const many = await call(sim, 'POST', '/stock/batch', { items: Array.from({ length: 101 }, () => ({ sku: 'SOCK', quantity: 1 })) });
    expect(many.status).toBe(422);
    const anon = await fetch(`${sim.url}/products`);
    expect(anon.status).toBe(401);
    expect(await anon.json()).toEqual({ message: 'Unauthenticated.' });
    expect((await call(sim, 'GET', '/nope')).status).toBe(404);
    expect((await call(sim, 'DELETE', '/products/1001')).status).toBe(405);
  });

  it('places an order with tax included, coupon and shipping — totals exact to the cent', async () => {
    const id = await sim.placeOrder({ email: 'buyer@example.com', lines: [{ sku: 'S-43', quantity: 2 }, { sku: 'SOCK', quantity: 3 }], paid: true, couponPercent: '10', shipping: { method: 'DHL', amount: '4.95' } });
    const { body } = await call(sim, 'GET', `/orders/${id}`);
    const o = body.data as Record<string, unknown> & { lines: Array<Record<string, string>>; shipping_lines: Array<Record<string, string>> };
    // S-43: 2 × 79.90 = 159.80, −10 % = 143.82 gross → net 119.85, tax 23.97
    expect(o.lines[0]).toMatchObject({ unit_price: '79.90', discount: '15.98', subtotal: '119.85', tax: '23.97', total: '143.82', tax_rate: '20' });
    // SOCK: 3 × 4.99 = 14.97, −10 % (1.50) = 13.47 → net 11.23, tax 2.24
    expect(o.lines[1]).toMatchObject({ discount: '1.50', subtotal: '11.23', tax: '2.24', total: '13.47' });
    // shipping 4.95 gross → 4.13 + 0.82
    expect(o.shipping_lines[0]).toMatchObject({ total: '4.13', tax: '0.82' });
    expect(o).toMatchObject({ total: '162.24', total_tax: '27.03', status: 'confirmed', prices_include_tax: true, currency: 'EUR' });
    expect(o.discounts).toEqual([{ code: 'COUPON', amount: '17.48' }]);
    expect(sim.state.stock('S-43')!.quantity).toBe(8);
    expect(sim.state.stock('SOCK')!.quantity).toBe(7);
  });

  it('adds tax on top when prices exclude it', async () => {
    const net = await startRestShopSimulator({ taxRate: '19', pricesIncludeTax: false });
    try {
      net.seed.products([{ name: 'Tee', variants: [{ sku: 'T', price: '10.00' }] }]);
      const id = await net.placeOrder({ email: 'x@example.com', lines: [{ sku: 'T', quantity: 3 }], paid: false });
      const o = net.state.order(id)!;
      expect(o.lines[0]).toMatchObject({ subtotal: '30.00', tax: '5.70', total: '35.70' });
      expect(o).toMatchObject({ total: '35.70', totalTax: '5.70', status: 'pending', payment: null });
    } finally {
      await net.close();
    }
  });

  it('order actions are idempotent and refunds restock; over-refunds are refused', async () => {
    const receiver = createServer((_req, res) => res.writeHead(200).end());
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    sim.setWebhook({ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`, secret: 's' });
    const id = await sim.placeOrder({ email: 'r@example.com', lines: [{ sku: 'S-42', quantity: 1 }], paid: true });
    const webhooksBefore = sim.state.deliveries.length;
    expect((await call(sim, 'POST', `/orders/${id}/status`, { status: 'confirmed' })).status).toBe(200);
    expect((await call(sim, 'POST', `/orders/${id}/status`, { status: 'sent' })).status).toBe(422);
    const s1 = await call(sim, 'POST', `/orders/${id}/shipments`, { carrier: 'DHL', tracking_number: 'T-9' });
    const s2 = await call(sim, 'POST', `/orders/${id}/shipments`, { carrier: 'DHL', tracking_number: 'T-9' });
    expect([s1.status, s2.status]).toEqual([201, 200]);
    expect(sim.state.order(id)!.shipments).toHaveLength(1);
    const before = sim.state.stock('S-42')!.quantity;
    const r1 = await call(sim, 'POST', `/orders/${id}/refunds`, { key: 'k1', amount: '89.00', restock: true, lines: [{ sku: 'S-42', quantity: 1 }] });
    const r2 = await call(sim, 'POST', `/orders/${id}/refunds`, { key: 'k1', amount: '89.00', restock: true, lines: [{ sku: 'S-42', quantity: 1 }] });
    expect([r1.status, r2.status]).toEqual([201, 200]);
    expect((r2.body.data as { id: number }).id).toBe((r1.body.data as { id: number }).id);
    expect(sim.state.stock('S-42')!.quantity).toBe(before + 1);
    expect(sim.state.order(id)!.status).toBe('refunded');
    const over = await call(sim, 'POST', `/orders/${id}/refunds`, { key: 'k2', amount: '0.01' });
    expect(over).toMatchObject({ status: 422, body: { errors: { amount: ['The amount field must not be greater than 0.00.'] } } });
    const ret = await call(sim, 'POST', `/orders/${id}/returns`, { key: 'ret', lines: [{ sku: 'NOT-IN-ORDER', quantity: 1 }] });
    expect(ret.status).toBe(422);
    // The status no-op and the repeated shipment/refund fired nothing; shipment, refund and its restock did.
    await sim.flushWebhooks();
    expect(sim.state.deliveries.slice(webhooksBefore).map((d) => d.event)).toEqual(['order.updated', 'order.updated', 'stock.updated']);
    expect(sim.state.deliveries.slice(webhooksBefore).every((d) => d.attempts[0] === 200)).toBe(true);
    sim.setWebhook(null);
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  it('stock per location: unknown SKU is a per-item 404, unknown location a per-item 422', async () => {
    const r = await call(sim, 'POST', '/stock/batch', { items: [{ sku: 'SOCK', location: 'store-2', quantity: 4 }, { sku: 'NOPE', quantity: 1 }, { sku: 'SOCK', location: 'moon', quantity: 1 }] });
    expect(r.status).toBe(200);
    const data = r.body.data as Array<{ status: number; message?: string }>;
    expect(data.map((d) => d.status)).toEqual([201, 404, 422]);
    expect(data[1]!.message).toBe('No product variant with SKU NOPE.');
    expect(sim.state.stock('SOCK', 'store-2')!.quantity).toBe(4);
    const rows = await call(sim, 'GET', '/stock?skus=SOCK');
    expect((rows.body.data as Array<{ location: string }>).map((s) => s.location).sort()).toEqual(['default', 'store-2']);
  });

  it('fault knobs: 429 with Retry-After, 5xx, latency', async () => {
    sim.faults.rateLimitRate = 1;
    const limited = await call(sim, 'GET', '/products');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    sim.faults.rateLimitRate = 0;
    sim.faults.errorRate = 1;
    expect([500, 503]).toContain((await call(sim, 'GET', '/products')).status);
    sim.faults.errorRate = 0;
    expect((await call(sim, 'GET', '/products')).status).toBe(200);
    expect(sim.stats.serverErrors).toEqual([]);
  });
});
