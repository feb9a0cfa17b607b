/**
 * `tandem demo --erp-url …` any number of times against ONE Odoo: every run has its own SKUs and ERP order
 * references, although the (fresh) shop numbers its orders 1001 again. Before, the second run linked its
 * order 1001 to the first run's Odoo order (client_order_ref 1001) and failed at step 5.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { runDemo } from '../../src/demo/run-demo.js';
import { startOdooSimulator, type OdooSimulator } from '../../src/simulators/index.js';

describe('the demo against one persistent Odoo, run twice', () => {
  let odoo: OdooSimulator;
  beforeAll(async () => {
    odoo = await startOdooSimulator({ version: 17 });
  });
  afterAll(() => odoo.close());

  it('passes every step both times, with two distinct ERP orders', async () => {
    const erp = { url: odoo.url, db: odoo.db, user: odoo.admin.login, key: odoo.admin.apiKey };
    for (let run = 1; run <= 2; run++) {
      const failedSteps: string[] = [];
      const result = await runDemo({ shop: 'rest-shop', odooVersion: 17, erp, storeUrl: 'sqlite::memory:', log: pino({ level: 'silent' }) }, (s) => {
        if (!s.ok) failedSteps.push(s.name);
      });
      expect({ run, failed: result.failed, failedSteps }).toEqual({ run, failed: undefined, failedSteps: [] });
    }
    const refs = odoo.env.searchRead('sale.order', [['client_order_ref', '!=', false]], ['client_order_ref']).map((o) => String(o.client_order_ref));
    expect(refs).toHaveLength(2);
    expect(new Set(refs).size).toBe(2);
    expect(refs.every((r) => /^shop-D[0-9A-Z]+-1001$/.test(r))).toBe(true);
  });
});
