/** Table tests of the pure WooCommerce mappers, on objects taken from the recordings. */
import { pathToFileURL } from 'node:url';
import { recordingPath } from '../../helpers/recordings.js';
import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { toOrder, DEFAULT_STATUS_MAP, trackingOf } from '../../../src/connectors/woocommerce/map-order.js';
import { toProduct, productPayload, checkProduct, toStockLevel } from '../../../src/connectors/woocommerce/map-product.js';
import { toCustomer, customerPayload } from '../../../src/connectors/woocommerce/map-customer.js';
import { errorFromWoo } from '../../../src/connectors/woocommerce/errors.js';
import type { WooCustomer, WooOrder, WooProduct, WooVariation } from '../../../src/connectors/woocommerce/wire.js';
import type { Product } from '../../../src/model/index.js';

const DIR = pathToFileURL(`${recordingPath('woocommerce79', 'flows')}/`);
function exchange(file: string, seq: number): { request: { body: unknown }; response: { status: number; body: unknown } } {
  const line = readFileSync(new URL(`${file}.jsonl`, DIR), 'utf8').trim().split('\n').find((l) => (JSON.parse(l) as { seq: number }).seq === seq)!;
  return JSON.parse(line) as { request: { body: unknown }; response: { status: number; body: unknown } };
}

describe('toOrder (recorded order 38)', () => {
  const order = exchange('06_orders', 1).response.body as WooOrder;
  const o = toOrder(order, { statusMap: DEFAULT_STATUS_MAP });

  it('maps lines with SKU, quantity, exact money and the totals', () => {
    expect(o.number).toBe('38');
    expect(o.status).toBe('confirmed');
    expect(o.lines.map((l) => [l.sku, l.quantity, l.unitPrice.amount, l.subtotal.amount, l.total.amount])).toEqual([
      ['SNK-20261126140137-42', 2, '89.00', '178.00', '178.00'],
      ['MUG-20261126140137', 1, '9.99', '9.99', '9.99'],
    ]);
    expect(o.shipping).toEqual([{ method: 'DHL Paket', methodId: 'flat_rate', carrier: null, total: { amount: '4.90', currency: 'EUR' }, tax: { amount: '0.00', currency: 'EUR' } }]);
    expect(o.total).toEqual({ amount: '192.89', currency: 'EUR' });
    expect(o.payment).toMatchObject({ method: 'Direct bank transfer', paidAt: '2026-11-26T14:01:43Z', amount: { amount: '192.89' } });
    expect(o.customer).toMatchObject({ email: 'anna.muster+20261126140137@example.com', id: '4' });
    expect(o.shippingAddress).toMatchObject({ street: 'Packstation 101', zip: '10117', country: 'DE', state: 'BE' });
    expect(o.note).toBe('Leave at the door');
  });

  it.each([
    ['pending', 'pending'],
    ['processing', 'confirmed'],
    ['on-hold', 'on_hold'],
    ['completed', 'shipped'],
    ['cancelled', 'cancelled'],
    ['refunded', 'refunded'],
    ['failed', 'failed'],
  ])('status %s → %s', (woo, canonical) => {
    expect(toOrder({ ...order, status: woo }, { statusMap: DEFAULT_STATUS_MAP }).status).toBe(canonical);
  });

  it('an unknown status is a mapping error naming the setting to fix', () => {
    expect(() => toOrder({ ...order, status: 'shipped-partial' }, { statusMap: DEFAULT_STATUS_MAP })).toThrow(/statusMap/);
  });

  it('line discount = subtotal − total; refunds as positive amounts without the idempotency marker; tracking from meta', () => {
    const discounted = { ...order, line_items: [{ ...order.line_items[0]!, subtotal: '178.00', total: '160.20' }], refunds: [{ id: 40, reason: 'Returned 1 pair [tandem:rf-9]', total: '-89.00' }], meta_data: [{ key: '_tandem_tracking', value: [{ carrier: 'DHL', trackingNumber: 'T1', trackingUrl: null, shippedAt: null }] }] };
    const m = toOrder(discounted, { statusMap: DEFAULT_STATUS_MAP });
    expect(m.lines[0]!.discount).toEqual({ amount: '17.80', currency: 'EUR' });
    expect(m.lines[0]!.subtotal.amount).toBe('160.20');
    expect(m.refunds[0]).toMatchObject({ id: '40', reason: 'Returned 1 pair', amount: { amount: '89.00' }, tandemKey: 'rf-9' });
    expect(toOrder({ ...discounted, refunds: [{ id: 41, reason: 'by hand', total: '-1.00' }] }, { statusMap: DEFAULT_STATUS_MAP }).refunds[0]!.tandemKey).toBeUndefined();
    expect(m.shipments.map((s) => s.trackingNumber)).toEqual(['T1']);
    expect(trackingOf({ meta_data: [{ key: '_tandem_tracking', value: '[{"trackingNumber":"X"}]' }] })[0]!.trackingNumber).toBe('X');
  });

  it('guest order line price 5.8999999999999995 (PHP float) does not leak: unit price from subtotal / quantity', () => {
    const guest = exchange('06_orders', 2).response.body as WooOrder;
    expect(toOrder(guest, { statusMap: DEFAULT_STATUS_MAP }).lines[0]!.unitPrice).toEqual({ amount: '5.90', currency: 'EUR' });
  });
});

describe('products', () => {
  const ctx = { currency: 'EUR', weightUnit: 'kg' as const };
  const mug = exchange('02_catalog_create', 1).response.body as WooProduct;
  const sneaker = exchange('02_catalog_create', 5).response.body as WooProduct;
  const variations = (exchange('02_catalog_create', 3).response.body as { create: WooVariation[] }).create;

  it('a simple product has one variant; a variable one has its variations, and childIds by SKU', () => {
    expect(toProduct(mug, [], ctx).product.variants).toEqual([
      { id: '31', sku: 'MUG-20261126140137', barcode: null, attributes: {}, price: { amount: '12.50', currency: 'EUR' }, salePrice: null, weight: null, active: true },
    ]);
    const { product, childIds } = toProduct(sneaker, variations, ctx);
    expect(product.variants.map((v) => [v.sku, v.attributes.Size, v.price.amount])).toEqual([
      ['SNK-20261126140137-42', '42', '89.00'],
      ['SNK-20261126140137-43', '43', '89.00'],
      ['SNK-20261126140137-44', '44', '94.00'],
    ]);
    expect(childIds['SNK-20261126140137-44']).toBe('35');
    expect(product.attributes).toEqual([{ name: 'Size', values: ['42', '43', '44'] }]);
    expect(product.tracksStock).toBe(true);
  });

  it('a product without SKU or price cannot be mapped', () => {
    expect(() => toProduct({ ...mug, sku: '' }, [], ctx)).toThrow(/no SKU/);
    expect(() => toProduct({ ...mug, regular_price: '' }, [], ctx)).toThrow(/no regular price/);
  });

  it('writes money as strings with the currency decimals, and only owned fields', () => {
    const p: Product = toProduct(sneaker, variations, ctx).product;
    const full = productPayload(p, ctx, undefined, [15]);
    expect(full.parent).toMatchObject({ type: 'variable', name: 'ERP Sneaker 20261126140137', categories: [{ id: 15 }] });
    expect(full.variations[2]!.body).toMatchObject({ sku: 'SNK-20261126140137-44', regular_price: '94.00', sale_price: '', attributes: [{ name: 'Size', option: '44' }] });
    const pricesOnly = productPayload(p, ctx, ['variants.price'], []);
    expect(pricesOnly.parent).toEqual({ type: 'variable' });
    expect(Object.keys(pricesOnly.variations[0]!.body).sort()).toEqual(['attributes', 'regular_price', 'sku']);
  });

  it('refuses what WooCommerce would silently store', () => {
    const p = toProduct(mug, [], ctx).product;
    expect(checkProduct({ ...p, name: ' ' })).toMatch(/name/);
    expect(checkProduct({ ...p, variants: [{ ...p.variants[0]!, price: { amount: '-5.00', currency: 'EUR' } }] })).toMatch(/negative/);
  });

  it('stock levels only for SKUs that manage stock', () => {
    expect(toStockLevel(mug)).toEqual({ sku: 'MUG-20261126140137', location: 'default', onHand: 10, reserved: 0, available: 10 });
    expect(toStockLevel(sneaker)).toBeNull();
  });
});

describe('customers', () => {
  const anna = exchange('05_customers', 2).response.body as WooCustomer;
  it('billing → invoice address, shipping → delivery address; email kept as typed', () => {
    const c = toCustomer(anna);
    expect(c.email).toBe('Anna.Muster+20261126140137@Example.com');
    expect(c.phone).toBe('+49 30 123456');
    expect(c.addresses.map((a) => [a.type, a.street, a.zip])).toEqual([
      ['invoice', 'Hauptstr. 1', '10115'],
      ['delivery', 'Packstation 101', '10117'],
    ]);
    const body = customerPayload(c, undefined);
    expect(body).toMatchObject({ email: c.email, first_name: 'Anna', billing: { address_1: 'Hauptstr. 1', email: c.email }, shipping: { address_1: 'Packstation 101' } });
  });
});

describe('errors keep WooCommerce’s code and message', () => {
  it.each([
    ['07_errors', 1, 'not_found', 'woocommerce_rest_product_invalid_id'],
    ['07_errors', 4, 'invalid_data', 'woocommerce_rest_product_invalid_id'],
    ['07_errors', 7, 'invalid_data', 'rest_invalid_param'],
    ['07_errors', 11, 'invalid_data', 'product_invalid_sku'],
    ['07_errors', 18, 'auth', 'woocommerce_rest_cannot_view'],
    ['07_errors', 19, 'auth', 'woocommerce_rest_authentication_error'],
    ['06_orders', 24, 'invalid_data', 'woocommerce_rest_cannot_create_order_refund'],
    ['05_customers', 6, 'invalid_data', 'registration-error-email-exists'],
  ])('%s #%i → %s (%s)', (file, seq, kind, code) => {
    const ex = exchange(file, seq);
    const e = errorFromWoo(ex.response.body as { code: string; message: string; data: unknown }, ex.response.status);
    expect([e.kind, e.code, e.status]).toEqual([kind, code, ex.response.status]);
    expect(e.message).not.toMatch(/<a /);
  });
  it('an OAuth signature mismatch says the url must be the site address; other auth errors keep the key hint', () => {
    const bad = errorFromWoo({ code: 'woocommerce_rest_authentication_error', message: 'Invalid signature - provided signature does not match.', data: { status: 401 } }, 401);
    expect([bad.kind, bad.hint]).toEqual(['auth', expect.stringMatching(/exactly the WordPress site address/)]);
    const key = errorFromWoo({ code: 'woocommerce_rest_authentication_error', message: 'Consumer key is invalid.', data: { status: 401 } }, 401);
    expect(key.hint).toMatch(/check consumerKey\/consumerSecret/);
  });
  it('429 carries Retry-After', () => {
    const e = errorFromWoo({ code: 'x', message: 'slow down' }, 429, { retryAfter: '3' });
    expect([e.kind, e.retryAfterMs]).toEqual(['rate_limited', 3000]);
  });
});
