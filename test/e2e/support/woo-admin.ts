/**
 * A person editing the WooCommerce simulator through its REST API (Basic auth behind "https", as the
 * recorded shop accepted it): categories, simple and variable products, customers. Woo sends its webhooks
 * for these changes like the real shop does.
 */
import type { WooSimulator } from '../../../src/simulators/index.js';

type Body = Record<string, unknown>;

export function wooAdmin(woo: WooSimulator) {
  const auth = `Basic ${Buffer.from(`${woo.consumerKey}:${woo.consumerSecret}`).toString('base64')}`;
  async function call<T = Body>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${woo.url}/wp-json/wc/v3/${path}`, {
      method,
      headers: { authorization: auth, 'x-forwarded-proto': 'https', 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`woo ${method} ${path}: HTTP ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }
  return {
    call,
    category: (name: string) => call<{ id: number }>('POST', 'products/categories', { name }),
    simple: (p: { name: string; sku: string; price: string; categories?: number[] }) =>
      call<{ id: number }>('POST', 'products', { type: 'simple', name: p.name, sku: p.sku, regular_price: p.price, manage_stock: true, stock_quantity: 50, categories: (p.categories ?? []).map((id) => ({ id })) }),
    async variable(p: { name: string; sizes: string[]; skuPrefix: string; price: string }): Promise<{ id: number; skus: string[] }> {
      const parent = await call<{ id: number }>('POST', 'products', { type: 'variable', name: p.name, attributes: [{ name: 'Size', options: p.sizes, variation: true, visible: true }] });
      const skus = p.sizes.map((s) => `${p.skuPrefix}-${s}`);
      await call('POST', `products/${parent.id}/variations/batch`, { create: p.sizes.map((s, i) => ({ sku: skus[i], regular_price: p.price, manage_stock: true, stock_quantity: 20, attributes: [{ name: 'Size', option: s }] })) });
      return { id: parent.id, skus };
    },
    customer: (c: { email: string; first: string; last: string; city: string }) =>
      call<{ id: number }>('POST', 'customers', { email: c.email, first_name: c.first, last_name: c.last, billing: { first_name: c.first, last_name: c.last, address_1: 'Main St 1', city: c.city, postcode: '10115', country: 'DE', email: c.email } }),
    update: (path: string, body: Body) => call('PUT', path, body),
    get: (path: string) => call('GET', path),
  };
}
