/**
 * The operator console in a real browser (playwright-core driving Debian's chromium) against a running
 * `tandem serve` stack with the simulators: sign in, find an order by its ERP name and open its trace,
 * edit and replay a dead letter (the ERP refused a duplicate barcode; the edited payload drops it), run a
 * verification and fix a difference, and see each result in both the page and the systems. Every page is
 * screenshotted into docs/console/. A viewer sees no action buttons.
 * Without /usr/bin/chromium the test is skipped on a developer machine, but fails in CI (CI=1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { seedDemo, DEMO_TAX } from '../../src/demo/seed.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import { hashPassword } from '../../src/server/auth/hash-password.js';
import { ensureConsoleBuilt } from './support/console-build.js';

const CHROMIUM = process.env.TANDEM_CHROMIUM ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (apt-get install -y chromium) — see .ci/run`);
const SHOTS = new URL('../../docs/console/', import.meta.url).pathname;

describe.skipIf(!available)('operator console (headless chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  let erpName = '';
  let shopNumber = '';

  beforeAll(async () => {
    ensureConsoleBuilt();
    mkdirSync(SHOTS, { recursive: true });
    stack = await startStack({ shop: 'rest-shop', storeUrl: 'sqlite::memory:', log: pino({ level: 'silent' }), config: { orders: { taxes: [{ rate: '20', erpTax: DEMO_TAX }], carriers: { standard: 'Standard delivery' } } } as never });
    for (const [name, role] of [['olga', 'operator'], ['vic', 'viewer'], ['ada', 'admin']] as const) {
      await stack.engine.store.users.add({ name, role, passwordHash: await hashPassword(`${name} uses tandem daily`) });
    }
    await seedDemo(stack);
    // two shop products with one barcode: Odoo refuses the second (barcodes are unique there) → a dead letter
    stack.restShop!.seed.products([
      { name: 'Barcode first', variants: [{ sku: 'BAR-1', price: '1.00', barcode: '4006381333931' }] },
      { name: 'Barcode twin', variants: [{ sku: 'BAR-2', price: '1.00', barcode: '4006381333931' }] },
    ]);
    await syncAll(stack.engine, { kind: 'initial' });
    const id = await stack.restShop!.placeOrder({ email: 'console.buyer@example.com', lines: [{ sku: 'BAR-1', quantity: 1 }], paid: true });
    shopNumber = stack.restShop!.state.order(id)!.number;
    await stack.settle();
    erpName = (await stack.engine.store.orders.get(id))!.erpName!;
    // a product renamed in Odoo behind Tandem's back: a difference for the verification
    const [tmpl] = stack.odoo!.env.search('product.template', [['default_code', '=', 'BAR-1']]);
    stack.odoo!.env.write('product.template', [tmpl!], { name: 'Renamed in Odoo' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });

  async function signIn(page: Page, user: string): Promise<void> {
    await page.goto(`${stack.http.url}/`);
    await page.fill('input[name=username]', user);
    await page.fill('input[name=password]', `${user} uses tandem daily`);
    await page.click('#login button[type=submit]');
    await page.locator('#who', { hasText: user }).waitFor();
  }

  it('without a session: the sign-in form only; a wrong password is told', async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.http.url}/orders`);
    await page.locator('#login').waitFor();
    expect(await page.locator('nav').count()).toBe(0);
    expect((await fetch(`${stack.http.url}/api/orders`)).status).toBe(401);
    await page.fill('input[name=username]', 'olga');
    await page.fill('input[name=password]', 'not her password at all');
    await page.click('#login button[type=submit]');
    await page.getByRole('alert').filter({ hasText: 'Wrong user name or password' }).waitFor();
    await shot(page, 'login');
    await page.close();
  });

  it('an operator finds the order by its ERP name and opens its trace', async () => {
    const page = await browser.newPage();
    await signIn(page, 'olga');
    await page.locator('#orders-today').waitFor();
    expect(Number(await page.textContent('#orders-today'))).toBeGreaterThanOrEqual(1);
    // this process is a node of the store: its pid, its host, seen seconds ago (UTC on hover)
    const node = page.locator('#nodes tbody tr', { hasText: String(process.pid) });
    await node.waitFor();
    expect(await page.locator('#nodes tbody tr').count()).toBeGreaterThanOrEqual(1);
    expect(await node.textContent()).toMatch(/\d+ s ago/);
    expect(await node.locator('time').getAttribute('title')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    await page.locator('#nodes-single').waitFor();
    // the REST shop is set up on its side to send webhooks: on
    expect(await page.locator('td', { hasText: 'polling only' }).count()).toBe(0);
    await shot(page, 'overview');
    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await page.fill('#order-search', erpName);
    await page.press('#order-search', 'Enter');
    await page.locator('#orders tbody tr', { hasText: erpName }).waitFor();
    expect(await page.locator('#orders tbody tr').count()).toBe(1);
    await shot(page, 'orders');
    await page.getByRole('link', { name: `#${shopNumber}` }).click();
    await page.locator('#timeline li').first().waitFor();
    expect(await page.textContent('#erp-side')).toContain(erpName);
    expect(await page.textContent('#timeline')).toMatch(/order_step|import|order\.sync/);
    await shot(page, 'order');
    await page.close();
  });

  it('an operator edits a dead letter\'s payload (validated as JSON) and replays it: the product reaches Odoo, the audit says who', async () => {
    const page = await browser.newPage();
    await signIn(page, 'olga');
    await page.getByRole('link', { name: 'Dead letters' }).click();
    const item = page.locator('li.dl', { hasText: 'BAR-2' });
    await item.waitFor();
    expect(await item.textContent()).toMatch(/barcode/i);
    await item.getByRole('button', { name: 'Edit and replay…' }).click();
    const editor = item.locator('textarea');
    const payload = JSON.parse(await editor.inputValue()) as { mapped: { variants: { barcode: string | null }[] } };
    await editor.fill('{ "not": json');
    await item.getByText('not valid JSON').waitFor();
    expect(await item.getByRole('button', { name: 'Replay with this payload' }).isDisabled()).toBe(true);
    const edited = { ...payload, data: { ...payload.mapped, variants: payload.mapped.variants.map((v) => ({ ...v, barcode: null })) } };
    await editor.fill(JSON.stringify(edited, null, 2));
    await shot(page, 'dead-letters');
    await item.getByRole('button', { name: 'Replay with this payload' }).click();
    await page.locator('#results .notice.ok', { hasText: 'replayed with the edited payload' }).waitFor();
    await stack.settle();
    expect(stack.odoo!.env.search('product.product', [['default_code', '=', 'BAR-2']])).toHaveLength(1);
    const audit = await stack.engine.store.audit.query({ action: 'dlq:edit-replay' });
    expect(audit.at(-1)).toMatchObject({ actor: 'user:olga', entity: 'product' });
    await page.locator('li.dl', { hasText: 'BAR-2' }).waitFor({ state: 'detached' });
    await page.close();
  });

  it('an operator runs a verification, fixes the difference, and sees it gone', async () => {
    const page = await browser.newPage();
    await signIn(page, 'olga');
    await page.getByRole('link', { name: 'Reconcile' }).click();
    await page.getByRole('button', { name: 'Run a new verification' }).click();
    const group = page.locator('[data-group="product|field"]');
    await group.waitFor({ timeout: 30_000 });
    expect(await group.textContent()).toMatch(/BAR-1\s*name/);
    await shot(page, 'reconcile');
    await group.locator('tbody tr', { hasText: 'BAR-1' }).getByRole('button', { name: 'Fix', exact: true }).click();
    await page.locator('.notice.ok', { hasText: /1 fixed; \d+ product differences left/ }).waitFor({ timeout: 30_000 });
    // BAR-1's row is gone; what is left is true (BAR-2 went to Odoo without the barcode we edited out)
    await group.locator('tbody tr', { hasText: 'BAR-1' }).waitFor({ state: 'detached' });
    const [tmpl] = stack.odoo!.env.search('product.template', [['default_code', '=', 'BAR-1']]);
    expect(stack.odoo!.env.read('product.template', [tmpl!], ['name'])[0]!.name).toBe('Barcode first');
    // what is left, side by side: BAR-2's barcode, highlighted
    await group.getByRole('link', { name: 'BAR-2' }).click();
    await page.locator('#fields tr.differs', { hasText: 'variants[BAR-2].barcode' }).waitFor();
    expect(await page.locator('#fields tr.differs').count()).toBe(1);
    await page.close();
  });

  it('records side by side, runs in words, settings and the audit log', async () => {
    const page = await browser.newPage();
    await signIn(page, 'ada');
    await page.getByRole('link', { name: 'Records' }).click();
    await page.fill('#record-search', 'BAR-1');
    await page.press('#record-search', 'Enter');
    await page.locator('#fields tbody tr').first().waitFor();
    expect(await page.textContent('#fields')).toContain('Barcode first');
    await shot(page, 'records');
    await page.getByRole('link', { name: 'Runs & logs' }).click();
    await page.locator('#runs li').first().waitFor();
    expect(await page.textContent("#runs")).toMatch(/1 product created, 1 failed, 3 unchanged \(shop → erp\)/);
    await shot(page, 'runs');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.locator('#config').waitFor();
    const config = await page.textContent('#config');
    expect(config).toContain('[redacted]');
    expect(config).not.toContain(stack.restShop!.token);
    await shot(page, 'settings');
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.locator('#audit tbody tr', { hasText: 'dlq:edit-replay' }).waitFor();
    await shot(page, 'audit');
    await page.close();
  });

  it('with WooCommerce and no server.publicUrl: the shop flows say polling only, with the hint to set it', async () => {
    const woo = await startStack({ shop: 'woocommerce', storeUrl: 'sqlite::memory:', log: pino({ level: 'silent' }) });
    try {
      expect(woo.engine.config.server.publicUrl).toBeUndefined();
      await woo.engine.store.users.add({ name: 'vic', role: 'viewer', passwordHash: await hashPassword('vic uses tandem daily') });
      const page = await browser.newPage();
      await page.goto(`${woo.http.url}/`);
      await page.fill('input[name=username]', 'vic');
      await page.fill('input[name=password]', 'vic uses tandem daily');
      await page.click('#login button[type=submit]');
      const order = page.locator('tr', { hasText: /^order/ }).filter({ hasText: 'polling only, every 5m' });
      await order.waitFor();
      expect(await order.textContent()).toContain('server.publicUrl is not set');
      expect(await page.textContent('main')).toContain('not registered, server.publicUrl is not set: polling only. Set server.publicUrl in tandem.yaml');
      await page.locator('#nodes tbody tr').first().waitFor();
      await shot(page, 'overview-polling-only');
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.locator('#flows tr', { hasText: /^order/ }).getByText('polling only: server.publicUrl is not set').waitFor();
      expect(await page.locator('#flows tr', { hasText: /^stock/ }).textContent()).not.toContain('webhooks');
      await page.close();
    } finally {
      await woo.close();
    }
  });

  it('a viewer reads without action buttons, on a phone-wide screen', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(page, 'vic');
    await page.locator('#orders-today').waitFor();
    await shot(page, 'overview-phone');
    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await page.locator('#orders tbody tr').first().waitFor();
    await page.getByRole('link', { name: `#${shopNumber}` }).click();
    await page.locator('#timeline li').first().waitFor();
    expect(await page.getByRole('button', { name: 'Sync this order again' }).count()).toBe(0);
    expect(await page.textContent('main')).not.toContain('console.buyer@example.com');
    await page.close();
  });
});
