/**
 * Tandem as the benchmarks run it: the real engine (createEngine → connectors → store), configured for
 * the simulators of a SimsInfo, with an observer that counts the HTTP requests each connector sends, per
 * system and HTTP method (the simulators count the same calls on their side).
 */
import { pino } from 'pino';
import { Config, type ConfigInput } from '../../src/config/schema.js';
import { createEngine, type RunningEngine } from '../../src/engine/create-engine.js';
import { createTestStoreUrl, type TestStoreKind } from '../../test/helpers/db.js';
import type { SimsInfo } from './sim-protocol.js';

export const WEBHOOK_SECRET = 'bench-webhook-secret';

export interface CallCounts {
  /** system → HTTP method → requests */
  [system: string]: Record<string, number>;
}

/** Counts the HTTP requests the connectors send, per system and method (the real transport is unchanged). */
export function callCounter(systemOf: (url: URL) => string): { observe: (method: string, url: string) => void; counts: CallCounts; reset(): void } {
  const counts: CallCounts = {};
  const systems = new Map<string, string>();
  return {
    observe(method, url) {
      // the system of each origin parsed once: this runs in the engine process, for every request it sends
      const origin = url.slice(0, url.indexOf('/', url.indexOf('//') + 2) >>> 0);
      let system = systems.get(origin);
      if (system === undefined) systems.set(origin, (system = systemOf(new URL(url))));
      const per = (counts[system] ??= {});
      per[method.toUpperCase()] = (per[method.toUpperCase()] ?? 0) + 1;
    },
    counts,
    reset() {
      for (const k of Object.keys(counts)) delete counts[k];
    },
  };
}

export interface Tandem {
  engine: RunningEngine;
  calls: CallCounts;
  resetCalls(): void;
  storeKind: TestStoreKind;
  close(): Promise<void>;
}

export async function startTandem(info: SimsInfo, opts: { store: TestStoreKind; flows: ConfigInput['flows']; orders?: ConfigInput['orders']; workers?: number }): Promise<Tandem> {
  const store = await createTestStoreUrl(opts.store);
  const systems: ConfigInput['systems'] = {};
  if (info.shop) systems.shop = { type: 'rest-shop', url: info.shop.url, auth: { type: 'bearer', token: info.shop.token }, webhookSecret: WEBHOOK_SECRET, currency: 'EUR', timeout: '300s' };
  if (info.woo) systems.shop = { type: 'woocommerce', url: info.woo.url, consumerKey: info.woo.consumerKey, consumerSecret: info.woo.consumerSecret, webhookSecret: WEBHOOK_SECRET, currency: 'EUR', timeout: '300s' };
  if (info.odoo) systems.erp = { type: 'odoo', url: info.odoo.url, db: info.odoo.db, user: info.odoo.login, apiKey: info.odoo.apiKey, timeout: '300s' };
  const config = Config.parse({
    // TANDEM_BENCH_POOL: store.pool for a before/after pair (unset: the default, store/pool-budget.ts)
    store: { url: store.url, ...(process.env.TANDEM_BENCH_POOL && { pool: Number(process.env.TANDEM_BENCH_POOL) }) },
    log: { level: 'warn' },
    systems,
    flows: opts.flows,
    ...(opts.orders && { orders: opts.orders }),
    ...(opts.workers && { workers: { concurrency: opts.workers } }),
  } satisfies ConfigInput);
  const shopUrl = info.shop?.url ?? info.woo?.url;
  const shopHost = shopUrl ? new URL(shopUrl).host : '';
  const counter = callCounter((u) => (u.host === shopHost ? 'shop' : 'erp'));
  const engine = await createEngine({ config, storeUrl: store.url, log: pino({ level: 'warn' }), observe: counter.observe });
  return {
    engine,
    calls: counter.counts,
    resetCalls: counter.reset,
    storeKind: opts.store,
    async close() {
      await engine.close();
      await store.cleanup();
    },
  };
}
