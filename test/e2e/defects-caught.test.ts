/**
 * Issue 11 item 12: four single-point defects the suite let through. Each test here was checked the
 * way every new test is (docs/architecture.md, "Checking a test"): the defect planted, the test seen
 * failing, the code restored.
 *   (a) the rounding-line branch of the order import disabled;
 *   (b) price verification comparing the source price with itself;
 *   (c) a second sync over unchanged linked records reading every target again;
 *   (d) a partial-return refund rounded half-even instead of half-up.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startStack, DEMO_FLOWS, type Stack } from '../../src/demo/stack.js';
import { seedDemo, DEMO_TAX } from '../../src/demo/seed.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import { reconcile } from '../../src/engine/reconcile.js';
import { importOrder } from '../../src/engine/orders/import-order.js';
import { refundValue } from '../../src/engine/orders/refunds.js';
import type { Connector } from '../../src/connectors/contract.js';
import type { Order } from '../../src/model/entities.js';

const log = pino({ level: 'silent' });
const orders = { taxes: [{ rate: '20', erpTax: DEMO_TAX }], carriers: { standard: 'Standard delivery' } };
let stack: Stack;

beforeEach(async () => {
  stack = await startStack({ shop: 'rest-shop', storeUrl: 'sqlite::memory:', log, webhooks: false, config: { orders, flows: [...DEMO_FLOWS!, { entity: 'price', direction: 'erp->shop', schedule: '15m' }] } as never });
  await seedDemo(stack);
  await syncAll(stack.engine, { kind: 'initial', entities: ['category', 'product', 'customer'] });
});

afterEach(async () => {
  await stack.close();
});

describe('defects the suite used to let through', () => {
  it('(a) an ERP total one cent off what the customer paid gets a rounding line, and then equals it', async () => {
    stack.odoo!.env.create('product.template', { name: 'Rounding', default_code: 'TANDEM-ROUNDING', detailed_type: 'service', list_price: 0, sale_ok: true });
    const id = await stack.restShop!.placeOrder({ email: 'round@example.com', firstName: 'R', lastName: 'Ound', lines: [{ sku: 'SOCK-3', quantity: 3 }], paid: false });
    const order = (await stack.engine.shop.orders!.getOrder(id)).data as Order;
    // What a shop that rounds tax per unit charges: one cent more than the ERP computes.
    const paid = { ...order, total: { ...order.total, amount: (Number(order.total.amount) + 0.01).toFixed(2) } };
    const { order: erp, rounding } = await importOrder(stack.engine, id, paid);
    expect(rounding?.toString()).toBe(`0.01 ${order.total.currency}`);
    expect(erp.total.toString()).toBe(`${paid.total.amount} ${order.total.currency}`);
    expect(erp.lines.filter((l) => l.sku === 'TANDEM-ROUNDING').map((l) => l.priceUnit)).toEqual(['0.01']);
  });

  it('(b) the price verification reports a shop price that differs from the ERP price', async () => {
    await syncAll(stack.engine, { kind: 'initial', entities: ['price'] });
    expect((await reconcile(stack.engine, { entities: ['price'] })).differences).toEqual([]);
    // Behind Tandem's back, the shop price changes.
    await stack.engine.shop.write('price', [{ kind: 'update', key: 'SOCK-3@default', targetId: 'SOCK-3@default', record: { sku: 'SOCK-3', pricelist: 'default', list: { amount: '1.23', currency: 'EUR' } } as never }], { lookup: () => undefined });
    const diffs = (await reconcile(stack.engine, { entities: ['price'] })).differences;
    expect(diffs).toEqual([expect.objectContaining({ entity: 'price', kind: 'field', erpId: 'SOCK-3@default' })]);
  });

  it('(c) a second sync over unchanged linked records reads no target record', async () => {
    const erp = stack.engine.erp as Connector;
    const fetched: string[] = [];
    const fetch = erp.fetch.bind(erp);
    erp.fetch = (async (entity, ids) => {
      fetched.push(...ids.map((i) => `${entity}:${i}`));
      return fetch(entity, ids);
    }) as Connector['fetch'];
    const again = await syncAll(stack.engine, { kind: 'initial', entities: ['category', 'product', 'customer'] });
    const products = again.reports.find((r) => r.entity === 'product')!.counts;
    expect(products.read).toBeGreaterThanOrEqual(3);
    expect(products.unchanged).toBe(products.read);
    expect(fetched).toEqual([]);
  });

  it('(d) a partial return refunds half-up to the cent (1 of 2 units of 10.05 → 5.03)', () => {
    const order = { currency: 'EUR', lines: [{ sku: 'X', quantity: 2, total: { amount: '10.05', currency: 'EUR' } }] } as unknown as Order;
    expect(refundValue(order, 'X', 1).toString()).toBe('5.03 EUR');
    const eighths = { currency: 'EUR', lines: [{ sku: 'Y', quantity: 8, total: { amount: '1.00', currency: 'EUR' } }] } as unknown as Order;
    expect(refundValue(eighths, 'Y', 1).toString()).toBe('0.13 EUR');
    expect(refundValue(eighths, 'Y', 8).toString()).toBe('1.00 EUR');
  });
});
