/**
 * Retries that recover in seconds: Odoo goes down (every connection refused) while orders arrive; the
 * ERP's circuit breaker opens (after 3 outage failures in a row), the order jobs wait without burning attempts, the probe sees Odoo back and
 * the waiting orders are imported at once — every order in Odoo well within 30 s of the recovery, none
 * in the dead letters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { seedDemo, DEMO_TAX } from '../../src/demo/seed.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import { OPEN_AFTER } from '../../src/engine/circuit-breaker.js';
import { startFaultProxy, startOdooSimulator, type FaultProxy, type OdooSimulator } from '../../src/simulators/index.js';

const log = pino({ level: 'silent' });
const ORDERS = 16;
const OUTAGE_MS = 6000;

let stack: Stack;
let odoo: OdooSimulator;
let proxy: FaultProxy;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-outage-'));
  odoo = await startOdooSimulator({ version: 17, currency: 'EUR' });
  proxy = await startFaultProxy(odoo.url, { seed: 7 });
  stack = await startStack({
    shop: 'rest-shop',
    storeUrl: `sqlite:${join(dir, 'tandem.db')}`,
    log,
    erp: { url: proxy.url, db: odoo.db, user: odoo.admin.login, key: odoo.admin.apiKey },
    config: { orders: { taxes: [{ rate: '20', erpTax: DEMO_TAX }], carriers: { standard: 'Standard delivery' } } } as never,
  });
  await seedDemo({ ...stack, odoo });
  await syncAll(stack.engine, { kind: 'initial' });
  await stack.engine.erp.stock.setOnHand([{ sku: 'SOCK-3', location: 'WH/Stock', onHand: 1000 }]);
}, 60_000);

afterAll(async () => {
  await stack?.close();
  await proxy?.close();
  await odoo?.close();
  rmSync(dir, { recursive: true, force: true });
});

const inOdoo = (numbers: string[]) => numbers.filter((n) => odoo.env.search('sale.order', [['client_order_ref', '=', n]]).length === 1).length;

describe('an ERP outage', () => {
  it(`${ORDERS} orders during ${OUTAGE_MS / 1000} s of Odoo refusing connections are all in Odoo seconds after it is back; none dead`, async () => {
    proxy.setDown('refuse');
    const numbers: string[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const id = await stack.restShop!.placeOrder({ email: `outage${i}@example.com`, firstName: 'O', lastName: `Utage${i}`, lines: [{ sku: 'SOCK-3', quantity: 1 }], paid: true, shipping: { method: 'standard', amount: '4.90' } });
      numbers.push(stack.restShop!.state.order(id)!.number);
    }
    await stack.restShop!.flushWebhooks();
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    expect(stack.runtime.breakers.openSystems()).toEqual(['erp']);
    expect((await stack.engine.metrics.registry.getSingleMetricAsString('tandem_circuit_open'))).toContain('tandem_circuit_open{system="erp"} 1');
    expect(inOdoo(numbers)).toBe(0);
    const waiting = await stack.engine.queue.list({ kind: 'order.sync', state: 'queued', limit: 1000 });
    expect(waiting.length).toBe(ORDERS);
    // the jobs that failed before the breaker opened used one attempt; every other one was deferred without
    expect(waiting.filter((j) => j.attempts > 0).length).toBeLessThan(OPEN_AFTER);
    expect(Math.max(...waiting.map((j) => j.attempts))).toBeLessThanOrEqual(1);
    expect(proxy.counts.down).toBeGreaterThan(0);

    const back = Date.now();
    proxy.setDown(false);
    while (inOdoo(numbers) < ORDERS && Date.now() - back < 30_000) await new Promise((r) => setTimeout(r, 100));
    const recoveredMs = Date.now() - back;
    expect(inOdoo(numbers)).toBe(ORDERS);
    expect(recoveredMs).toBeLessThan(10_000);
    await stack.settle();
    expect(await stack.engine.queue.list({ state: 'dead' })).toEqual([]);
    expect(stack.runtime.breakers.isOpen()).toBe(false);
    console.info(`outage ${OUTAGE_MS} ms, ${ORDERS} orders: all in Odoo ${recoveredMs} ms after recovery; faults: ${JSON.stringify(proxy.counts)}`);
  }, 60_000);
});
