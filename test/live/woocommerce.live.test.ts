/**
 * The connector contract against a real WooCommerce shop (npm run test:live). Needs
 * TANDEM_TEST_WOO_URL, TANDEM_TEST_WOO_KEY, TANDEM_TEST_WOO_SECRET (optionally TANDEM_TEST_WOO_WEBHOOK_SECRET).
 * Safe to repeat on the same shop: every run uses a unique SKU / email prefix and trashes what it created.
 */
import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';
import pino from 'pino';
import { describeConnectorContract, describeShopOrderContract } from '../contract/connector-contract.js';
import type { ContractHarness } from '../contract/connector-contract.js';
import { createWooCommerceConnector } from '../../src/connectors/woocommerce/index.js';
import { WooTransport } from '../../src/connectors/woocommerce/transport.js';

const url = process.env.TANDEM_TEST_WOO_URL;
const key = process.env.TANDEM_TEST_WOO_KEY;
const secret = process.env.TANDEM_TEST_WOO_SECRET;
const log = pino({ level: process.env.TANDEM_TEST_LOG ?? 'silent' });

function connector(consumerSecret: string) {
  return createWooCommerceConnector('shop', { type: 'woocommerce', url: url!, consumerKey: key!, consumerSecret, webhookSecret: process.env.TANDEM_TEST_WOO_WEBHOOK_SECRET }, { log });
}

interface Json {
  [k: string]: unknown;
}

/** Cleanup and order placement go straight to the REST API through the connector's transport (Basic over https, OAuth 1.0a over http). */
async function api(method: string, path: string, body?: unknown): Promise<unknown> {
  const [route = '', qs = ''] = path.split('?');
  const query = Object.fromEntries(new URLSearchParams(qs));
  const t = new WooTransport({ url: url!, consumerKey: key!, consumerSecret: secret!, auth: 'auto', timeout: '60s' }, log);
  return (await t.request(method, route, { query, ...(body !== undefined && { body }) })).data;
}

async function harness(): Promise<ContractHarness> {
  const prefix = `TL${Date.now().toString(36).toUpperCase()}${randomBytes(2).toString('hex').toUpperCase()}`;
  return {
    connector: connector(secret!),
    badAuthConnector: () => connector('cs_wrong_secret_for_contract'),
    prefix,
    // the shop's own currency (WooCommerce → Settings → General), unless TANDEM_TEST_WOO_CURRENCY says otherwise
    currency: process.env.TANDEM_TEST_WOO_CURRENCY ?? ((await api('GET', 'settings/general/woocommerce_currency')) as { value: string }).value,
    async placeOrder(spec) {
      const found = (await api('GET', `products?sku=${encodeURIComponent(spec.lines.map((l) => l.sku).join(','))}`)) as Json[];
      const line_items = spec.lines.map((l) => {
        const p = found.find((x) => String(x.sku).toLowerCase() === l.sku.toLowerCase());
        if (!p) throw new Error(`no product ${l.sku}`);
        return p.type === 'variation' ? { product_id: p.parent_id, variation_id: p.id, quantity: l.quantity } : { product_id: p.id, quantity: l.quantity };
      });
      const billing = { first_name: 'Live', last_name: 'Contract', address_1: 'Teststr. 1', city: 'Berlin', postcode: '10115', country: 'DE', email: spec.email };
      const o = (await api('POST', 'orders', { billing, shipping: billing, line_items, set_paid: spec.paid, payment_method: 'bacs', payment_method_title: 'Direct bank transfer' })) as Json;
      return String(o.id);
    },
    async cleanup() {
      // Trash everything this run created: products (and their variations) by SKU prefix, orders and customers by email prefix.
      const products = (await api('GET', `products?search=${encodeURIComponent(prefix)}&per_page=100`)) as Json[];
      for (const p of products) await api('DELETE', `products/${String(p.id)}`).catch(() => undefined);
      const customers = (await api('GET', `customers?search=${encodeURIComponent(prefix.toLowerCase())}&per_page=100&role=all`)) as Json[];
      for (const c of customers) await api('DELETE', `customers/${String(c.id)}?force=true`).catch(() => undefined);
      const orders = (await api('GET', `orders?search=${encodeURIComponent(prefix.toLowerCase())}&per_page=100`)) as Json[];
      for (const o of orders) await api('DELETE', `orders/${String(o.id)}`).catch(() => undefined);
    },
  };
}

if (url && key && secret) {
  describeConnectorContract(`woocommerce live (${url})`, harness);
  describeShopOrderContract(`woocommerce live (${url})`, harness);
} else {
  describe('woocommerce live', () => {
    it.skip('skipped: set TANDEM_TEST_WOO_URL, TANDEM_TEST_WOO_KEY and TANDEM_TEST_WOO_SECRET to run the contract against a real shop', () => {});
  });
}
