/**
 * The sneakers story end to end against the simulators, for both shops and both Odoo protocols:
 * every step holds when checked against the systems themselves, and the systems agree at the end.
 */
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { startStack } from '../../src/demo/stack.js';
import { seedDemo, DEMO_TAX } from '../../src/demo/seed.js';
import { runStory } from '../../src/demo/story.js';
import { run } from '../../src/cli/main.js';
import { runDemo } from '../../src/demo/run-demo.js';
import { startOdooSimulator, startWooSimulator } from '../../src/simulators/index.js';

const log = pino({ level: 'silent' });
const orders = { taxes: [{ rate: '20', erpTax: DEMO_TAX }], carriers: { standard: 'Standard delivery', flat_rate: 'Standard delivery' } }; // WooCommerce: keyed by method_id as documented

describe.each([
  ['rest-shop', 17],
  ['rest-shop', 19],
  ['woocommerce', 17],
  ['woocommerce', 19],
] as const)('sneakers story: %s ⇄ Odoo %i', (shop, version) => {
  it('every step holds and reconciliation ends with 0 differences', async () => {
    const stack = await startStack({ shop, odooVersion: version, storeUrl: 'sqlite::memory:', log, config: { orders } as never });
    try {
      await seedDemo(stack);
      const result = await runStory(stack);
      expect(result.failed, JSON.stringify(result.steps.at(-1))).toBeUndefined();
      expect(result.steps.map((s) => s.ok)).toEqual(result.steps.map(() => true));
      expect(result.steps.length).toBe(12);
      expect(result.reconcile.differences).toEqual([]);
      // exactly one ERP order for the shop order, invoiced, paid and credited to the cent
      const number = result.steps[2]!.shop.number as string;
      const erp = await stack.engine.erp.orders.findOrderByNumber(number);
      const invoices = await stack.engine.erp.orders.listInvoices(erp!.id);
      expect(invoices.filter((i) => i.kind === 'invoice').map((i) => i.total.toString())).toEqual(['93.90 EUR']);
      expect(invoices.filter((i) => i.kind === 'credit_note').map((i) => i.total.toString())).toEqual(['89.00 EUR']);
      if (stack.odoo) expect(stack.odoo.env.search('sale.order', [['client_order_ref', '=', `shop-${number}`]])).toHaveLength(1);
      // the story says what happened: every shop product is in the ERP, counted by how it got there
      const first = result.steps[0]!;
      const erpCounts = first.erp as { created: number; matched: number; alreadyInSync: number };
      expect(erpCounts.created + erpCounts.matched + erpCounts.alreadyInSync).toBe(first.shop.products);
      expect(first.shop.products).toBeGreaterThan(0);
      expect(first.note).toMatch(/^\d+ shop products in the ERP: \d+ created now, \d+ matched/);
      const refund = result.steps.find((s) => s.name.startsWith('the customer returns them'))!;
      expect(refund.note).toMatch(/^refunded 89\.00 EUR of 93\.90 EUR: the returned item only; shipping \(4\.90 EUR\) is not refunded\. The shop's order stays "\w+": a partial refund/);
    } finally {
      await stack.close();
    }
  });
});

describe('tandem demo (the command a new user runs)', () => {
  it('prints every step with the ids on both sides and exits 0; --json has {steps, reconcile}', async () => {
    let stdout = '';
    let stderr = '';
    const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: {}, cwd: process.cwd() };
    const code = await run(['node', 'tandem', 'demo', '--json'], io);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { steps: Array<{ name: string; ok: boolean; shop: object; erp: object }>; reconcile: { differences: unknown[] } };
    expect(out.steps.length).toBe(12);
    expect(out.steps.every((s) => s.ok && typeof s.name === 'string' && s.shop && s.erp)).toBe(true);
    expect(out.steps.some((s) => /shipped/.test(s.name))).toBe(true);
    expect(out.reconcile.differences).toEqual([]);

    stdout = '';
    expect(await run(['node', 'tandem', 'demo', '--shop', 'woocommerce'], io)).toBe(0);
    expect(stdout).toMatch(/✓ {2}3\. a customer orders sneakers \(size 43\)/);
    expect(stdout).toMatch(/tracking DHL-/);
    expect(stdout).toMatch(/verification: 0 differences/);
  });

  it('against an Odoo given by URL (here a simulator whose company is in USD, like a fresh US database) the story runs in the company currency', async () => {
    const odoo = await startOdooSimulator({ version: 17, currency: 'USD' });
    try {
      const erp = { url: odoo.url, db: odoo.db, user: odoo.admin.login, key: odoo.admin.apiKey };
      const result = await runDemo({ shop: 'rest-shop', odooVersion: 17, erp, storeUrl: 'sqlite::memory:', log }, () => undefined);
      expect(result.failed, JSON.stringify(result.steps.at(-1))).toBeUndefined();
      expect(result.steps.length).toBe(12);
      expect(result.steps[2]!.shop.total).toBe('93.90 USD');
      expect(result.reconcile.differences).toEqual([]);
    } finally {
      await odoo.close();
    }
  });

  it('a real shop and a real Odoo in different currencies: stops before writing anything, naming both', async () => {
    const odoo = await startOdooSimulator({ version: 17, currency: 'USD' });
    const woo = await startWooSimulator({ currency: 'EUR' });
    try {
      const erp = { url: odoo.url, db: odoo.db, user: odoo.admin.login, key: odoo.admin.apiKey };
      const shop = { url: woo.url, key: woo.consumerKey, secret: woo.consumerSecret };
      await expect(runDemo({ shop: 'woocommerce', odooVersion: 17, erp, woo: shop, storeUrl: 'sqlite::memory:', log }, () => undefined)).rejects.toThrow(/sells in EUR .* currency is USD/);
      expect(odoo.env.search('product.template', [['default_code', '=like', 'SNK-%']])).toHaveLength(0);
    } finally {
      await Promise.all([odoo.close(), woo.close()]);
    }
  });

  it('refuses half-given real-system options with a clear line', async () => {
    let stderr = '';
    const io = { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, env: {}, cwd: process.cwd() };
    expect(await run(['node', 'tandem', 'demo', '--erp-url', 'http://odoo.example'], io)).toBe(2);
    expect(stderr).toMatch(/a real Odoo needs --erp-url, --erp-user and --erp-key/);
  });
});
