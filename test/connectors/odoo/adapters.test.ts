/**
 * Adapter behaviour beyond the shared contract, against the simulator: variants and price extras,
 * updates, categories, prices, partial deliveries with backorders, invoicing before delivery, partial
 * credit notes, reads of orders/invoices/shipments/stock, `check` with a restricted user, and faults.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { pino } from 'pino';
import { startOdooSimulator, type OdooSimulator } from '../../../src/simulators/index.js';
import { createOdooConnector } from '../../../src/connectors/odoo/index.js';
import { OdooSettings } from '../../../src/connectors/odoo/settings.js';
import type { ErpConnector, SourceRecord, WriteOp } from '../../../src/connectors/contract.js';
import type { EntityType, Product } from '../../../src/model/index.js';
import { Money } from '../../../src/model/index.js';
import { SyncError } from '../../../src/shared/errors.js';

const log = pino({ level: 'silent' });
const noLookup = () => undefined;

function connect(sim: OdooSimulator, apiKey = sim.admin.apiKey, login = sim.admin.login): ErpConnector {
  return createOdooConnector('erp', OdooSettings.parse({ type: 'odoo', url: sim.url, db: sim.db, user: login, apiKey, timeout: '20s', invoicePolicy: 'delivery' }), { log });
}

function sneaker(prefix: string, prices: Record<string, string>): Product {
  const sizes = Object.keys(prices);
  return {
    name: `${prefix} Runner`,
    description: 'light',
    categoryIds: [],
    attributes: [{ name: 'Size', values: sizes }],
    variants: sizes.map((s) => ({ sku: `${prefix}-RUN-${s}`, barcode: null, attributes: { Size: s }, price: { amount: prices[s]!, currency: 'USD' }, salePrice: null, weight: null, active: true })),
    active: true,
    tracksStock: true,
  };
}

async function readAll<E extends EntityType>(c: ErpConnector, entity: E, cursor: unknown = null) {
  const records: SourceRecord<E>[] = [];
  let last: unknown = cursor;
  for await (const b of c.read(entity, cursor as never, { pageSize: 100 })) {
    records.push(...b.records);
    last = b.cursor;
  }
  return { records, cursor: last };
}

for (const version of [17, 19] as const) {
  describe(`odoo ${version} adapters (simulator)`, () => {
    let sim: OdooSimulator;
    let c: ErpConnector;
    const P = `A${version}`;
    let customerId = '';

    beforeAll(async () => {
      sim = await startOdooSimulator({ version });
      c = connect(sim);
      const [cu] = await c.write('customer', [{ kind: 'create', key: 'cu', record: { email: `${P.toLowerCase()}@example.com`, firstName: 'Ada', lastName: 'Adapter', company: null, phone: null, addresses: [] } }], { lookup: noLookup });
      customerId = cu!.ok ? cu!.id : '';
    });
    afterAll(async () => {
      await c?.close();
      await sim?.close();
    });

    it('variant prices become PTAV price_extra and read back exactly; a retried create finds the product', async () => {
      const p = sneaker(`${P}V`, { '42': '89.00', '43': '89.00', '44': '94.50' });
      const [r] = await c.write('product', [{ kind: 'create', key: 'v', record: p }], { lookup: noLookup });
      expect(r!.ok, JSON.stringify(r)).toBe(true);
      const [again] = await c.write('product', [{ kind: 'create', key: 'v', record: p }], { lookup: noLookup });
      expect(again).toMatchObject({ ok: true, created: false, id: r!.ok ? r!.id : '' });
      const [rec] = await c.fetch('product', [r!.ok ? r!.id : '']);
      expect(rec!.data!.variants.map((v) => [v.sku, v.price.amount])).toEqual([
        [`${P}V-RUN-42`, '89.00'],
        [`${P}V-RUN-43`, '89.00'],
        [`${P}V-RUN-44`, '94.50'],
      ]);
    });

    it('updates: new size added to an existing product, barcode set, only owned fields written', async () => {
      const p = sneaker(`${P}U`, { '42': '50.00' });
      const [r] = await c.write('product', [{ kind: 'create', key: 'u', record: p }], { lookup: noLookup });
      const id = r!.ok ? r!.id : '';
      const bigger = sneaker(`${P}U`, { '42': '50.00', '45': '50.00' });
      bigger.variants[0]!.barcode = '4006381333931';
      const [u] = await c.write('product', [{ kind: 'update', key: 'u', targetId: id, record: { ...bigger, name: 'ignored name' }, fields: ['variants', 'attributes'] }], { lookup: noLookup });
      expect(u!.ok, JSON.stringify(u)).toBe(true);
      if (u!.ok) expect(Object.keys(u!.childIds ?? {}).sort()).toEqual([`${P}U-RUN-42`, `${P}U-RUN-45`]);
      const [rec] = await c.fetch('product', [id]);
      expect(rec!.data!.name).toBe(`${P}U Runner`);
      expect(rec!.data!.variants.find((v) => v.sku === `${P}U-RUN-42`)!.barcode).toBe('4006381333931');
    });

    it('categories: parent through the link table, find-before-create by name and parent', async () => {
      const [root] = await c.write('category', [{ kind: 'create', key: 'shoes', record: { name: `${P} Shoes`, parentId: null } }], { lookup: noLookup });
      const rootId = root!.ok ? root!.id : '';
      const lookup = (e: EntityType, id: string) => (e === 'category' && id === 'shop-shoes' ? rootId : undefined);
      const op: WriteOp<'category'> = { kind: 'create', key: 'run', record: { name: 'Running', parentId: 'shop-shoes' } };
      const [a] = await c.write('category', [op], { lookup });
      const [b] = await c.write('category', [op], { lookup });
      expect(a).toMatchObject({ ok: true, created: true });
      expect(b).toMatchObject({ ok: true, created: false, id: a!.ok ? a!.id : '' });
      const [rec] = await c.fetch('category', [a!.ok ? a!.id : '']);
      expect(rec!.data).toEqual({ name: 'Running', parentId: rootId });
    });

    it('default list price per SKU is written through the template price and read back', async () => {
      const p = sneaker(`${P}P`, { '42': '20.00', '43': '20.00' });
      await c.write('product', [{ kind: 'create', key: 'p', record: p }], { lookup: noLookup });
      const [w] = await c.write('price', [{ kind: 'update', key: 'x', record: { sku: `${P}P-RUN-43`, pricelist: 'default', list: { amount: '25.00', currency: 'USD' }, sale: null, minQuantity: 0 } }], { lookup: noLookup });
      expect(w!.ok, JSON.stringify(w)).toBe(true);
      const recs = await c.fetch('price', [`${P}P-RUN-42@default`, `${P}P-RUN-43@default`]);
      expect(recs.map((r) => [r.id, r.data!.list.amount]).sort()).toEqual([
        [`${P}P-RUN-42@default`, '20.00'],
        [`${P}P-RUN-43@default`, '25.00'],
      ]);
    });

    it('customers: an update adds a new delivery address once; the email lookup ignores case', async () => {
      const rec = { email: `${P.toLowerCase()}.addr@example.com`, firstName: 'Bo', lastName: 'Address', company: null, phone: '+49 30 1', addresses: [{ type: 'delivery' as const, name: 'Bo', company: null, street: 'A-Str. 1', street2: null, city: 'Berlin', zip: '10115', state: null, country: 'DE', phone: null, email: null }] };
      const [r] = await c.write('customer', [{ kind: 'create', key: 'b', record: rec }], { lookup: noLookup });
      const id = r!.ok ? r!.id : '';
      const more = { ...rec, email: rec.email.toUpperCase(), addresses: [...rec.addresses, { ...rec.addresses[0]!, street: 'B-Str. 2' }] };
      for (let i = 0; i < 2; i++) {
        const [u] = await c.write('customer', [{ kind: 'create', key: 'b', record: more }], { lookup: noLookup });
        expect(u).toMatchObject({ ok: true, id, created: false });
      }
      const [got] = await c.fetch('customer', [id]);
      expect(got!.data!.addresses.filter((a) => a.type === 'delivery').map((a) => a.street).sort()).toEqual(['A-Str. 1', 'B-Str. 2']);
    });

    it('createOrder creates (the find before it is findOrderByNumber); confirmOrder confirms without reading first, stays idempotent, refuses a cancelled order', async () => {
      const [pr] = await c.write('product', [{ kind: 'create', key: 'k', record: sneaker(`${P}K`, { '42': '30.00' }) }], { lookup: noLookup });
      const pid = pr!.ok ? pr!.childIds![`${P}K-RUN-42`]! : '';
      const input = { number: `${P}-K1`, origin: 'test', partnerId: customerId, currency: 'USD', lines: [{ productId: pid, quantity: 1, priceUnit: '30.00', taxIds: [] }] };
      expect(await c.orders.findOrderByNumber(input.number)).toBeNull();
      sim.resetStats();
      const { order, created } = await c.orders.createOrder(input);
      expect(created).toBe(true);
      expect(sim.stats.byMethod['sale.order.search'] ?? 0).toBe(0); // no second lookup of the number
      expect((await c.orders.findOrderByNumber(input.number))?.id).toBe(order.id);
      sim.resetStats();
      expect((await c.orders.confirmOrder(order.id)).state).toBe('confirmed');
      expect(sim.stats.byMethod['sale.order.action_confirm']).toBe(1);
      expect(sim.stats.byMethod['sale.order.read']).toBe(1); // the state after the confirmation, no read before it
      // confirmed already: Odoo refuses the second action_confirm (UserError); the order is confirmed, so that is success
      expect((await c.orders.confirmOrder(order.id)).state).toBe('confirmed');
      const cancelled = await c.orders.createOrder({ ...input, number: `${P}-K2` });
      await c.orders.cancelOrder(cancelled.order.id);
      await expect(c.orders.confirmOrder(cancelled.order.id)).rejects.toSatisfy((e: unknown) => e instanceof SyncError && e.kind === 'conflict' && /cancelled/.test(e.message));
    });

    it('partial delivery leaves a backorder; the second validation delivers the rest; invoicing follows delivery', async () => {
      const [pr] = await c.write('product', [{ kind: 'create', key: 'd', record: sneaker(`${P}D`, { '42': '30.00' }) }], { lookup: noLookup });
      const pid = pr!.ok ? pr!.childIds![`${P}D-RUN-42`]! : '';
      const [loc] = await c.stock.listLocations();
      await c.stock.setOnHand([{ sku: `${P}D-RUN-42`, location: loc!.id, onHand: 5 }]);
      const { order } = await c.orders.createOrder({ number: `${P}-D1`, origin: 'test', partnerId: customerId, currency: 'USD', lines: [{ productId: pid, quantity: 3, priceUnit: '30.00', taxIds: [] }] });
      await c.orders.confirmOrder(order.id);
      await expect(c.orders.createInvoice(order.id)).rejects.toSatisfy((e: unknown) => e instanceof SyncError && e.kind === 'invalid_data' && /nothing delivered/.test(e.message));
      const first = await c.orders.validateDelivery(order.id, { lines: [{ sku: `${P}D-RUN-42`, quantity: 1 }], trackingNumber: 'T-1' });
      expect(first).toMatchObject({ state: 'done', trackingNumber: 'T-1' });
      expect(first.lines[0]!.done).toBe(1);
      let shipments = await c.orders.listShipments(order.id);
      expect(shipments.filter((s) => s.kind === 'outgoing' && s.state !== 'done' && s.state !== 'cancelled')).toHaveLength(1);
      expect((await c.orders.getOrder(order.id)).deliveryStatus).toBe('partial');
      const again = await c.orders.validateDelivery(order.id, { lines: [{ sku: `${P}D-RUN-42`, quantity: 1 }], trackingNumber: 'T-1' });
      expect(again.id).toBe(first.id);
      const second = await c.orders.validateDelivery(order.id, { trackingNumber: 'T-2' });
      expect(second.id).not.toBe(first.id);
      expect(second.lines[0]!.done).toBe(2);
      shipments = await c.orders.listShipments(order.id);
      expect(shipments.filter((s) => s.kind === 'outgoing').every((s) => s.state === 'done')).toBe(true);
      const levels = await c.stock.readStock({ skus: [`${P}D-RUN-42`] });
      expect(levels.reduce((a, l) => a + l.onHand, 0)).toBe(2);
      const inv = await c.orders.createInvoice(order.id);
      expect(inv.total.amount).toBe('90.00');
    });

    it('a partial credit note is posted for exactly the amount asked', async () => {
      const [pr] = await c.write('product', [{ kind: 'create', key: 'cn', record: sneaker(`${P}C`, { '42': '40.00' }) }], { lookup: noLookup });
      const pid = pr!.ok ? pr!.childIds![`${P}C-RUN-42`]! : '';
      const [loc] = await c.stock.listLocations();
      await c.stock.setOnHand([{ sku: `${P}C-RUN-42`, location: loc!.id, onHand: 5 }]);
      const { order } = await c.orders.createOrder({ number: `${P}-C1`, origin: 'test', partnerId: customerId, currency: 'USD', lines: [{ productId: pid, quantity: 2, priceUnit: '40.00', taxIds: [] }] });
      await c.orders.confirmOrder(order.id);
      await c.orders.validateDelivery(order.id, {});
      const inv = await c.orders.createInvoice(order.id);
      const cn = await c.orders.createCreditNote(inv.id, { amount: Money.of('12.34', 'USD'), reason: 'damaged box', key: 'k1' });
      expect(cn).toMatchObject({ kind: 'credit_note', state: 'posted', reversalOf: inv.id });
      expect(cn.total.amount).toBe('12.34');
      expect((await c.orders.createCreditNote(inv.id, { amount: Money.of('12.34', 'USD'), reason: 'damaged box', key: 'k1' })).id).toBe(cn.id);
      await expect(c.orders.createCreditNote(inv.id, { amount: Money.of('999.00', 'USD'), reason: 'x' })).rejects.toSatisfy((e: unknown) => e instanceof SyncError && e.kind === 'invalid_data');
      const invoices = await c.orders.listInvoices(order.id);
      expect(invoices.map((i) => i.kind).sort()).toEqual(['credit_note', 'invoice']);
    });

    it('payment de-dup is exact: a transaction id inside an earlier memo, or with % and _, still registers', async () => {
      const [pr] = await c.write('product', [{ kind: 'create', key: 'pay', record: sneaker(`${P}P`, { '42': '20.00' }) }], { lookup: noLookup });
      const pid = pr!.ok ? pr!.childIds![`${P}P-RUN-42`]! : '';
      const [loc] = await c.stock.listLocations();
      await c.stock.setOnHand([{ sku: `${P}P-RUN-42`, location: loc!.id, onHand: 10 }]);
      const paidAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const pay = async (n: string, transactionId: string) => {
        const { order } = await c.orders.createOrder({ number: n, origin: 'test', partnerId: customerId, currency: 'USD', lines: [{ productId: pid, quantity: 1, priceUnit: '20.00', taxIds: [] }] });
        await c.orders.confirmOrder(order.id);
        await c.orders.validateDelivery(order.id, {});
        const inv = await c.orders.createInvoice(order.id);
        return c.orders.registerPayment(inv.id, { orderNumber: n, amount: inv.total.toJSON(), method: 'card', transactionId, paidAt });
      };
      expect((await pay(`${P}-P1`, 'ch_12345')).residual.isZero()).toBe(true);
      // "ch_1234" is a substring of the first memo; "ch_%" matches it as a LIKE pattern
      expect((await pay(`${P}-P2`, 'ch_1234')).residual.isZero()).toBe(true);
      expect((await pay(`${P}-P3`, 'ch_%')).residual.isZero()).toBe(true);
    });

    it('reads orders, invoices, shipments and stock as canonical records, incrementally', async () => {
      const orders = await readAll(c, 'order');
      const o = orders.records.find((r) => r.data?.number === `${P}-D1`);
      expect(o?.data).toMatchObject({ status: 'shipped', currency: 'USD', total: { amount: '90.00', currency: 'USD' } });
      expect(o?.data?.lines[0]).toMatchObject({ sku: `${P}D-RUN-42`, quantity: 3 });
      const invoices = await readAll(c, 'invoice');
      expect(invoices.records.some((r) => r.data?.orderNumber === `${P}-D1` && r.data.kind === 'invoice')).toBe(true);
      const shipments = await readAll(c, 'shipment');
      expect(shipments.records.some((r) => r.data?.trackingNumber === 'T-2')).toBe(true);
      const stock = await readAll(c, 'stock');
      expect(stock.records.find((r) => r.id.startsWith(`${P}D-RUN-42@`))?.data).toMatchObject({ onHand: 2, available: 2, reserved: 0 });
      const after = await readAll(c, 'order', orders.cursor);
      expect(after.records.length).toBeLessThan(orders.records.length);
    });

    it('stock writes: counts per SKU and location, an unknown SKU fails alone with not_found', async () => {
      await c.write('product', [{ kind: 'create', key: 's', record: sneaker(`${P}S`, { '42': '10.00' }) }], { lookup: noLookup });
      const [loc] = await c.stock.listLocations();
      const res = await c.write('stock', [
        { kind: 'update', key: 'a', record: { sku: `${P}S-RUN-42`, location: loc!.id, onHand: 7, reserved: 0, available: 7 } },
        { kind: 'update', key: 'b', record: { sku: `${P}S-NOPE`, location: loc!.id, onHand: 1, reserved: 0, available: 1 } },
      ], { lookup: noLookup });
      expect(res[0]).toMatchObject({ ok: true, id: `${P}S-RUN-42@${loc!.id}` });
      expect(res[1]!.ok).toBe(false);
      if (!res[1]!.ok) expect(res[1]!.error.kind).toBe('not_found');
      const [rec] = await c.fetch('stock', [`${P}S-RUN-42@${loc!.id}`]);
      expect(rec!.data).toMatchObject({ onHand: 7, available: 7, reserved: 0 });
    });

    it('an order in a currency without a pricelist is refused with a clear config error', async () => {
      await expect(c.orders.createOrder({ number: `${P}-JPY`, origin: 't', partnerId: customerId, currency: 'JPY', lines: [] })).rejects.toSatisfy((e: unknown) => e instanceof SyncError && e.kind === 'config' && /pricelist in JPY/.test(e.message));
    });

    it('check() for the restricted sales user names the missing rights and the group to add', async () => {
      const restricted = connect(sim, sim.restricted.apiKey, sim.restricted.login);
      const report = await restricted.check({ entities: { order: ['read'] }, actions: ['invoicing', 'payments'] });
      expect(report.ok).toBe(false);
      const move = report.items.find((i) => i.name === 'access account.move');
      expect(move?.ok).toBe(false);
      expect(move?.message).toMatch(/lacks .*account\.move/);
      expect(move?.hint).toMatch(/Invoicing \/ Billing/);
      expect(report.items.find((i) => i.name === 'login')?.ok).toBe(true);
    });

    it('a serialization failure reaches the engine as a retryable conflict', async () => {
      sim.faults.serializationFailureRate = 1;
      try {
        await expect(c.findByNaturalKey('product', [{ type: 'sku', value: 'X' }])).rejects.toSatisfy((e: unknown) => e instanceof SyncError && e.kind === 'conflict' && e.retryable);
      } finally {
        sim.faults.serializationFailureRate = 0;
      }
    });
  });
}
