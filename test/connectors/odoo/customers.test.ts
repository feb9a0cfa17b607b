/**
 * Customers on real Odoo 17 (issue 11.10): German states stored as "DE-BY" while shops send "BY"; partners
 * matched by email keep customer_rank 0 unless it is written (then the customer feed never sees them); a
 * customer with only an email must read back as it was written (no drift).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { pino } from 'pino';
import { startOdooSimulator, type OdooSimulator } from '../../../src/simulators/index.js';
import { createOdooConnector } from '../../../src/connectors/odoo/index.js';
import { OdooSettings } from '../../../src/connectors/odoo/settings.js';
import type { ErpConnector, SourceRecord } from '../../../src/connectors/contract.js';
import type { Address, Customer } from '../../../src/model/index.js';

const noLookup = () => undefined;
const address = (over: Partial<Address> = {}): Address => ({ type: 'contact', name: 'Bea', company: null, street: 'Marienplatz 1', street2: null, city: 'München', zip: '80331', state: 'BY', country: 'DE', phone: null, email: null, ...over });

async function readAll(c: ErpConnector): Promise<SourceRecord<'customer'>[]> {
  const out: SourceRecord<'customer'>[] = [];
  for await (const b of c.read('customer', null, { pageSize: 100 })) out.push(...(b.records as SourceRecord<'customer'>[]));
  return out;
}

for (const version of [17, 19] as const) {
  describe(`odoo ${version} customers (simulator)`, () => {
    let sim: OdooSimulator;
    let c: ErpConnector;
    const warnings: Array<Record<string, unknown>> = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line) as Record<string, unknown>) });

    beforeAll(async () => {
      sim = await startOdooSimulator({ version });
      c = createOdooConnector('erp', OdooSettings.parse({ type: 'odoo', url: sim.url, db: sim.db, user: sim.admin.login, apiKey: sim.admin.apiKey, timeout: '20s' }), { log });
    });
    afterAll(async () => {
      await c?.close();
      await sim?.close();
    });

    it('Odoo stores German states as "DE-BY"', () => {
      const rows = sim.env.searchRead('res.country.state', [['country_id.code', '=', 'DE'], ['name', '=', 'Bavaria']], ['code']);
      expect(rows.map((r) => r.code)).toEqual(['DE-BY']);
    });

    it.each([['BY'], ['DE-BY'], ['by']])('a German state sent as "%s" is matched in the country and reads back as the shop sends it', async (state) => {
      const rec: Customer = { email: `state-${state}-${version}@example.com`, firstName: 'Bea', lastName: 'Bayer', company: null, phone: null, addresses: [address({ state })] };
      const [r] = await c.write('customer', [{ kind: 'create', key: 'k', record: rec }], { lookup: noLookup });
      expect(r).toMatchObject({ ok: true });
      const id = r!.ok ? Number(r!.id) : 0;
      const [p] = sim.env.read('res.partner', [id], ['state_id']);
      expect((p!.state_id as [number, string])[1]).toMatch(/Bavaria/);
      const [got] = await c.fetch('customer', [String(id)]);
      expect(got!.data!.addresses[0]!.state).toBe('BY');
    });

    it('an unknown state is a clear warning naming the record, field and fix, not a silent drop', async () => {
      warnings.length = 0;
      const rec: Customer = { email: `state-xx-${version}@example.com`, firstName: 'Xa', lastName: 'Ver', company: null, phone: null, addresses: [address({ state: 'XX' })] };
      const [r] = await c.write('customer', [{ kind: 'create', key: 'kx', record: rec }], { lookup: noLookup });
      expect(r).toMatchObject({ ok: true });
      const w = warnings.find((x) => x.field === 'addresses.state');
      expect(w).toMatchObject({ record: 'kx', state: 'XX', country: 'DE' });
      expect(String(w!.msg)).toMatch(/no state "XX" in DE.*saved without a state/);
    });

    it('a partner matched by email gets customer_rank, so the customer feed reads it', async () => {
      const email = `walk-in-${version}@example.com`;
      const pid = sim.env.create('res.partner', { name: 'Walk In', email });
      expect(sim.env.read('res.partner', [pid], ['customer_rank'])[0]!.customer_rank).toBe(0);
      const rec: Customer = { email, firstName: 'Walk', lastName: 'In', company: null, phone: null, addresses: [] };
      const [r] = await c.write('customer', [{ kind: 'update', key: 'w', targetId: String(pid), record: rec }], { lookup: noLookup });
      expect(r).toMatchObject({ ok: true, id: String(pid) });
      expect(sim.env.read('res.partner', [pid], ['customer_rank'])[0]!.customer_rank).toBe(1);
      expect((await readAll(c)).map((x) => x.id)).toContain(String(pid));
      // a customer with a higher rank keeps it
      sim.env.write('res.partner', [pid], { customer_rank: 5 });
      await c.write('customer', [{ kind: 'update', key: 'w', targetId: String(pid), record: rec }], { lookup: noLookup });
      expect(sim.env.read('res.partner', [pid], ['customer_rank'])[0]!.customer_rank).toBe(5);
    });

    it('a customer with only an email reads back as written (no first name = email)', async () => {
      const rec: Customer = { email: `only-${version}@example.com`, firstName: '', lastName: '', company: null, phone: null, addresses: [] };
      const [r] = await c.write('customer', [{ kind: 'create', key: 'o', record: rec }], { lookup: noLookup });
      const [got] = await c.fetch('customer', [r!.ok ? r!.id : '']);
      expect(got!.data).toEqual(rec);
    });
  });
}
