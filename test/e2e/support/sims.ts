/**
 * The two simulated systems of an end-to-end test: an Odoo simulator and a REST shop simulator behind a
 * counting proxy, both over HTTP (a child process reaches them as well as the test process does). Counters
 * of write calls on both sides prove that a run wrote nothing.
 */
import { startOdooSimulator, startRestShopSimulator, type OdooSimulator, type RestShopSimulator } from '../../../src/simulators/index.js';
import { startCountingProxy, type CountingProxy } from './counting-proxy.js';

export const WEBHOOK_SECRET = 'e2e-webhook-secret';

/** Odoo methods that only read (everything else counts as a write). */
const ODOO_READS = new Set(['search', 'search_read', 'read', 'search_count', 'fields_get', 'name_search', 'read_group', 'check_access_rights', 'has_group', 'web_search_read', 'name_get', 'default_get']);

export interface Sims {
  odoo: OdooSimulator;
  shop: RestShopSimulator;
  /** The shop as Tandem reaches it (through the counting proxy). */
  shopUrl: string;
  proxy: CountingProxy;
  /** Odoo ERP locations of the two warehouses: "WH/Stock" and "WH2/Stock". */
  erpLocations: [string, string];
  odooWrites(): number;
  /** Odoo write calls by "model.method", for messages. */
  odooWriteCalls(): Record<string, number>;
  shopWrites(): number;
  /** Both sides' write counters. */
  writes(): { odoo: number; shop: number };
  close(): Promise<void>;
}

export interface SimsOptions {
  shopLocations?: string[];
  odooVersion?: 16 | 17 | 18 | 19;
}

export async function startSims(opts: SimsOptions = {}): Promise<Sims> {
  const odoo = await startOdooSimulator({ version: opts.odooVersion ?? 17, currency: 'EUR' });
  const shop = await startRestShopSimulator({ currency: 'EUR', locations: opts.shopLocations ?? ['berlin', 'kyiv'] });
  const proxy = await startCountingProxy(shop.url);
  const wh2 = addWarehouse(odoo, 'WH2', 'Second Warehouse');
  const odooWriteCalls = () => Object.fromEntries(Object.entries(odoo.stats.byMethod).filter(([k]) => !ODOO_READS.has(k.slice(k.lastIndexOf('.') + 1))));
  const odooWrites = () => Object.values(odooWriteCalls()).reduce((a, b) => a + b, 0);
  return {
    odoo,
    shop,
    shopUrl: proxy.url,
    proxy,
    erpLocations: ['WH/Stock', `${wh2.code}/Stock`],
    odooWrites,
    odooWriteCalls,
    shopWrites: () => proxy.writes(),
    writes: () => ({ odoo: odooWrites(), shop: proxy.writes() }),
    async close() {
      await shop.flushWebhooks().catch(() => undefined);
      await Promise.allSettled([proxy.close(), shop.close(), odoo.close()]);
    },
  };
}

/** A second warehouse with its own stock location ("<code>/Stock"), as Odoo's warehouse wizard makes it. */
export function addWarehouse(odoo: OdooSimulator, code: string, name: string): { id: number; code: string; stockLocation: number } {
  const env = odoo.env;
  const view = env.create('stock.location', { name: code, usage: 'view' });
  const stock = env.create('stock.location', { name: 'Stock', usage: 'internal', location_id: view });
  const id = env.create('stock.warehouse', { name, code, view_location_id: view, lot_stock_id: stock, sequence: 20 });
  return { id, code, stockLocation: stock };
}
