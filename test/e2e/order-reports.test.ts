/** `tandem trace` and `tandem finance report` after the sneakers story, through the CLI against the same store. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startStack, DEMO_FLOWS, DEMO_WEBHOOK_SECRET, type Stack } from '../../src/demo/stack.js';
import { seedDemo, DEMO_TAX } from '../../src/demo/seed.js';
import { runStory, type StoryResult } from '../../src/demo/story.js';
import { run } from '../../src/cli/main.js';

const log = pino({ level: 'silent' });
const orders = { taxes: [{ rate: '20', erpTax: DEMO_TAX }], carriers: { standard: 'Standard delivery' } };
let stack: Stack;
let dir: string;
let story: StoryResult;

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const env = { SHOP_TOKEN: stack.restShop!.token, SHOP_WEBHOOK_SECRET: DEMO_WEBHOOK_SECRET, ODOO_KEY: stack.odoo!.admin.apiKey };
  const code = await run(['node', 'tandem', ...args], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, env, cwd: dir });
  return { code, out, err };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-reports-'));
  stack = await startStack({ shop: 'rest-shop', storeUrl: `sqlite:${join(dir, 'tandem.db')}`, log, config: { orders } as never });
  await seedDemo(stack);
  story = await runStory(stack);
  expect(story.failed).toBeUndefined();
  writeFileSync(join(dir, 'tandem.yaml'), stringify({
    store: { url: 'sqlite:tandem.db' },
    systems: {
      shop: { type: 'rest-shop', url: stack.restShop!.url, auth: { type: 'bearer', token: '${SHOP_TOKEN}' }, webhookSecret: '${SHOP_WEBHOOK_SECRET}', currency: 'EUR' },
      erp: { type: 'odoo', url: stack.odoo!.url, db: stack.odoo!.db, user: stack.odoo!.admin.login, apiKey: '${ODOO_KEY}' },
    },
    flows: DEMO_FLOWS,
    orders,
  }));
});

afterAll(async () => {
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tandem trace <order>', () => {
  it('shows the timeline across both systems with the ids on both sides', async () => {
    const number = story.steps[2]!.shop.number as string;
    const r = await cli(['trace', number]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const erpId = story.steps[3]!.erp.orderId as string;
    expect(r.out).toMatch(new RegExp(`order ${number}: shop shop #\\d+ .* ⇄ ERP erp #${erpId}`));
    for (const what of ['webhook', 'step:import', 'step:confirm', 'step:invoice', 'step:payment', 'step:ship:', 'step:refund:', 'shop:status']) expect(r.out).toContain(what);
    const json = JSON.parse((await cli(['trace', number, '--json'])).out) as { order: { erpId: string }; events: Array<{ at: string }> };
    expect(json.order.erpId).toBe(erpId);
    expect(json.events.map((e) => e.at)).toEqual([...json.events.map((e) => e.at)].sort());
    expect((await cli(['trace', 'no-such-order'])).code).toBe(2);
  });
});

describe('tandem finance report', () => {
  it('per day: sold vs invoiced vs paid vs refunded vs credited, and 0 differences after the story', async () => {
    const r = await cli(['finance', 'report', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { days: Array<Record<string, string | number>>; differences: unknown[] };
    expect(report.differences).toEqual([]);
    expect(report.days).toEqual([expect.objectContaining({ currency: 'EUR', orders: 1, shopTotal: '93.90', shopRefunded: '89.00', erpInvoiced: '93.90', erpCredited: '89.00', erpPaid: '93.90' })]);
  });

  it('lists an order the ERP does not have (its import is waiting in the dead letters) and exits 1', async () => {
    stack.restShop!.seed.products([{ name: 'Cap', variants: [{ sku: 'CAP-9', price: '25.00' }] }], { stock: 3 }); // not in the ERP
    const shopId = await stack.restShop!.placeOrder({ email: 'late@example.com', lines: [{ sku: 'CAP-9', quantity: 1 }], paid: true, shipping: { method: 'standard', amount: '4.90' } });
    await stack.settle();
    const number = stack.restShop!.state.order(shopId)!.number;
    const r = await cli(['finance', 'report']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`${number}\\s+${shopId}\\s+not in the ERP\\s+29\\.90 EUR`));
    expect(r.out).toMatch(/1 difference\(s\)/);
  });
});
