/**
 * The scaffold of the catalog tests that watch the wire between a WooCommerce simulator and an Odoo
 * simulator (both in EUR): the two simulators, an engine over them on an in-memory SQLite store with the
 * test's own `fetch`, all closed after each test.
 */
import { afterEach } from 'vitest';
import pino from 'pino';
import { Config, type ConfigInput } from '../../../src/config/schema.js';
import { createEngine, type RunningEngine } from '../../../src/engine/create-engine.js';
import { startOdooSimulator, startWooSimulator, type OdooSimulator, type WooSimulator } from '../../../src/simulators/index.js';

export interface WooOdoo {
  odoo: OdooSimulator;
  woo: WooSimulator;
}

export interface WooOdooEngineOptions {
  flows: ConfigInput['flows'];
  /** Settings of the Odoo system beyond its address and credentials (write sizes, protocol). */
  erp?: Record<string, unknown>;
  fetch?: typeof fetch;
}

/** Call at the top of a test file: registers the `afterEach` that closes what the test started. */
export function useWooOdoo(): { start(): Promise<WooOdoo>; engine(opts: WooOdooEngineOptions): Promise<RunningEngine> } {
  let sims: WooOdoo | undefined;
  let engine: RunningEngine | undefined;
  afterEach(async () => {
    await engine?.close();
    await sims?.woo.close();
    await sims?.odoo.close();
    [engine, sims] = [undefined, undefined];
  });
  return {
    async start() {
      sims = { odoo: await startOdooSimulator({ version: 17, currency: 'EUR' }), woo: await startWooSimulator({ currency: 'EUR' }) };
      return sims;
    },
    async engine(opts) {
      if (!sims) throw new Error('start() the simulators before the engine');
      const { odoo, woo } = sims;
      const config = Config.parse({
        store: { url: 'sqlite::memory:' },
        systems: {
          shop: { type: 'woocommerce', url: woo.url, consumerKey: woo.consumerKey, consumerSecret: woo.consumerSecret, auth: 'basic', currency: 'EUR' },
          erp: { type: 'odoo', url: odoo.url, db: odoo.db, user: odoo.admin.login, apiKey: odoo.admin.apiKey, ...opts.erp },
        },
        flows: opts.flows,
      } as ConfigInput);
      engine = await createEngine({ config, storeUrl: 'sqlite::memory:', log: pino({ level: 'silent' }), ...(opts.fetch && { fetch: opts.fetch }) });
      return engine;
    },
  };
}
