/** Price writes to Odoo on a SKU carried by two products are refused, not written to one of them (issue 11.7). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startOdooSimulator, type OdooSimulator } from '../../../src/simulators/index.js';
import { createOdooConnector } from '../../../src/connectors/odoo/index.js';
import { OdooSettings } from '../../../src/connectors/odoo/settings.js';
import type { ErpConnector } from '../../../src/connectors/contract.js';

describe('odoo price write on an ambiguous SKU', () => {
  let sim: OdooSimulator;
  let c: ErpConnector;
  beforeAll(async () => {
    sim = await startOdooSimulator({ version: 17 });
    c = createOdooConnector('erp', OdooSettings.parse({ type: 'odoo', url: sim.url, db: sim.db, user: sim.admin.login, apiKey: sim.admin.apiKey, timeout: '20s' }), { log: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await c?.close();
    await sim?.close();
  });

  it('fails with a conflict naming both products, and writes neither', async () => {
    const a = sim.env.create('product.template', { name: 'Twin A', default_code: 'TWIN-1', list_price: 10 });
    const b = sim.env.create('product.template', { name: 'Twin B', default_code: 'TWIN-1', list_price: 12 });
    const [r] = await c.write('price', [{ kind: 'update', key: 'TWIN-1@default', targetId: 'TWIN-1@default', record: { sku: 'TWIN-1', pricelist: 'default', list: { amount: '15.00', currency: 'USD' }, sale: null, minQuantity: 0 } }], { lookup: () => undefined });
    expect(r).toMatchObject({ ok: false });
    expect(r!.ok ? '' : r!.error.kind).toBe('conflict');
    expect(r!.ok ? '' : r!.error.message).toMatch(/SKU TWIN-1 is on 2 Odoo products.*does not guess/);
    expect(sim.env.read('product.template', [a, b], ['list_price']).map((t) => t.list_price)).toEqual([10, 12]);
  });
});
