/**
 * WooCommerce 7.9 as real systems showed it (issue 11.10): names stored HTML-escaped by WordPress
 * ("Shoes &amp; Socks"), decoded on read and sent plain on write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Product } from '../../../src/model/index.js';
import type { WooSimulator } from '../../../src/simulators/index.js';
import type { WooCommerceConnector } from '../../../src/connectors/woocommerce/index.js';
import { decodeEntities } from '../../../src/connectors/woocommerce/html.js';
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
