/**
 * Child process that runs the simulators of one benchmark, so that the benchmark process's CPU and RSS are
 * Tandem's own (the simulators hold the remote systems' data: up to a million products). Started by
 * startSims() (bench/lib/sims.ts); answers the requests of sim-protocol.ts over IPC.
 */
import { readFileSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { startOdooSimulator, startRestShopSimulator, startWooSimulator, type OdooSimulator, type RestShopSimulator, type WooSimulator } from '../../src/simulators/index.js';
import { orderResource } from '../../src/simulators/rest-shop/resources.js';
import { catalogShape, catalogItems, restShopItem } from './catalog.js';
import { countWoo, seedWooCatalog } from './seed-woo.js';
import { seedOdooCatalog } from './seed-odoo.js';
import type { HostReply, HostRequest, PlacedOrder, SimOps, SimsInfo, SimsOptions } from './sim-protocol.js';

let odoo: OdooSimulator | undefined;
let shop: RestShopSimulator | undefined;
let woo: WooSimulator | undefined;
let shopCurrency = 'EUR';
const MB = 1024 * 1024;

function peakMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round((Number(m[1]) * 1024) / MB) : 0;
}

async function start(opts: SimsOptions): Promise<SimsInfo> {
  const info: SimsInfo = { pid: process.pid };
  if (opts.odoo) {
    const o = opts.odoo;
    odoo = await startOdooSimulator({ version: o.version, currency: o.currency, costModel: o.costModel, costScale: o.costScale, ...(o.latencyMs !== undefined && { latencyMs: o.latencyMs }) });
    info.odoo = { url: odoo.url, db: odoo.db, login: odoo.admin.login, apiKey: odoo.admin.apiKey, version: odoo.version };
  }
  if (opts.shop) {
    shopCurrency = opts.shop.currency;
    shop = await startRestShopSimulator({ currency: opts.shop.currency, latencyMs: opts.shop.latencyMs });
    info.shop = { url: shop.url, token: shop.token };
  }
  if (opts.woo) {
    woo = await startWooSimulator({ currency: opts.woo.currency, latencyMs: opts.woo.latencyMs });
    info.woo = { url: woo.url, consumerKey: woo.consumerKey, consumerSecret: woo.consumerSecret };
  }
  return info;
}

const need = <T>(x: T | undefined, what: string): T => {
  if (!x) throw new Error(`no ${what} simulator in this host`);
  return x;
};

const handlers: { [K in keyof SimOps]: (args: SimOps[K]['args']) => Promise<SimOps[K]['result']> | SimOps[K]['result'] } = {
  seedShop({ prefix, variants, stock }) {
    if (woo) return seedWooCatalog(woo, prefix, variants, stock);
    const s = need(shop, 'shop');
    const shape = catalogShape(variants);
    const chunk = 5_000;
    for (let from = 0; from < shape.products; from += chunk) {
      const items = [...catalogItems(prefix, variants, from, Math.min(shape.products, from + chunk))].map(restShopItem);
      s.seed.products(items, stock !== undefined ? { stock } : {});
    }
    return { products: shape.products, variants };
  },
  seedErp: ({ prefix, variants }) => seedOdooCatalog(need(odoo, 'Odoo'), prefix, variants),
  odooCreate: ({ model, vals }) => need(odoo, 'Odoo').env.create(model, vals as never),
  stats: () => ({
    odoo: odoo ? { calls: odoo.stats.calls, byMethod: { ...odoo.stats.byMethod }, costMs: odoo.cost.totalMs } : null,
    shop: shop ? { calls: shop.stats.calls } : woo ? { calls: woo.stats.calls } : null,
  }),
  resetStats() {
    odoo?.resetStats();
    if (shop) shop.stats.calls = 0;
    if (woo) woo.stats.calls = 0;
    return null;
  },
  countErp({ prefix }) {
    const env = need(odoo, 'Odoo').env;
    const ctx = { context: { active_test: false } };
    const variants = env.search('product.product', [['default_code', '=like', `${prefix}-%`]], ctx).length;
    const templates = new Set(env.searchRead('product.product', [['default_code', '=like', `${prefix}-%`]], ['product_tmpl_id'], ctx).map((r) => (r.product_tmpl_id as [number, string])[0])).size;
    return { variants, templates };
  },
  countShop({ prefix }) {
    if (woo) return countWoo(woo, prefix);
    const products = need(shop, 'shop').state.products().filter((p) => p.variants.some((v) => v.sku.startsWith(`${prefix}-`)));
    return { products: products.length, variants: products.reduce((a, p) => a + p.variants.filter((v) => v.sku.startsWith(`${prefix}-`)).length, 0) };
  },
  async placeOrders({ count, skus, prefix }) {
    const s = need(shop, 'shop');
    s.setWebhook(null); // the benchmark posts the signed deliveries itself, timed
    const out: PlacedOrder[] = [];
    for (let i = 0; i < count; i++) {
      const number = `${prefix}-${i + 1}`;
      const id = await s.placeOrder({
        number,
        email: `${prefix.toLowerCase()}-buyer-${i % 400}@example.com`,
        firstName: 'Bench',
        lastName: `Buyer ${i % 400}`,
        lines: [{ sku: skus[i % skus.length] as string, quantity: 1 + (i % 3) }, { sku: skus[(i * 7 + 3) % skus.length] as string, quantity: 1 }],
        paid: true,
        shipping: { method: 'standard', amount: '4.90' },
      });
      const order = s.state.order(id);
      if (!order) throw new Error(`order ${id} vanished`);
      out.push({ id, number, body: JSON.stringify({ event: 'order.created', data: orderResource(order, shopCurrency), occurred_at: new Date().toISOString() }) });
    }
    return out;
  },
  erpOrders({ prefix }) {
    const env = need(odoo, 'Odoo').env;
    const rows = env.searchRead('sale.order', [['client_order_ref', '=like', `%${prefix}-%`]], ['client_order_ref', 'state']);
    const refs = new Set(rows.map((r) => r.client_order_ref));
    return { total: rows.length, confirmed: rows.filter((r) => r.state === 'sale' || r.state === 'done').length, duplicates: rows.length - refs.size };
  },
  memory: () => ({ rssMb: Math.round(process.memoryUsage.rss() / MB), peakMb: peakMb() }),
  resetPeak() {
    try {
      writeFileSync('/proc/self/clear_refs', '5');
    } catch {
      /* not available */
    }
    return null;
  },
  async close() {
    await Promise.allSettled([odoo?.close(), shop?.close(), woo?.close()]);
    setImmediate(() => process.exit(0));
    return null;
  },
};

process.on('message', (msg: HostRequest) => {
  void (async () => {
    let reply: HostReply;
    try {
      const result = msg.op === 'start' ? await start(msg.args) : await (handlers[msg.op] as (a: unknown) => unknown)(msg.args);
      reply = { id: msg.id, ok: true, result };
    } catch (e) {
      reply = { id: msg.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
    process.send?.(reply);
  })();
});
process.on('disconnect', () => process.exit(0));
