/**
 * Tandem as the benchmarks run it: the real engine (createEngine → connectors → store), configured for
 * the simulators of a SimsInfo, with a fetch that counts the HTTP requests each connector sends, per
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

export function countingFetch(systemOf: (url: URL) => string): { fetch: typeof fetch; counts: CallCounts; reset(): void } {
  const counts: CallCounts = {};
  const counting: typeof fetch = (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const system = systemOf(url);
    const method = (init?.method ?? 'GET').toUpperCase();
    const per = (counts[system] ??= {});
    per[method] = (per[method] ?? 0) + 1;
    return fetch(input, init);
  };
  return {
    fetch: counting,
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
  if (info.odoo) systems.erp = { type: 'odoo', url: info.odoo.url, db: info.odoo.db, user: info.odoo.login, apiKey: info.odoo.apiKey, timeout: '300s' };
  const config = Config.parse({
    store: { url: store.url },
    log: { level: 'warn' },
    systems,
    flows: opts.flows,
    ...(opts.orders && { orders: opts.orders }),
    ...(opts.workers && { workers: { concurrency: opts.workers } }),
  } satisfies ConfigInput);
  const shopHost = info.shop ? new URL(info.shop.url).host : '';
  const counter = countingFetch((u) => (u.host === shopHost ? 'shop' : 'erp'));
  const engine = await createEngine({ config, storeUrl: store.url, log: pino({ level: 'warn' }), fetch: counter.fetch });
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
