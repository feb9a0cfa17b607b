/** The connector against the simulator beyond the shared contract: order feed, returns, ownership, overlap, check. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cursor } from '../../../src/connectors/contract.js';
import { Money, type Order, type Product } from '../../../src/model/index.js';
import type { RestShopConnector } from '../../../src/connectors/rest-shop/index.js';
import { startShop, type ShopFixture } from './harness.js';

const noLookup = () => undefined;

async function readIds(c: RestShopConnector, entity: 'order' | 'product' | 'stock' | 'category' | 'customer', cursor: Cursor | null) {
  const ids: string[] = [];
  let last = cursor;
  for await (const b of c.read(entity, cursor, { pageSize: 2 })) {
    ids.push(...b.records.map((r) => r.id));
    last = b.cursor;
  }
  return { ids, cursor: last };
}

describe('rest-shop connector lifecycle (simulator)', () => {
  let shop: ShopFixture;
  let c: RestShopConnector;

  beforeAll(async () => {
    shop = await startShop({ currency: 'EUR' });
    c = shop.connector();
    shop.sim.seed.products([
      { name: 'Sneaker', description: 'Runs fast', variants: [{ sku: 'L-42', price: '89.00' }, { sku: 'L-43', price: '89.00' }] },
      { name: 'Cap', variants: [{ sku: 'L-CAP', price: '15.00' }] },
    ], { stock: 5 });
  });
  afterAll(() => shop.sim.close());

  it('the order feed re-delivers an order after each action, and only that order', async () => {
    const a = await shop.sim.placeOrder({ email: 'a@example.com', lines: [{ sku: 'L-42', quantity: 1 }], paid: true });
    const b = await shop.sim.placeOrder({ email: 'b@example.com', lines: [{ sku: 'L-CAP', quantity: 2 }], paid: false });
    const first = await readIds(c, 'order', null);
    expect(first.ids).toEqual([a, b]);
    await c.orders.setStatus(a, 'shipped', { note: 'sent with DHL' });
    const second = await readIds(c, 'order', first.cursor);
    expect(second.ids).toEqual([a]);
    await c.orders.addShipment(a, { carrier: 'DHL', trackingNumber: 'JJD1', trackingUrl: 'https://t/JJD1', lines: [{ sku: 'L-42', quantity: 1 }], shippedAt: null, state: 'shipped' });
    const ret = await c.orders.recordReturn(a, { key: 'rma-1', lines: [{ sku: 'L-42', quantity: 1 }], reason: 'too small' });
    const again = await c.orders.recordReturn(a, { key: 'rma-1', lines: [{ sku: 'L-42', quantity: 1 }] });
    expect(ret.created).toBe(true);
    expect(again).toEqual({ id: ret.id, created: false });
    const third = await readIds(c, 'order', second.cursor);
    expect(third.ids).toEqual([a]);
    expect((await readIds(c, 'order', third.cursor)).ids).toEqual([]);
    const order = (await c.orders.getOrder(a)).data as Order;
    expect(order.status).toBe('shipped');
    expect(order.note).toBe('sent with DHL');
    expect(order.shipments[0]).toMatchObject({ carrier: 'DHL', trackingNumber: 'JJD1', trackingUrl: 'https://t/JJD1' });
  });

  it('a refund beyond what is left is refused with the shop\'s message on the amount field', async () => {
    const id = await shop.sim.placeOrder({ email: 'c@example.com', lines: [{ sku: 'L-CAP', quantity: 1 }], paid: true });
    await expect(c.orders.recordRefund(id, { key: 'big', amount: Money.of('99.00', 'EUR'), reason: 'x', restock: false, lines: [] }))
      .rejects.toMatchObject({ kind: 'invalid_data', field: 'amount', message: 'The amount field must not be greater than 15.00.' });
    const stock = await c.fetch('stock', ['L-CAP@default']);
    expect(stock[0]!.data!.available).toBe(2);
    await c.orders.recordRefund(id, { key: 'r', amount: Money.of('15.00', 'EUR'), reason: 'x', restock: true, lines: [{ sku: 'L-CAP', quantity: 1 }] });
    expect((await c.fetch('stock', ['L-CAP@default']))[0]!.data!.available).toBe(3);
    expect(((await c.orders.getOrder(id)).data as Order).status).toBe('refunded');
  });

  it('an update limited to owned fields leaves the rest of the product alone', async () => {
    const [found] = (await c.findByNaturalKey('product', [{ type: 'sku', value: 'L-43' }])).values();
    const [rec] = await c.fetch('product', found!);
    const product = rec!.data as Product;
    const changed: Product = { ...product, name: 'Renamed by ERP', description: 'ERP text', variants: product.variants.map((v) => ({ ...v, price: { amount: '99.00', currency: 'EUR' } })) };
    const [res] = await c.write('product', [{ kind: 'update', key: 'erp-1', targetId: rec!.id, childIds: rec!.childIds, record: changed, fields: ['variants.price'] }], { lookup: noLookup });
    expect(res).toMatchObject({ ok: true, created: false, id: rec!.id });
    const after = shop.sim.state.product(rec!.id)!;
    expect(after.name).toBe('Sneaker');
    expect(after.description).toBe('Runs fast');
    expect(after.variants.map((v) => v.price)).toEqual(['99.00', '99.00']);
    if (res!.ok) expect(res!.childIds).toEqual(rec!.childIds);
  });

  it('categories: parent ids go through the link lookup; products reference them', async () => {
    const [root] = await c.write('category', [{ kind: 'create', key: 'erp-c1', record: { name: 'Shoes', parentId: null } }], { lookup: noLookup });
    const rootId = root!.ok ? root!.id : '';
    const links = (entity: string, id: string) => (entity === 'category' && id === 'erp-c1' ? rootId : undefined);
    const [child] = await c.write('category', [{ kind: 'create', key: 'erp-c2', record: { name: 'Running', parentId: 'erp-c1' } }], { lookup: links });
    const [rec] = await c.fetch('category', [child!.ok ? child!.id : '']);
    expect(rec!.data).toEqual({ name: 'Running', parentId: rootId });
  });

  it('archiving a product (delete op) sets active=false; other deletes fail alone', async () => {
    const id = shop.sim.state.productBySku('L-CAP')!.id;
    const p = (await c.fetch('product', [String(id)]))[0]!.data as Product;
    const res = await c.write('product', [{ kind: 'delete', key: 'x', targetId: String(id), record: p }], { lookup: noLookup });
    expect(res[0]!.ok).toBe(true);
    expect(shop.sim.state.product(id)!.active).toBe(false);
    const cust = await c.write('customer', [{ kind: 'delete', key: 'y', targetId: '1', record: { email: 'q@example.com', firstName: '', lastName: '', company: null, phone: null, addresses: [] } }], { lookup: noLookup });
    expect(cust[0]).toMatchObject({ ok: false, error: { kind: 'invalid_data' } });
  });

  it('overlapSeconds re-reads the window before the cursor on purpose', async () => {
    const exact = await readIds(c, 'product', null);
    expect((await readIds(c, 'product', exact.cursor)).ids).toEqual([]);
    const overlapping = shop.connector({ overlapSeconds: 3600 });
    expect((await readIds(overlapping, 'product', exact.cursor)).ids.length).toBeGreaterThan(0);
  });

  it('check(): reachable, version from /info, each needed entity probed; wrong currency flagged', async () => {
    const report = await c.check({ entities: { product: ['read'], order: ['read'] } });
    expect(report).toMatchObject({ ok: true, version: '1.0', system: 'shop' });
    expect(report.items.map((i) => i.name)).toEqual(['connection', 'product: read', 'order: read']);
    const wrong = await shop.connector({ currency: 'USD' }).check();
    expect(wrong.ok).toBe(false);
    expect(wrong.items.find((i) => i.name === 'currency')!.hint).toContain('currency: EUR');
  });

  it('reading an entity the connector cannot read is a config error', () => {
    expect(() => c.read('invoice', null)).toThrowError(/cannot read invoice/);
    expect(() => c.read('price', null)).toThrowError(/cannot read price/);
  });
});
