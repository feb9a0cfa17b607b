/**
 * `tandem check` sees record rules (issue 11.9): a "Sales / User: Own Documents Only" user may read
 * sale.order by its ACL, but the rule "Personal Orders" hides other salespeople's orders — Tandem would not
 * find orders it must find. Reported as restricted, naming the rule and the group that lifts it; each
 * missing right said once (message and hint do not repeat each other).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startOdooSimulator, type OdooSimulator } from '../../../src/simulators/index.js';
import { createOdooConnector } from '../../../src/connectors/odoo/index.js';
import { OdooSettings } from '../../../src/connectors/odoo/settings.js';
import type { CheckReport, ErpConnector } from '../../../src/connectors/contract.js';
import { restrictions } from '../../../src/connectors/odoo/check-rules.js';

const log = pino({ level: 'silent' });
const connect = (sim: OdooSimulator, login: string, apiKey: string): ErpConnector =>
  createOdooConnector('erp', OdooSettings.parse({ type: 'odoo', url: sim.url, db: sim.db, user: login, apiKey, timeout: '20s' }), { log });
const needs = { entities: { order: ['read' as const] }, actions: ['orders' as const, 'invoicing' as const] };

for (const version of [17, 19] as const) {
  describe(`odoo ${version}: check sees record rules`, () => {
    let sim: OdooSimulator;
    let restricted: CheckReport;
    let admin: CheckReport;

    beforeAll(async () => {
      sim = await startOdooSimulator({ version });
      for (const [login, key, set] of [[sim.restricted.login, sim.restricted.apiKey, (r: CheckReport) => (restricted = r)], [sim.admin.login, sim.admin.apiKey, (r: CheckReport) => (admin = r)]] as const) {
        const c = connect(sim, login, key);
        set(await c.check(needs));
        await c.close();
      }
    });
    afterAll(async () => {
      await sim?.close();
    });

    it('like real Odoo 17/19, the simulator refuses ir.rule to a user outside Access Rights', async () => {
      const c = connect(sim, sim.restricted.login, sim.restricted.apiKey);
      await expect(c.orders.findOrderByNumber('none')).resolves.toBeNull();
      expect(() => sim.env.searchRead('ir.rule', [], ['name'], { uid: sim.restricted.uid })).toThrow(/not allowed to access .*ir\.rule/);
      await c.close();
    });

    it('the simulator hides another salesperson\'s order from the salesman, as the rule says', () => {
      const partner = sim.env.create('res.partner', { name: 'Rule probe' });
      const other = sim.env.create('sale.order', { partner_id: partner, user_id: 2 });
      const seen = sim.env.search('sale.order', [['id', '=', other]], { uid: sim.restricted.uid });
      expect(seen).toEqual([]);
    });

    it('an own-documents user is reported restricted on sale.order, naming the rule and the group to add', () => {
      const so = restricted.items.find((i) => i.name === 'access sale.order')!;
      expect(so.ok).toBe(false);
      expect(so.message).toMatch(/record rule "Personal Orders" limits .* to some sale\.order records/);
      expect(so.hint).toMatch(/Sales \/ User: All Documents/);
      expect(restricted.items.find((i) => i.name === 'access sale.order.line')!.message).toMatch(/"Personal Order Lines"/);
      expect(restricted.ok).toBe(false);
    });

    it('each missing right is said once: the hint does not repeat the message', () => {
      const move = restricted.items.find((i) => i.name === 'access account.move')!;
      expect(move.ok).toBe(false);
      expect(move.message).toMatch(/lacks create, write on account\.move/);
      expect(move.hint).not.toMatch(/lacks/);
      expect(move.hint).toMatch(/Invoicing \/ Billing/);
      for (const i of restricted.items.filter((x) => !x.ok)) expect(`${i.message}\n${i.hint ?? ''}`.match(/lacks/g)?.length ?? 0).toBeLessThanOrEqual(1);
    });

    it('the administrator (All Documents rule) is not restricted', () => {
      expect(admin.items.find((i) => i.name === 'access sale.order')).toMatchObject({ ok: true });
      expect(admin.items.filter((i) => !i.ok)).toEqual([]);
      expect(admin.ok).toBe(true);
    });
  });
}

describe('restrictions: which standard record rules hide records from a user with these groups (Odoo OR-s group rules)', () => {
  const models = ['sale.order', 'sale.order.line', 'account.move'];
  const SALESMAN = 'sales_team.group_sale_salesman';
  const ALL_DOCS = 'sales_team.group_sale_salesman_all_leads';
  it.each([
    ['no sales group', [], {}],
    ['own documents only', [SALESMAN], { 'sale.order': 'Personal Orders', 'sale.order.line': 'Personal Order Lines', 'account.move': 'Personal Invoices' }],
    ['own documents + All Documents', [SALESMAN, ALL_DOCS], {}],
    ['own documents + Invoicing / Billing: invoices all visible, orders not', [SALESMAN, 'account.group_account_invoice'], { 'sale.order': 'Personal Orders', 'sale.order.line': 'Personal Order Lines' }],
  ])('%s', (_t, groups, expected) => {
    expect(Object.fromEntries([...restrictions(new Set(groups), models)].map(([m, r]) => [m, r.rule]))).toEqual(expected);
  });
  it('only the models asked about', () => {
    expect([...restrictions(new Set([SALESMAN]), ['sale.order']).keys()]).toEqual(['sale.order']);
  });
});
