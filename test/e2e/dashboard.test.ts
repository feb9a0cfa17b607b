/**
 * The dashboard in a real browser (playwright-core driving Debian's chromium): it shows the queue, the
 * flows and the dead letters, and its replay button puts a dead letter back to work.
 * Without /usr/bin/chromium the test is skipped on a developer machine, but fails in CI (CI=1), where
 * .ci/run installs it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import pino from 'pino';
import { chromium, type Browser } from 'playwright-core';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { seedDemo, DEMO_TAX } from '../../src/demo/seed.js';
import { syncAll } from '../../src/engine/initial-sync.js';

const CHROMIUM = process.env.TANDEM_CHROMIUM ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (apt-get install -y chromium) — see .ci/run`);

describe.skipIf(!available)('dashboard (headless chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  let number = '';

  beforeAll(async () => {
    stack = await startStack({ shop: 'rest-shop', storeUrl: 'sqlite::memory:', log: pino({ level: 'silent' }), config: { orders: { taxes: [{ rate: '20', erpTax: DEMO_TAX }], carriers: { standard: 'Standard delivery' } }, server: { apiToken: 'dash-token-123' } } as never });
    await seedDemo(stack);
    await syncAll(stack.engine, { kind: 'initial' });
    // an order for a SKU the ERP does not know: a dead letter
    stack.restShop!.seed.products([{ name: 'Cap', variants: [{ sku: 'CAP-7', price: '25.00' }] }], { stock: 2 });
    const id = await stack.restShop!.placeOrder({ email: 'dash@example.com', lines: [{ sku: 'CAP-7', quantity: 1 }], paid: true });
    number = stack.restShop!.state.order(id)!.number;
    await stack.settle();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows jobs, flows, runs and dead letters, and replays a dead letter', async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.http.url}/?token=dash-token-123`);
    await page.waitForSelector('#dead tbody tr');
    expect(await page.textContent('#systems')).toBe('shop ⇄ erp');
    expect(await page.textContent('[data-state="dead"]')).toBe('dead: 1');
    expect(await page.locator('#flows tbody tr').count()).toBe(stack.engine.config.flows.length);
    expect(await page.locator('#runs tbody tr').count()).toBeGreaterThan(0);
    const row = page.locator('#dead tbody tr').first();
    expect(await row.textContent()).toMatch(/SKU CAP-7 is unknown in the ERP/);

    // the cause is fixed (the product reaches the ERP), then the operator clicks replay
    await syncAll(stack.engine, { kind: 'poll', entities: ['product'] });
    await row.getByRole('button', { name: 'replay' }).click();
    await page.waitForFunction("document.querySelectorAll('#dead tbody tr').length === 0");
    await stack.settle();
    expect(stack.odoo!.env.search('sale.order', [['client_order_ref', '=', number]])).toHaveLength(1);
    await page.close();
  });

  it('refuses the API without the token', async () => {
    const res = await fetch(`${stack.http.url}/api/status`);
    expect(res.status).toBe(401);
    const page = await browser.newPage();
    await page.goto(`${stack.http.url}/`);
    await page.waitForFunction("(document.getElementById('error')?.textContent ?? '').includes('401')");
    await page.close();
  });
});
