/**
 * WooCommerce 7.9 as real systems showed it (issue 11.10): names stored HTML-escaped by WordPress
 * ("Shoes &amp; Socks"), decoded on read and sent plain on write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Product } from '../../../src/model/index.js';
import type { WooSimulator } from '../../../src/simulators/index.js';
import type { WooCommerceConnector } from '../../../src/connectors/woocommerce/index.js';
import { decodeEntities } from '../../../src/connectors/woocommerce/html.js';
import { shipmentNote } from '../../../src/connectors/woocommerce/order-actions.js';
import { connectorFor } from './harness.js';
import { startWooSimulator } from '../../../src/simulators/index.js';

const noLookup = () => undefined;
const product = (name: string, sku: string): Product => ({
  name, description: '', categoryIds: [], attributes: [], active: true, tracksStock: true,
  variants: [{ sku, barcode: null, attributes: {}, price: { amount: '5.00', currency: 'EUR' }, salePrice: null, weight: null, active: true }],
});

describe('WooCommerce names with "&" (HTML entities as WordPress returns them)', () => {
  let sim: WooSimulator;
  let c: WooCommerceConnector;
  beforeAll(async () => {
    sim = await startWooSimulator();
    c = connectorFor(sim, 'basic');
  });
  afterAll(async () => {
    await c?.close();
    await sim?.close();
  });

  it('a product written as "Shoes & Socks" reads back as "Shoes & Socks" (written plain, decoded on read)', async () => {
    const [w] = await c.write('product', [{ kind: 'create', key: 'k', record: product('Shoes & Socks <Kids>', 'AMP-1') }], { lookup: noLookup });
    expect(w).toMatchObject({ ok: true });
    const id = w!.ok ? w!.id : '';
    expect(sim.store.products.get(Number(id))!.name).toBe('Shoes &amp; Socks <Kids>');
    const [got] = await c.fetch('product', [id]);
    expect(got!.data!.name).toBe('Shoes & Socks <Kids>');
  });

  it('a category "Shoes & Socks" reads back decoded', async () => {
    const [w] = await c.write('category', [{ kind: 'create', key: 'c', record: { name: 'Shoes & Socks', parentId: null } }], { lookup: noLookup });
    const [got] = await c.fetch('category', [w!.ok ? w!.id : '']);
    expect(got!.data!.name).toBe('Shoes & Socks');
  });

  it.each([
    ['Salt &amp; Pepper', 'Salt & Pepper'],
    ['Salt &#038; Pepper', 'Salt & Pepper'],
    ['&quot;Best&quot; &#8211; 5&#039;s', '"Best" – 5\'s'],
    ['Tom &amp;amp; Jerry', 'Tom &amp; Jerry'],
    ['R&D', 'R&D'],
  ])('decodeEntities(%j) = %j', (raw, plain) => {
    expect(decodeEntities(raw)).toBe(plain);
  });
});

describe('the customer note of a shipment says when it is a part of the order', () => {
  const entry = { carrier: 'DHL', trackingNumber: 'T-1', trackingUrl: null };
  it.each([
    ['no progress known', undefined, 'Your order has shipped with DHL, tracking T-1'],
    ['everything at once', { items: 3, shipped: 3, ordered: 3 }, 'Your order has shipped with DHL, tracking T-1'],
    ['2 of 3', { items: 2, shipped: 2, ordered: 3 }, 'Part of your order has shipped: 2 of 3 items with DHL, tracking T-1. The rest follows.'],
    ['the second part, still not all', { items: 1, shipped: 2, ordered: 4 }, 'Part of your order has shipped: 2 of 4 items with DHL, tracking T-1. The rest follows.'],
    ['the rest', { items: 1, shipped: 3, ordered: 3 }, 'The rest of your order has shipped: 1 item (3 of 3) with DHL, tracking T-1'],
  ])('%s', (_t, progress, note) => {
    expect(shipmentNote(entry, progress)).toBe(note);
  });
});
