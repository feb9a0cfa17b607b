/**
 * A person editing the shop: changes made through the shop's own API (straight to the simulator, not
 * through the counting proxy, so they are not counted as Tandem's writes). The shop sends its webhooks for
 * them, like a real shop would.
 */
import type { Sims } from './sims.js';

type Item = Record<string, unknown>;

async function batch(sims: Sims, path: string, items: Item[]): Promise<Array<{ status: number; id?: number; data?: unknown }>> {
  const res = await fetch(`${sims.shop.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sims.shop.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ items }),
  });
  if (!res.ok) throw new Error(`shop ${path}: HTTP ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { data: Array<{ status: number; id?: number; data?: unknown }> };
  for (const r of body.data) if (r.status >= 300) throw new Error(`shop ${path}: item refused ${JSON.stringify(r)}`);
  return body.data;
}

export function shopAdmin(sims: Sims) {
  return {
    updateProduct: (id: number, patch: Item) => batch(sims, '/products/batch', [{ id, ...patch }]),
    createProduct: (item: Item) => batch(sims, '/products/batch', [item]),
    updateCustomer: (id: number, patch: Item) => batch(sims, '/customers/batch', [{ id, ...patch }]),
    createCustomer: (item: Item) => batch(sims, '/customers/batch', [item]),
  };
}
