/**
 * Every id from outside is one URL-encoded path segment: an id with `/`, `?`, `#` or `..` cannot reach
 * another resource of the shop (orders/12/../customers?…). A recording server sees the paths.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWooCommerceConnector } from '../../src/connectors/woocommerce/index.js';
import { createRestShopConnector } from '../../src/connectors/rest-shop/index.js';
import { RestShopSettings } from '../../src/connectors/rest-shop/settings.js';

const log = pino({ level: 'silent' });
const EVIL = '12/../customers?role=all#x';
const ENCODED = '12%2F..%2Fcustomers%3Frole%3Dall%23x';

let server: Server;
let base = '';
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? '');
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.', data: { status: 404 } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('ids are URL-encoded in every path', () => {
  it('WooCommerce: order reads, status changes and shipments', async () => {
    const c = createWooCommerceConnector('shop', { type: 'woocommerce', url: base, consumerKey: 'ck_test', consumerSecret: 'cs_test', auth: 'basic', timeout: '2s' }, { log });
    seen.length = 0;
    await expect(c.orders.getOrder(EVIL)).rejects.toThrow();
    await expect(c.orders.setStatus(EVIL, 'cancelled')).rejects.toThrow();
    await expect(c.orders.addShipment(EVIL, { carrier: 'DHL', trackingNumber: '1', trackingUrl: null, lines: [] } as never)).rejects.toThrow();
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (const url of seen) {
      expect(url).toMatch(new RegExp(`^/wp-json/wc/v3/orders/${ENCODED.replace(/[.%]/g, '\\$&')}(\\?|/|$)`));
      expect(url).not.toContain('/customers');
    }
    await c.close();
  });

  it('REST shop: order reads and fetch by id', async () => {
    const settings = RestShopSettings.parse({ type: 'rest-shop', url: `${base}/api`, auth: { type: 'bearer', token: 'shop-token' }, currency: 'EUR', timeout: '2s' });
    const c = createRestShopConnector('shop', settings, { log });
    seen.length = 0;
    await expect(c.orders.getOrder(EVIL)).rejects.toThrow();
    await c.fetch('product', [EVIL]).catch(() => undefined);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    for (const url of seen) {
      expect(url).toContain(ENCODED);
      expect(url).not.toContain('/customers');
    }
    await c.close();
  });
});
