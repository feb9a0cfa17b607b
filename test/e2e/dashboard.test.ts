/**
 * The dashboard in a real browser (playwright-core driving Debian's chromium): without a session it shows
 * a sign-in form and no data; signed in, it shows the queue, the flows and the dead letters, and its
 * replay button (session cookie + CSRF token) puts a dead letter back to work; a viewer has no buttons
 * and sees no personal data; signing out ends the session.
 * Without /usr/bin/chromium the test is skipped on a developer machine, but fails in CI (CI=1), where
 * .ci/run installs it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { seedDemo, DEMO_TAX } from '../../src/demo/seed.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import { hashPassword } from '../../src/server/auth/hash-password.js';

const CHROMIUM = process.env.TANDEM_CHROMIUM ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (apt-get install -y chromium) — see .ci/run`);

describe.skipIf(!available)('dashboard (headless chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  let number = '';

  beforeAll(async () => {
    stack = await startStack({ shop: 'rest-shop', storeUrl: 'sqlite::memory:', log: pino({ level: 'silent' }), config: { orders: { taxes: [{ rate: '20', erpTax: DEMO_TAX }], carriers: { standard: 'Standard delivery' } } } as never });
    await stack.engine.store.users.add({ name: 'olga', role: 'operator', passwordHash: await hashPassword('olga operates tandem') });
    await stack.engine.store.users.add({ name: 'vic', role: 'viewer', passwordHash: await hashPassword('vic views tandem only') });
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

  const signIn = async (page: Page, user: string, password: string) => {
    await page.goto(`${stack.http.url}/`);
    await page.waitForSelector('#login:not([hidden])');
    await page.fill('input[name=username]', user);
    await page.fill('input[name=password]', password);
    await page.click('#login button[type=submit]');
  };

  it('without a session: a sign-in form, no data; the API refuses', async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.http.url}/`);
    await page.waitForSelector('#login:not([hidden])');
    expect(await page.isHidden('#data')).toBe(true);
    expect(await page.locator('#dead tbody tr').count()).toBe(0);
    expect(await page.content()).not.toContain('CAP-7');
    expect((await fetch(`${stack.http.url}/api/status`)).status).toBe(401);
    expect((await fetch(`${stack.http.url}/api/dead-letters`)).status).toBe(401);
    // a wrong password is told, and nothing shows
    await signIn(page, 'olga', 'not her password at all');
    // (locator waits: the page's CSP forbids the string evaluation of waitForFunction)
    await page.locator('#error', { hasText: '401' }).waitFor();
    expect(await page.isHidden('#data')).toBe(true);
    await page.close();
  });

  it('an operator signs in, sees jobs, flows, runs and dead letters, and replays a dead letter', async () => {
    const page = await browser.newPage();
    await signIn(page, 'olga', 'olga operates tandem');
    await page.waitForSelector('#dead tbody tr');
    expect(await page.textContent('#user')).toBe('olga (operator)');
    expect(await page.textContent('#systems')).toBe('shop ⇄ erp');
    expect(await page.textContent('[data-state="dead"]')).toBe('dead: 1');
    expect(await page.locator('#flows tbody tr').count()).toBe(stack.engine.config.flows.length);
    expect(await page.locator('#runs tbody tr').count()).toBeGreaterThan(0);
    const row = page.locator('#dead tbody tr').first();
    expect(await row.textContent()).toMatch(/SKU CAP-7 is unknown in the ERP/);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'tandem_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false });

    // the cause is fixed (the product reaches the ERP), then the operator clicks replay
    await syncAll(stack.engine, { kind: 'poll', entities: ['product'] });
    await row.getByRole('button', { name: 'replay' }).click();
    await page.locator('#dead tbody tr').first().waitFor({ state: 'detached' });
    await stack.settle();
    expect(stack.odoo!.env.search('sale.order', [['client_order_ref', '=', `shop-${number}`]])).toHaveLength(1);
    const audit = await stack.engine.store.audit.query({ action: 'dlq:replay' });
    expect(audit.at(-1)).toMatchObject({ actor: 'user:olga', entity: 'order' });

    // signing out ends the session: the form is back, the old cookie is refused
    await page.click('#logout');
    await page.waitForSelector('#login:not([hidden])');
    expect((await fetch(`${stack.http.url}/api/status`, { headers: { cookie: `tandem_session=${cookie!.value}` } })).status).toBe(401);
    await page.close();
  });

  it('a viewer sees the dead letters without replay buttons', async () => {
    // another dead letter
    stack.restShop!.seed.products([{ name: 'Hat', variants: [{ sku: 'HAT-9', price: '15.00' }] }], { stock: 2 });
    await stack.restShop!.placeOrder({ email: 'viewer.case@example.com', lines: [{ sku: 'HAT-9', quantity: 1 }], paid: true });
    await stack.settle();
    const page = await browser.newPage();
    await signIn(page, 'vic', 'vic views tandem only');
    await page.waitForSelector('#data:not([hidden])');
    await page.locator('#user', { hasText: 'vic (viewer)' }).waitFor();
    await page.waitForSelector('#dead tbody tr');
    expect(await page.textContent('#dead tbody')).toMatch(/HAT-9/);
    expect(await page.locator('#dead button').count()).toBe(0);
    await page.close();
  });
});
