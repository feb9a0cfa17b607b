/** The product write path's calls per batch against the Odoo 16, 17 and 19 simulators (product-calls.ts). */
import { pino } from 'pino';
import { startOdooSimulator, type OdooSimulator } from '../../../src/simulators/index.js';
import { createOdooConnector } from '../../../src/connectors/odoo/index.js';
import { OdooSettings } from '../../../src/connectors/odoo/settings.js';
import { countingFetch, describeProductCalls } from './product-calls.js';

const log = pino({ level: 'silent' });

for (const version of [16, 17, 19] as const) {
  let sim: OdooSimulator | undefined;
  describeProductCalls(`odoo ${version} (simulator)`, async () => {
    sim = await startOdooSimulator({ version });
    const counter = countingFetch();
    const settings = OdooSettings.parse({ type: 'odoo', url: sim.url, db: sim.db, user: sim.admin.login, apiKey: sim.admin.apiKey, timeout: '20s' });
    const connector = createOdooConnector('erp', settings, { log, fetch: counter.fetch });
    return { connector, counter, major: version, prefix: `PC${version}`, currency: 'USD', cleanup: async () => sim?.close() };
  });
}
