/** findSaleTaxes: the ERP sale tax of a rate, as the tax rules without erpTax use it (simulator, 17 and 19). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startOdooSimulator, type OdooSimulator } from '../../../src/simulators/index.js';
import { createOdooConnector } from '../../../src/connectors/odoo/index.js';
import { OdooSettings } from '../../../src/connectors/odoo/settings.js';
import type { ErpConnector } from '../../../src/connectors/contract.js';

for (const version of [17, 19] as const) {
  describe(`findSaleTaxes (odoo ${version} simulator)`, () => {
    let sim: OdooSimulator;
    let c: ErpConnector;
    beforeAll(async () => {
      sim = await startOdooSimulator({ version });
      sim.env.create('account.tax', { name: 'Tax 20% incl.', amount: 20, amount_type: 'percent', type_tax_use: 'sale', price_include: true });
      sim.env.create('account.tax', { name: 'Purchase 20%', amount: 20, amount_type: 'percent', type_tax_use: 'purchase', price_include: false });
      sim.env.create('account.tax', { name: 'Fixed 20', amount: 20, amount_type: 'fixed', type_tax_use: 'sale', price_include: false });
      c = createOdooConnector('erp', OdooSettings.parse({ type: 'odoo', url: sim.url, db: sim.db, user: sim.admin.login, apiKey: sim.admin.apiKey }), { log: pino({ level: 'silent' }) });
    });
    afterAll(async () => {
      await c.close();
      await sim.close();
    });

    it.each([
      ['the default 15 % sale tax, price excluded', '15', false, ['15%']],
      ['"15.0" is the same rate', '15.0', false, ['15%']],
      ['price included: none at 15 %', '15', true, []],
      ['20 % price included: only the percent sale tax (not purchase, not fixed)', '20', true, ['Tax 20% incl.']],
      ['20 % price excluded: none', '20', false, []],
    ] as const)('%s', async (_t, rate, priceIncluded, names) => {
      const found = await c.orders.findSaleTaxes({ rate, priceIncluded });
      expect(found.map((t) => t.name)).toEqual(names);
    });
  });
}
