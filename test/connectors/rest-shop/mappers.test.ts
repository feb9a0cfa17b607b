/** Pure parts of the REST shop connector: table tests. */
import { describe, expect, it } from 'vitest';
import { compareKeysets, cursorToKeyset, formatMicros, keysetToCursor, parseShopTime, toUtcIso } from '../../../src/connectors/rest-shop/keyset.js';
import { nextLink } from '../../../src/connectors/rest-shop/paginate.js';
import { getPath, parsePath, setPath } from '../../../src/connectors/rest-shop/set-path.js';
import { orderFromWire, statusFromWire, statusToWire } from '../../../src/connectors/rest-shop/map-order-read.js';
import { productToWire, customerToWire, categoryToWire, stockToWire } from '../../../src/connectors/rest-shop/map-write.js';
import { stockFromWire } from '../../../src/connectors/rest-shop/map-read.js';
import { errorFromStatus, firstFieldError } from '../../../src/connectors/rest-shop/errors.js';
import { OrderSchema, type Product } from '../../../src/model/index.js';

describe('keyset and times', () => {
  it.each([
    ['2026-11-26T14:25:00.123456Z', '2026-11-26T14:25:00.123456Z'],
    ['2026-11-26T14:25:00Z', '2026-11-26T14:25:00Z'],
    ['2026-11-26 14:25:00', '2026-11-26T14:25:00Z'],
    ['2026-11-26T16:25:00+02:00', '2026-11-26T14:25:00Z'],
    ['2026-11-26T16:25:00.5+0200', '2026-11-26T14:25:00.5Z'],
    ['yesterday', null],
    [42, null],
  ])('toUtcIso(%j) = %j', (input, expected) => {
    expect(toUtcIso(input)).toBe(expected);
  });

  it('parses to microseconds and formats back', () => {
    const us = parseShopTime('2026-11-26T14:25:00.123456Z')!;
    expect(us % 1_000_000).toBe(123456);
    expect(formatMicros(us)).toBe('2026-11-26T14:25:00.123456Z');
    expect(formatMicros(us - 60_000_000)).toBe('2026-11-26T14:24:00.123456Z');
    expect(parseShopTime('2026-11-26 14:25:00')).toBe(Date.parse('2026-11-26T14:25:00Z') * 1000);
  });

  it('orders by time, then numeric ids numerically and other ids lexically', () => {
    const k = (since: string, id: string) => ({ since, id });
    expect(compareKeysets(k('2026-01-01T00:00:00Z', '9'), k('2026-01-01T00:00:00Z', '10'))).toBeLessThan(0);
    expect(compareKeysets(k('2026-01-01T00:00:00.000001Z', '1'), k('2026-01-01T00:00:00Z', '99'))).toBeGreaterThan(0);
    expect(compareKeysets(k('2026-01-01 00:00:00', 'g-2'), k('2026-01-01T00:00:00.000000Z', 'g-10'))).toBeGreaterThan(0);
    expect(compareKeysets(k('2026-01-01T00:00:00Z', '5'), k('2026-01-01T00:00:00.000000Z', '5'))).toBe(0);
  });

  it('cursor round-trips; anything else reads as "from the start"', () => {
    expect(cursorToKeyset(keysetToCursor({ since: 'x', id: '1' }))).toEqual({ since: 'x', id: '1' });
    expect(cursorToKeyset(null)).toBeNull();
    expect(cursorToKeyset('garbage')).toBeNull();
    expect(cursorToKeyset({ since: 1, id: '1' })).toBeNull();
  });
});

describe('Link header', () => {
  it.each([
    ['<https://s/x?page=2>; rel="next", <https://s/x?page=9>; rel="last"', 'https://s/x?page=2'],
    ['<https://s/x?page=1>; rel="prev", </x?page=3>; rel=next', '/x?page=3'],
    ['<https://s/a,b?page=2>; rel="prev next"', 'https://s/a,b?page=2'],
    ['<https://s/x?page=1>; rel="first"', null],
    [null, null],
  ])('%j → %j', (header, expected) => {
    expect(nextLink(header)).toBe(expected);
  });
});

describe('field paths', () => {
  it.each([
    ['name', ['name']],
    ['variants[0].price.amount', ['variants', 0, 'price', 'amount']],
    ['data.attributes.title', ['data', 'attributes', 'title']],
  ])('parses %s', (path, segments) => {
    expect(parsePath(path)).toEqual(segments);
  });

  it.each(['', 'a..[', 'variants[x]', 'a[0'])('refuses %j', (path) => {
    expect(() => parsePath(path)).toThrow();
  });

  it('sets nested values creating arrays and objects, keeping siblings', () => {
    const o: Record<string, unknown> = { variants: [{ sku: 'A' }] };
    setPath(o, parsePath('variants[0].price.amount'), '1.00');
    setPath(o, parsePath('variants[1].sku'), 'B');
    expect(o).toEqual({ variants: [{ sku: 'A', price: { amount: '1.00' } }, { sku: 'B' }] });
    expect(getPath(o, parsePath('variants[1].sku'))).toBe('B');
  });
});

describe('orders from the shop', () => {
  const wire = {
    id: 7, number: 'A-7', status: 'processing', currency: 'EUR', prices_include_tax: true,
    created_at: '2026-11-26T10:00:00.000000Z',
    customer: { id: 3, email: ' Ann@Example.com ', first_name: 'Ann', last_name: 'A' },
    shipping_address: { name: 'Ann', street: 'Hauptstr. 1', city: 'Berlin', zip: '10115', country: 'de' },
    lines: [{ id: 1, sku: 'SNK-43', name: 'Sneaker', quantity: 2, unit_price: '89.00', discount: '17.80', subtotal: '133.50', tax: '26.70', tax_rate: '20', total: '160.20' }],
    shipping_lines: [{ method: 'DHL', total: 4.13, tax: '0.82' }],
    taxes: [{ rate: '20', label: 'VAT', amount: '27.52' }],
    total: '165.15', total_tax: '27.52',
    payment: { method: 'card', transaction_id: 'tx', amount: '165.15', paid_at: '2026-11-26 10:00:05' },
    shipments: [{ carrier: 'DHL', tracking_number: 'T1', shipped_at: '2026-11-27T08:00:00Z' }],
    refunds: [{ id: 9, amount: '10.00', lines: [{ sku: 'SNK-43', quantity: 1 }], restock: 1 }],
  };

  it('maps to a valid canonical order: money exact, aliases for statuses, times in UTC', () => {
    const parsed = OrderSchema.safeParse(orderFromWire(wire, { currency: 'EUR', statuses: {} }));
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    const o = parsed.data!;
    expect(o.status).toBe('confirmed');
    expect(o.customer).toMatchObject({ email: 'Ann@Example.com', id: '3' });
    expect(o.shippingAddress).toMatchObject({ type: 'delivery', country: 'DE' });
    expect(o.lines[0]).toMatchObject({ id: '1', unitPrice: { amount: '89.00', currency: 'EUR' }, discount: { amount: '17.80' }, taxRate: '20' });
    expect(o.shipping[0]!.total).toEqual({ amount: '4.13', currency: 'EUR' });
    expect(o.payment!.paidAt).toBe('2026-11-26T10:00:05Z');
    expect(o.shipments[0]).toMatchObject({ trackingNumber: 'T1', state: 'shipped', shippedAt: '2026-11-27T08:00:00Z' });
    expect(o.refunds[0]).toMatchObject({ id: '9', restock: true, lines: [{ sku: 'SNK-43', quantity: 1, lineId: null, amount: null }] });
  });

  it.each([
    ['sent', { sent: 'shipped' as const }, 'shipped'],
    ['canceled', {}, 'cancelled'],
    ['completed', {}, 'completed'],
    ['weird', {}, 'weird'],
  ])('status %s with %j → %s', (status, map, expected) => {
    expect(statusFromWire(status, map)).toBe(expected);
  });

  it('writes statuses in the shop\'s own names when mapped', () => {
    expect(statusToWire('shipped', { sent: 'shipped' })).toBe('sent');
    expect(statusToWire('cancelled', { sent: 'shipped' })).toBe('cancelled');
  });
});

describe('writes to the shop', () => {
  const p: Product = {
    name: 'Sneaker', description: 'd', categoryIds: ['erp-c1', 'erp-unknown'], attributes: [{ name: 'Size', values: ['42'] }], active: true, tracksStock: true,
    variants: [{ sku: 'S-42', barcode: null, attributes: { Size: '42' }, price: { amount: '89', currency: 'EUR' }, salePrice: { amount: '79.5', currency: 'EUR' }, weight: null, active: true }],
  };
  const lookup = (entity: string, id: string) => (entity === 'category' && id === 'erp-c1' ? '12' : undefined);

  it('creates with the contract shape; categories through the link lookup; money with the currency\'s decimals', () => {
    expect(productToWire(p, { kind: 'create', key: 'k', record: p }, { currency: 'EUR', lookup })).toEqual({
      name: 'Sneaker', description: 'd', active: true, tracks_stock: true, category_ids: ['12'], attributes: [{ name: 'Size', values: ['42'] }], currency: 'EUR',
      variants: [{ sku: 'S-42', barcode: null, attributes: { Size: '42' }, price: '89.00', sale_price: '79.50', weight: null, active: true }],
    });
  });

  it('an update limited to owned fields sends only those (variants keep id and sku to match)', () => {
    const op = { kind: 'update' as const, key: 'k', targetId: '5', childIds: { 'S-42': '77' }, record: p, fields: ['variants.price', 'name'] };
    expect(productToWire(p, op, { currency: 'EUR', lookup })).toEqual({ name: 'Sneaker', currency: 'EUR', variants: [{ id: '77', sku: 'S-42', price: '89.00' }] });
  });

  it('customers, categories and stock', () => {
    const c = { email: ' a@b.de ', firstName: 'A', lastName: 'B', company: null, phone: null, addresses: [] };
    expect(customerToWire(c, { kind: 'update', key: 'k', targetId: '1', record: c, fields: ['firstName'] })).toEqual({ first_name: 'A' });
    expect(customerToWire(c, { kind: 'create', key: 'k', record: c })).toMatchObject({ email: 'a@b.de', first_name: 'A', last_name: 'B' });
    const cat = { name: 'Shoes', parentId: 'erp-c1' };
    expect(categoryToWire(cat, { kind: 'create', key: 'k', record: cat }, { currency: 'EUR', lookup })).toEqual({ name: 'Shoes', parent_id: '12' });
    expect(stockToWire({ sku: 'S', location: 'default', onHand: 9, reserved: 2, available: 7 })).toEqual({ sku: 'S', location: 'default', quantity: 7 });
    expect(stockFromWire({ sku: 'S', location: 'shop-2', quantity: 7, reserved: 2 })).toEqual({ sku: 'S', location: 'shop-2', onHand: 9, reserved: 2, available: 7 });
  });

  it('refuses an amount in a foreign currency or with too many decimals', () => {
    const usd = { ...p, variants: [{ ...p.variants[0]!, price: { amount: '1.00', currency: 'USD' } }] };
    expect(() => productToWire(usd, { kind: 'create', key: 'k', record: usd }, { currency: 'EUR', lookup })).toThrow(/USD/);
    const fine = { ...p, variants: [{ ...p.variants[0]!, price: { amount: '1.005', currency: 'EUR' } }] };
    expect(() => productToWire(fine, { kind: 'create', key: 'k', record: fine }, { currency: 'EUR', lookup })).toThrow(/decimals/);
  });
});

describe('Laravel errors', () => {
  it('422: first field without the batch prefix, shop message kept', () => {
    expect(firstFieldError({ 'items.3.variants.0.sku': ['taken'] })).toEqual({ field: 'variants.0.sku', message: 'taken' });
    const e = errorFromStatus(422, { message: 'The name field is required. (and 1 more error)', errors: { name: ['The name field is required.'], sku: ['x'] } }, { name: 'shop' });
    expect(e).toMatchObject({ kind: 'invalid_data', field: 'name', status: 422, retryable: false, message: 'The name field is required. (and 1 more error)' });
  });

  it.each([
    [401, 'auth', false],
    [403, 'permission', false],
    [404, 'not_found', false],
    [409, 'conflict', true],
    [429, 'rate_limited', true],
    [500, 'unavailable', true],
    [503, 'unavailable', true],
  ] as const)('%i → %s (retryable %s)', (status, kind, retryable) => {
    const e = errorFromStatus(status, { message: 'msg' }, { name: 'shop' }, status === 429 ? '7' : null);
    expect(e.kind).toBe(kind);
    expect(e.retryable).toBe(retryable);
    expect(e.message).toBe('msg');
    if (status === 429) expect(e.retryAfterMs).toBe(7000);
  });
});

describe('transport URLs', () => {
  it('joins paths under the base, keeps fixed parameters, refuses links to other hosts', async () => {
    const { RestShopTransport } = await import('../../../src/connectors/rest-shop/transport.js');
    const { RestShopSettings } = await import('../../../src/connectors/rest-shop/settings.js');
    const t = new RestShopTransport('shop', RestShopSettings.parse({ type: 'rest-shop', url: 'https://shop.example.com/api/tandem/', auth: { type: 'bearer', token: 't' } }));
    expect(t.url('/products', { per_page: 5, skip: undefined })).toBe('https://shop.example.com/api/tandem/products?per_page=5');
    expect(t.url('/goods?include=prices', { page: 2 })).toBe('https://shop.example.com/api/tandem/goods?include=prices&page=2');
    expect(t.url('https://shop.example.com/api/tandem/products?page=3')).toBe('https://shop.example.com/api/tandem/products?page=3');
    expect(() => t.url('https://evil.example.net/steal')).toThrowError(/another host/);
  });
});
