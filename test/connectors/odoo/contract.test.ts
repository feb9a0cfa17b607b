/**
 * The shared connector contract suites against the Odoo simulator: 17 over JSON-RPC and 19 over JSON-2
 * (the protocol each version picks with `protocol: auto`), plus 16 and 18 over JSON-RPC.
 */
import { pino } from 'pino';
import { describeConnectorContract, describeErpOrderContract, type ContractHarness } from '../../contract/connector-contract.js';
import { startOdooSimulator, type OdooSimulator } from '../../../src/simulators/index.js';
import { createOdooConnector } from '../../../src/connectors/odoo/index.js';
import { OdooSettings } from '../../../src/connectors/odoo/settings.js';

const log = pino({ level: 'silent' });

function settingsFor(sim: OdooSimulator, apiKey = sim.admin.apiKey): OdooSettings {
  return OdooSettings.parse({ type: 'odoo', url: sim.url, db: sim.db, user: sim.admin.login, apiKey, timeout: '20s' });
}

function harness(sim: OdooSimulator, version: number, cleanup?: () => Promise<void>): ContractHarness {
  return {
    connector: createOdooConnector('erp', settingsFor(sim), { log }),
    badAuthConnector: () => createOdooConnector('erp', settingsFor(sim, 'not-the-key'), { log }),
    prefix: `C${version}${Date.now().toString(36).toUpperCase()}`,
    currency: 'USD',
    cleanup,
  };
}

const VERSIONS = (process.env.TANDEM_ODOO_VERSIONS ?? '17,19,16,18').split(',').map(Number) as Array<16 | 17 | 18 | 19>;

for (const version of VERSIONS) {
  let sim: OdooSimulator | undefined;
  describeConnectorContract(
    `odoo ${version} (simulator, ${version >= 19 ? 'JSON-2' : 'JSON-RPC'})`,
    async () => {
      sim = await startOdooSimulator({ version });
      return harness(sim, version);
    },
    async () => {
      await sim?.close();
    },
  );

  describeErpOrderContract(`odoo ${version} (simulator)`, async () => {
    const s = await startOdooSimulator({ version });
    return harness(s, version, () => s.close());
  });
}

// A database without the delivery module (sale_management + stock + account only), like the real lab
// databases: no carriers, no is_delivery, no tracking field on pickings.
for (const version of [17, 19] as const) {
  describeErpOrderContract(`odoo ${version} without the delivery module (simulator)`, async () => {
    const s = await startOdooSimulator({ version, modules: { delivery: false } });
    return harness(s, version, () => s.close());
  });
}
