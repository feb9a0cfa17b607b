/**
 * A running Tandem with its two systems: the bundled simulators (REST shop or WooCommerce, and Odoo)
 * started in-process, or real servers. Used by `tandem demo` and the end-to-end tests. The simulators
 * are faithful fakes of the remote APIs; nothing in the engine knows it talks to one.
 */
import { Config, type ConfigInput } from '../config/schema.js';
import { createEngine, type RunningEngine } from '../engine/create-engine.js';
import { startRuntime, type Runtime } from '../engine/runtime.js';
import { startHttpServer, type HttpServer } from '../server/http-server.js';
import type { Logger } from '../shared/log.js';
import { startOdooSimulator, startRestShopSimulator, startWooSimulator, type OdooSimulator, type RestShopSimulator, type WooSimulator } from '../simulators/index.js';

export interface RealErp {
  url: string;
  db?: string;
  user: string;
  key: string;
  /** Odoo orderReferencePrefix (default: the shop system's name + "-"). */
  orderReferencePrefix?: string;
}

export interface RealWoo {
  url: string;
  key: string;
  secret: string;
  webhookSecret?: string;
}

export interface StackOptions {
  shop: 'rest-shop' | 'woocommerce';
  storeUrl: string;
  log: Logger;
  odooVersion?: 16 | 17 | 18 | 19;
  currency?: string;
  /** Real systems instead of simulators. */
  erp?: RealErp;
  woo?: RealWoo;
  /** Flows and other config sections (defaults: the demo's flows). */
  config?: Partial<ConfigInput>;
  /** Webhook intake on (default true). */
  webhooks?: boolean;
  shopTaxRate?: string;
  shopPricesIncludeTax?: boolean;
}

export interface Stack {
  engine: RunningEngine;
  runtime: Runtime;
  http: HttpServer;
  odoo?: OdooSimulator;
  restShop?: RestShopSimulator;
  woo?: WooSimulator;
  /** Waits until webhooks are delivered and every queued job has run. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export const DEMO_WEBHOOK_SECRET = 'tandem-demo-webhook-secret';

export const DEMO_FLOWS: ConfigInput['flows'] = [
  { entity: 'category', direction: 'shop->erp', schedule: '15m' },
  { entity: 'product', direction: 'shop->erp', schedule: '15m' },
  { entity: 'customer', direction: 'shop->erp', schedule: '15m' },
  { entity: 'stock', direction: 'erp->shop', schedule: '5m' },
  { entity: 'order', direction: 'both', schedule: '5m' },
];

export async function startStack(opts: StackOptions): Promise<Stack> {
  const currency = opts.currency ?? 'EUR';
  const odoo = opts.erp ? undefined : await startOdooSimulator({ version: opts.odooVersion ?? 17, currency });
  const restShop = opts.shop === 'rest-shop' ? await startRestShopSimulator({ currency, ...(opts.shopTaxRate && { taxRate: opts.shopTaxRate }), ...(opts.shopPricesIncludeTax !== undefined && { pricesIncludeTax: opts.shopPricesIncludeTax }) }) : undefined;
  const woo = opts.shop === 'woocommerce' && !opts.woo ? await startWooSimulator({ currency }) : undefined;
  const erp = opts.erp ?? { url: odoo!.url, db: odoo!.db, user: odoo!.admin.login, key: odoo!.admin.apiKey };
  const shopSystem =
    opts.shop === 'rest-shop'
      ? { type: 'rest-shop' as const, url: restShop!.url, auth: { type: 'bearer' as const, token: restShop!.token }, webhookSecret: DEMO_WEBHOOK_SECRET, currency }
      : { type: 'woocommerce' as const, url: opts.woo?.url ?? woo!.url, consumerKey: opts.woo?.key ?? woo!.consumerKey, consumerSecret: opts.woo?.secret ?? woo!.consumerSecret, webhookSecret: opts.woo?.webhookSecret ?? DEMO_WEBHOOK_SECRET, currency };
  const config = Config.parse({
    store: { url: opts.storeUrl },
    systems: { shop: shopSystem, erp: { type: 'odoo', url: erp.url, ...(erp.db && { db: erp.db }), user: erp.user, apiKey: erp.key, ...(opts.erp?.orderReferencePrefix !== undefined && { orderReferencePrefix: opts.erp.orderReferencePrefix }) } },
    flows: DEMO_FLOWS,
    ...opts.config,
  } satisfies ConfigInput);
  const engine = await createEngine({ config, storeUrl: opts.storeUrl, log: opts.log });
  const runtime = startRuntime(engine, { schedules: false, pollIntervalMs: 20 });
  const http = await startHttpServer(engine, { host: '127.0.0.1', port: 0, ready: () => true });
  const hookUrl = `${http.url}/webhooks/shop`;
  if (opts.webhooks !== false) {
    restShop?.setWebhook({ url: hookUrl, secret: DEMO_WEBHOOK_SECRET });
    // a real shop cannot reach this process's local address: it is polled instead (polling is the safety net)
    if (woo && engine.shop.webhooks) await engine.shop.webhooks.ensure(hookUrl);
  }
  const flush = async () => {
    await restShop?.flushWebhooks();
    await woo?.flushWebhooks();
  };
  return {
    engine,
    runtime,
    http,
    ...(odoo && { odoo }),
    ...(restShop && { restShop }),
    ...(woo && { woo }),
    async settle() {
      for (let i = 0; i < 3; i++) {
        await flush();
        await runtime.worker.drain();
      }
    },
    async close() {
      await flush().catch(() => undefined);
      await runtime.stop({ timeoutMs: 10_000 });
      await http.close();
      await engine.close();
      await Promise.allSettled([odoo?.close(), restShop?.close(), woo?.close()]);
    },
  };
}
