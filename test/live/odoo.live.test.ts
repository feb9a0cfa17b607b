/**
 * Live mode: the connector contract suite and the order lifecycle against a REAL Odoo (16–19), when
 *   TANDEM_TEST_ODOO_URL, TANDEM_TEST_ODOO_DB, TANDEM_TEST_ODOO_USER, TANDEM_TEST_ODOO_KEY
 * are set (npm run test:live). Safe to run again and again on the same database: everything created
 * carries a unique prefix, and afterwards products and customers are archived and the test orders
 * cancelled (best effort: an order Odoo refuses to cancel is left as is and logged).
 */
import { describe, it } from 'vitest';
import { pino } from 'pino';
import { describeConnectorContract, describeErpOrderContract, type ContractHarness } from '../contract/connector-contract.js';
import { createOdooConnector } from '../../src/connectors/odoo/index.js';
import { OdooSettings } from '../../src/connectors/odoo/settings.js';
import { OdooTransport } from '../../src/connectors/odoo/transport.js';
import type { ErpConnector } from '../../src/connectors/contract.js';

const env = {
  url: process.env.TANDEM_TEST_ODOO_URL,
  db: process.env.TANDEM_TEST_ODOO_DB,
  user: process.env.TANDEM_TEST_ODOO_USER,
  key: process.env.TANDEM_TEST_ODOO_KEY,
};
const configured = Boolean(env.url && env.db && env.user && env.key);
const log = pino({ level: process.env.TANDEM_LOG_LEVEL ?? 'warn' });

function settings(apiKey = env.key as string): OdooSettings {
  return OdooSettings.parse({ type: 'odoo', url: env.url, db: env.db, user: env.user, apiKey, timeout: '60s', protocol: (process.env.TANDEM_TEST_ODOO_PROTOCOL as 'auto' | undefined) ?? 'auto' });
}

function transport(): OdooTransport {
  return new OdooTransport({ url: env.url as string, db: env.db, user: env.user as string, apiKey: env.key as string, protocol: 'auto', version: 'auto', lang: 'en_US', tz: 'UTC', timeoutMs: 60_000 });
}

/** Archive what a run created (products and customers by prefix) and cancel its orders. */
async function cleanup(prefix: string, since: string, connector: ErpConnector): Promise<void> {
  const t = transport();
  const safely = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (e) {
      log.warn({ err: (e as Error).message, what }, 'live cleanup step failed');
    }
  };
  const orders = await t.call<Array<{ id: number; state: string }>>('sale.order', 'search_read', {
    kwargs: { domain: [['origin', '=like', 'contract:%'], ['create_date', '>=', since]], fields: ['state'] },
  }).catch(() => []);
  for (const o of orders) if (o.state !== 'cancel') await safely(`cancel order ${o.id}`, () => connector.orders.cancelOrder(String(o.id)));
  await safely('archive products', async () => {
    const ids = await t.call<number[]>('product.template', 'search', { kwargs: { domain: [['name', '=like', `${prefix}%`]] } });
    if (ids.length) await t.call('product.template', 'write', { ids, kwargs: { vals: { active: false } } });
  });
  await safely('archive customers', async () => {
    const ids = await t.call<number[]>('res.partner', 'search', { kwargs: { domain: [['email', '=ilike', `${prefix.toLowerCase()}.%`]] } });
    if (ids.length) await t.call('res.partner', 'write', { ids, kwargs: { vals: { active: false } } });
  });
}

/** The company currency of the test database (TANDEM_TEST_ODOO_CURRENCY overrides it). */
async function companyCurrency(): Promise<string> {
  if (process.env.TANDEM_TEST_ODOO_CURRENCY) return process.env.TANDEM_TEST_ODOO_CURRENCY;
  const t = transport();
  const [c] = await t.call<Array<{ currency_id: [number, string] | false }>>('res.company', 'search_read', { kwargs: { domain: [], fields: ['currency_id'], limit: 1, order: 'id asc' } });
  return c?.currency_id ? c.currency_id[1] : 'USD';
}

async function harness(suite: string): Promise<ContractHarness> {
  const since = new Date(Date.now() - 60_000).toISOString().slice(0, 19).replace('T', ' ');
  const prefix = `TDM${suite}${Date.now().toString(36).toUpperCase()}`;
  const connector = createOdooConnector('erp', settings(), { log });
  return {
    connector,
    badAuthConnector: () => createOdooConnector('erp', settings('wrong-key-0000000000000000000000000000000000'), { log }),
    prefix,
    currency: await companyCurrency(),
    cleanup: () => cleanup(prefix, since, connector),
  };
}

if (!configured) {
  console.warn('[live] Odoo live tests SKIPPED: set TANDEM_TEST_ODOO_URL, TANDEM_TEST_ODOO_DB, TANDEM_TEST_ODOO_USER and TANDEM_TEST_ODOO_KEY to run them against a real Odoo');
  describe.skip('odoo live (set TANDEM_TEST_ODOO_URL, _DB, _USER, _KEY)', () => {
    it('runs the connector contract and the order lifecycle against a real Odoo', () => undefined);
  });
} else {
  describeConnectorContract(`odoo live ${env.url}`, () => harness('C'));
  describeErpOrderContract(`odoo live ${env.url}`, () => harness('O'));
}
