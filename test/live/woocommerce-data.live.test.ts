/**
 * Live (issue 11.10, shop side) against a REAL WooCommerce when TANDEM_TEST_WOO_URL/_KEY/_SECRET are set:
 * "&" in product and category names comes back as "&amp;" from WordPress and is decoded; written plain.
 * Unique names per run; created records deleted.
 */
import { afterAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createWooCommerceConnector } from '../../src/connectors/woocommerce/index.js';
import { WooTransport } from '../../src/connectors/woocommerce/transport.js';
import type { Product } from '../../src/model/index.js';

const url = process.env.TANDEM_TEST_WOO_URL;
const key = process.env.TANDEM_TEST_WOO_KEY;
const secret = process.env.TANDEM_TEST_WOO_SECRET;
const log = pino({ level: 'silent' });
const run = `TWD${Date.now().toString(36).toUpperCase()}`;
const noLookup = () => undefined;

describe.skipIf(!(url && key && secret))('woocommerce live: HTML entities in names', () => {
  const c = url && key && secret ? createWooCommerceConnector('shop', { type: 'woocommerce', url, consumerKey: key, consumerSecret: secret }, { log }) : null;
  const t = url && key && secret ? new WooTransport({ url, consumerKey: key, consumerSecret: secret, auth: 'auto', timeout: '60s' }, log) : null;
  const created: Array<[string, string]> = [];

  afterAll(async () => {
    for (const [kind, id] of created) await t!.request('DELETE', `${kind}/${id}`, { query: { force: 'true' } }).catch(() => undefined);
    await c?.close();
  });

  it('a product and a category named with "&" are stored as "&amp;" by WordPress and read back plain', async () => {
    const product: Product = { name: `${run} Salt & Pepper`, description: '', categoryIds: [], attributes: [], active: true, tracksStock: false, variants: [{ sku: `${run}-SP`, barcode: null, attributes: {}, price: { amount: '5.00', currency: process.env.TANDEM_TEST_WOO_CURRENCY ?? 'USD' }, salePrice: null, weight: null, active: true }] };
    const [w] = await c!.write('product', [{ kind: 'create', key: 'p', record: product }], { lookup: noLookup });
    expect(w).toMatchObject({ ok: true });
    const id = w!.ok ? w!.id : '';
    created.push(['products', id]);
    const raw = (await t!.request<{ name: string }>('GET', `products/${id}`)).data;
    console.log(`[live] WooCommerce returns the name as ${JSON.stringify(raw.name)}`);
    expect(raw.name).toBe(`${run} Salt &amp; Pepper`);
    const [got] = await c!.fetch('product', [id]);
    expect(got!.data!.name).toBe(`${run} Salt & Pepper`);

    const [cw] = await c!.write('category', [{ kind: 'create', key: 'c', record: { name: `${run} Shoes & Socks`, parentId: null } }], { lookup: noLookup });
    const cid = cw!.ok ? cw!.id : '';
    created.push(['products/categories', cid]);
    const [cat] = await c!.fetch('category', [cid]);
    expect(cat!.data!.name).toBe(`${run} Shoes & Socks`);
  });
});
