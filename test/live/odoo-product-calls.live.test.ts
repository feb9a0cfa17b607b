/**
 * Live mode: the product write path's calls per batch (test/connectors/odoo/product-calls.ts) against a REAL
 * Odoo when TANDEM_TEST_ODOO_URL/_DB/_USER/_KEY are set: the same counts as on the simulator, and the
 * requests they rely on (SKU and barcode in one OR-domain search; new simple products' template ids read
 * with the generated variants and their attribute values in one web_search_read with a nested
 * specification, 17+; the combined variant write) accepted and right.
 * What a run creates carries a unique prefix and is archived afterwards.
 */
import { describe, it } from 'vitest';
import { pino } from 'pino';
import { createOdooConnector } from '../../src/connectors/odoo/index.js';
import { OdooSettings } from '../../src/connectors/odoo/settings.js';
import { OdooTransport } from '../../src/connectors/odoo/transport.js';
import { countingFetch, describeProductCalls } from '../connectors/odoo/product-calls.js';

const env = { url: process.env.TANDEM_TEST_ODOO_URL, db: process.env.TANDEM_TEST_ODOO_DB, user: process.env.TANDEM_TEST_ODOO_USER, key: process.env.TANDEM_TEST_ODOO_KEY };
const configured = Boolean(env.url && env.db && env.user && env.key);
const log = pino({ level: process.env.TANDEM_LOG_LEVEL ?? 'warn' });

if (!configured) {
  describe.skip('odoo product calls live (set TANDEM_TEST_ODOO_URL, _DB, _USER, _KEY)', () => {
    it('counts the calls of a product batch on a real Odoo', () => undefined);
  });
} else {
  describeProductCalls(`odoo live ${env.url}`, async () => {
    const counter = countingFetch();
    const settings = OdooSettings.parse({ type: 'odoo', url: env.url, db: env.db, user: env.user, apiKey: env.key, timeout: '60s', protocol: (process.env.TANDEM_TEST_ODOO_PROTOCOL as 'auto' | undefined) ?? 'auto' });
    const connector = createOdooConnector('erp', settings, { log, fetch: counter.fetch });
    const prefix = `TDMPC${Date.now().toString(36).toUpperCase()}`;
    const t = new OdooTransport({ url: env.url!, db: env.db, user: env.user!, apiKey: env.key!, protocol: 'auto', version: 'auto', lang: 'en_US', tz: 'UTC', timeoutMs: 60_000 });
    const cleanup = async () => {
      const ids = await t.call<number[]>('product.template', 'search', { kwargs: { domain: [['name', '=like', `${prefix}%`]] } });
      if (ids.length) await t.call('product.template', 'write', { ids, kwargs: { vals: { active: false } } });
    };
    const major = (await t.server()).major;
    return { connector, counter, major, prefix, currency: process.env.TANDEM_TEST_ODOO_CURRENCY ?? 'USD', cleanup };
  });
}
