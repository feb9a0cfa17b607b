/**
 * Pure mappers, table-tested. Inputs are the records real Odoo 17/19 servers returned (recordings), so the
 * shapes (many2one pairs, `false` for empty, floats like 89.0) are the real ones.
 */
import { describe, it, expect } from 'vitest';
import { Money } from '../../../src/model/index.js';
import { decimal, htmlToText, isoToOdoo, m2oId, m2oName, money, odooToIso, orNull, priceString, text, type OdooRecord } from '../../../src/connectors/odoo/values.js';
import { matchVariants, priceExtras, productFromOdoo, ptavFromRecord, templateVals } from '../../../src/connectors/odoo/map-product.js';
import { childCommands, customerFromOdoo, partnerVals, splitName } from '../../../src/connectors/odoo/map-customer.js';
import { lineCommand, orderFromOdoo, orderStateFromOdoo, orderStatus } from '../../../src/connectors/odoo/map-order.js';
import { invoiceStateFromOdoo, invoiceToCanonical, shipmentFromOdoo, shipmentToCanonical } from '../../../src/connectors/odoo/map-finance.js';
import { traitsFor } from '../../../src/connectors/odoo/versions.js';
import { loadFlow, type Exchange17, type Exchange19 } from './recordings.js';

const flow17 = (file: string) => loadFlow<Exchange17>('odoo17', file);
const result17 = (file: string, seq: number) => (flow17(file).find((x) => x.seq === seq)!.response as { result: unknown }).result;
const args17 = (file: string, seq: number) => (flow17(file).find((x) => x.seq === seq)!.request as { params: { args: unknown[] } }).params.args;
const body19 = (file: string, seq: number) => loadFlow<Exchange19>('odoo19', file).find((x) => x.seq === seq)!.response.body;

describe('odoo values', () => {
  it.each([
    [[11, 'All / Sneakers'], 11, 'All / Sneakers'],
    [false, null, null],
    [undefined, null, null],
  ])('many2one %j → id %j, name %j', (v, id, name) => {
    expect(m2oId(v as never)).toBe(id);
    expect(m2oName(v as never)).toBe(name);
  });

  it.each([
    [false, null],
    ['', ''],
    ['x', 'x'],
  ])('text %j → %j (false is empty)', (v, out) => {
    expect(text(v as never)).toBe(out);
    expect(orNull(v === false ? false : v)).toBe(v === false ? null : v);
  });

  it.each([
    [89, 'USD', '89.00'],
    [89.0, 'EUR', '89.00'],
    [334.02, 'USD', '334.02'],
    [107.55, 'USD', '107.55'],
    [0.1, 'USD', '0.10'],
    [1.005, 'USD', '1.01'],
    [12.5, 'JPY', '13'],
    [2.5, 'JPY', '3'],
    [0.0005, 'KWD', '0.001'],
    [-4.9, 'USD', '-4.90'],
  ])('money(%j, %s) = %s (Decimal.parse of the JSON number, half-up to the currency)', (v, cur, amount) => {
    expect(money(v, cur).toJSON()).toEqual({ amount, currency: cur });
  });

  it('exact decimals for sums of floats that drift in binary (0.1 + 0.2)', () => {
    expect(decimal(0.1).add(decimal(0.2)).toString()).toBe('0.3');
    expect(money(19.99, 'EUR').add(money(0.01, 'EUR')).eq(Money.of('20.00', 'EUR'))).toBe(true);
  });

  it.each([
    [89, 'USD', '89.00'],
    [119.5, 'USD', '119.50'],
    [0.125, 'USD', '0.125'],
  ])('priceString(%j) = %s', (v, cur, s) => expect(priceString(v, cur)).toBe(s));

  it.each([
    ['2026-11-26 14:00:03', '2026-11-26T14:00:03Z'],
    ['2026-11-26', '2026-11-26T00:00:00Z'],
    [false, null],
  ])('odooToIso(%j) = %j', (v, iso) => expect(odooToIso(v as never)).toBe(iso));

  it.each([
    ['2026-11-26T14:00:03Z', '2026-11-26 14:00:03'],
    ['2026-11-26T15:00:03+01:00', '2026-11-26 14:00:03'],
    ['2026-03-29T03:30:00+02:00', '2026-03-29 01:30:00'],
  ])('isoToOdoo(%s) = %s (UTC)', (iso, odoo) => expect(isoToOdoo(iso)).toBe(odoo));

  it('html note → text', () => {
    expect(htmlToText('<p>Leave at the door</p>')).toBe('Leave at the door');
    expect(htmlToText('<p>a &amp; b</p><p>c</p>')).toBe('a & b\nc');
    expect(htmlToText(false)).toBe('');
  });
});

describe('odoo product mapper (02_catalog of 17)', () => {
  const t17 = traitsFor(17);
  const tmpl = (result17('02_catalog.jsonl', 11) as OdooRecord[])[0]!;
  const ptavs = new Map((result17('02_catalog.jsonl', 13) as OdooRecord[]).map((r) => [r.id, ptavFromRecord({ ...r, price_extra: r.id === 25 ? 5 : (r.price_extra ?? 0) })]));
  const skus = new Map([16, 17, 18].map((s) => {
    const a = args17('02_catalog.jsonl', s);
    return [(a[5] as [number[]])[0][0]!, (a[5] as [number[], { default_code: string; barcode: string }])[1]];
  }));
  const variants = (result17('02_catalog.jsonl', 15) as OdooRecord[])
    .filter((v) => m2oId(v.product_tmpl_id) === tmpl.id)
    .map((v) => ({ ...v, default_code: skus.get(v.id)!.default_code, barcode: skus.get(v.id)!.barcode }));

  it('template + variants → canonical product with attributes, SKUs, barcodes and lst_price per variant', () => {
    const { product, childIds } = productFromOdoo(tmpl, variants, ptavs, 'USD', t17);
    expect(product.name).toBe('Runner Sneaker 20261126140000');
    expect(product.categoryIds).toEqual(['11']);
    expect(product.tracksStock).toBe(true);
    expect(product.attributes).toEqual([{ name: 'Size 20261126140000', values: ['42', '43', '44'] }]);
    expect(product.variants.map((v) => [v.sku, v.barcode, v.attributes, v.price.amount])).toEqual([
      ['RUN-42-140000', '2926140000008', { 'Size 20261126140000': '42' }, '89.00'],
      ['RUN-43-140000', '2926140000015', { 'Size 20261126140000': '43' }, '89.00'],
      ['RUN-44-140000', '2926140000022', { 'Size 20261126140000': '44' }, '94.00'],
    ]);
    expect(childIds).toEqual({ 'RUN-42-140000': '3246', 'RUN-43-140000': '3247', 'RUN-44-140000': '3248' });
  });

  it('a variant without default_code cannot be mapped (no SKU to match)', () => {
    expect(() => productFromOdoo(tmpl, [{ ...variants[0]!, default_code: false }], ptavs, 'USD', t17)).toThrow(/default_code/);
  });

  it('storable per version: 17 detailed_type product, 19 is_storable', () => {
    const t19 = traitsFor(19);
    const tmpl19 = (body19('02_catalog.jsonl', 9) as OdooRecord[])[0]!;
    expect(productFromOdoo(tmpl19, [{ ...variants[0]!, product_template_attribute_value_ids: [] }], new Map(), 'USD', t19).product.tracksStock).toBe(true);
    expect(productFromOdoo({ ...tmpl, detailed_type: 'consu', type: 'consu' }, variants, ptavs, 'USD', t17).product.tracksStock).toBe(false);
  });

  it('canonical → template vals per version (the recorded create values)', () => {
    const { product } = productFromOdoo(tmpl, variants, ptavs, 'USD', t17);
    const attrIds = new Map([['Size 20261126140000', { id: 5, values: new Map([['42', 11], ['43', 12], ['44', 13]]) }]]);
    const v17 = templateVals({ product, traits: t17, categId: 11, attributeIds: attrIds, invoicePolicy: 'delivery' }, 'create');
    const recorded = (args17('02_catalog.jsonl', 8)[5] as [Record<string, unknown>])[0];
    expect(v17).toMatchObject({ name: product.name, detailed_type: 'product', categ_id: 11, list_price: 89, invoice_policy: 'delivery', sale_ok: true, attribute_line_ids: recorded.attribute_line_ids });
    // default: invoiceable on order, so an order can be invoiced when it is paid, before it ships
    expect(templateVals({ product, traits: t17, categId: 11, attributeIds: attrIds }, 'create')).toMatchObject({ invoice_policy: 'order' });
    const v19 = templateVals({ product, traits: traitsFor(19), categId: 11, attributeIds: attrIds }, 'create');
    expect(v19).toMatchObject({ type: 'consu', is_storable: true });
    expect(v19).not.toHaveProperty('detailed_type');
    const simple = templateVals({ product: { ...product, attributes: [], variants: [product.variants[0]!] }, traits: t17 }, 'create');
    expect(simple).toMatchObject({ default_code: 'RUN-42-140000', barcode: '2926140000008' });
    expect(simple).not.toHaveProperty('attribute_line_ids');
  });

  it('variant prices → PTAV price_extra on the one attribute they depend on', () => {
    const zero = new Map([...ptavs].map(([id, p]) => [id, { ...p, priceExtra: 0 }]));
    const { product } = productFromOdoo(tmpl, variants, zero, 'USD', t17);
    const priced = { ...product, variants: product.variants.map((v) => ({ ...v, price: { amount: v.sku.startsWith('RUN-44') ? '96.50' : '89.00', currency: 'USD' } })) };
    const matched = matchVariants(priced, variants, zero);
    expect(matched.size).toBe(3);
    expect([...priceExtras(priced, matched, zero, 'USD')!]).toEqual([[25, '7.50']]);
    const flat = { ...priced, variants: priced.variants.map((v) => ({ ...v, price: { amount: '89.00', currency: 'USD' } })) };
    expect([...priceExtras(flat, matchVariants(flat, variants, ptavs), ptavs, 'USD')!]).toEqual([[25, '0']]);
  });
});

describe('odoo customer mapper (05_customer of 17)', () => {
  const parent = (result17('05_customer.jsonl', 8) as OdooRecord[])[0]!;
  const children: OdooRecord[] = (result17('05_customer.jsonl', 9) as OdooRecord[]).map((c) => ({ ...c, city: 'Berlin', zip: '10117' }));
  const geo = { countries: new Map([[57, 'DE'], [233, 'US']]), states: new Map<number, string>() };

  it('parent + delivery/invoice children → customer with addresses, country as ISO code', () => {
    const c = customerFromOdoo(parent, children, geo);
    expect(c.email).toBe('Anna.Muster+20261126140000@Example.com');
    expect([c.firstName, c.lastName]).toEqual(['Anna', 'Muster']);
    expect(c.phone).toBe('+49 30 123456');
    expect(c.addresses.map((a) => [a.type, a.street, a.city, a.country])).toEqual([
      ['contact', 'Hauptstr. 1', 'Berlin', 'DE'],
      ['delivery', 'Packstation 101', 'Berlin', 'DE'],
      ['invoice', children[1]!.street, 'Berlin', 'DE'],
    ]);
  });

  it('a partner without email cannot be a shop customer', () => {
    expect(() => customerFromOdoo({ ...parent, email: false }, [], geo)).toThrow(/no email/);
  });

  it.each([
    ['Anna Muster', 'Anna', 'Muster'],
    ['Anna Maria  Muster', 'Anna Maria', 'Muster'],
    ['Cher', 'Cher', ''],
  ])('splitName(%s)', (n, f, l) => expect(splitName(n)).toEqual({ firstName: f, lastName: l }));

  it('canonical → partner vals and child commands; existing children are not created twice', () => {
    const c = customerFromOdoo(parent, children, geo);
    const ids = { country: (code: string | null) => (code === 'DE' ? 57 : false) as number | false, state: () => false as const };
    expect(partnerVals(c, ids, 'create')).toMatchObject({ name: 'Anna Muster', email: c.email, country_id: 57, street: 'Hauptstr. 1', customer_rank: 1 });
    expect(childCommands(c, children, ids, geo)).toEqual([]);
    const more = { ...c, addresses: [...c.addresses, { ...c.addresses[1]!, street: 'Neue Str. 5' }] };
    expect(childCommands(more, children, ids, geo)).toEqual([[0, 0, expect.objectContaining({ type: 'delivery', street: 'Neue Str. 5', country_id: 57 })]]);
  });
});

describe('odoo order mapper (06_order_flow)', () => {
  const order = (result17('06_order_flow.jsonl', 3) as OdooRecord[])[0]!;
  const lines = result17('06_order_flow.jsonl', 4) as OdooRecord[];
  const skuOf = (id: number) => ({ 3246: 'RUN-42-140000', 3249: 'TRL-42-140000', 3264: 'SHIP-140000' })[id] ?? null;

  it('sale.order → ErpOrderState with exact money from floats', () => {
    const s = orderStateFromOdoo(order, lines, skuOf, 'USD');
    expect(s).toMatchObject({ id: '8', name: 'S00008', number: 'WC-1000', state: 'draft', currency: 'USD', deliveryStatus: 'none', invoiceStatus: 'no', pickingIds: [], invoiceIds: [] });
    expect([s.untaxed.amount, s.tax.amount, s.total.amount]).toEqual(['290.45', '43.57', '334.02']);
    expect(s.lines.map((l) => [l.sku, l.quantity, l.priceUnit])).toEqual([
      ['RUN-42-140000', 2, '89.00'],
      ['TRL-42-140000', 1, '119.50'],
      ['SHIP-140000', 1, '4.90'],
    ]);
  });

  it.each([
    [{ state: 'draft' }, 'draft', 'pending'],
    [{ state: 'sent' }, 'draft', 'pending'],
    [{ state: 'sale', delivery_status: 'pending' }, 'confirmed', 'confirmed'],
    [{ state: 'sale', delivery_status: 'partial' }, 'confirmed', 'partially_shipped'],
    [{ state: 'sale', delivery_status: 'full' }, 'confirmed', 'shipped'],
    [{ state: 'cancel' }, 'cancelled', 'cancelled'],
    [{ state: 'done' }, 'done', 'completed'],
  ])('state %j → ERP %s, shop status %s', (vals, erp, status) => {
    expect(orderStateFromOdoo({ ...order, ...vals } as OdooRecord, [], skuOf, 'USD').state).toBe(erp);
    expect(orderStatus({ ...order, ...vals } as OdooRecord)).toBe(status);
  });

  it('order line command per version: 17 tax_id, 19 tax_ids; discount only when set', () => {
    const line = { productId: '3249', quantity: 1, priceUnit: '119.50', discountPercent: '10', taxIds: ['1'] };
    expect(lineCommand(line, traitsFor(17))).toEqual([0, 0, { product_id: 3249, product_uom_qty: 1, price_unit: 119.5, discount: 10, tax_id: [[6, 0, [1]]] }]);
    expect(lineCommand({ ...line, discountPercent: '0' }, traitsFor(19))).toEqual([0, 0, { product_id: 3249, product_uom_qty: 1, price_unit: 119.5, tax_ids: [[6, 0, [1]]] }]);
  });

  it('→ canonical Order for the shop (lines, shipping line, note, totals)', () => {
    const partners = new Map([[1218, { id: 1218, name: 'Anna Muster', email: 'anna@example.com', phone: false, country_id: [57, 'Germany'] }], [1219, { id: 1219, name: 'Packstation', street: 'Packstation 101', country_id: [57, 'Germany'] }]] as Array<[number, OdooRecord]>);
    const withDelivery = lines.map((l) => (l.id === 13 ? { ...l, is_delivery: true } : l));
    const o = orderFromOdoo(order, { lines: withDelivery, partners, skuOf, geo: { countries: new Map([[57, 'DE']]), states: new Map() }, fallbackCurrency: 'USD' });
    expect(o.number).toBe('WC-1000');
    expect(o.status).toBe('pending');
    expect(o.note).toBe('Leave at the door');
    expect(o.lines).toHaveLength(2);
    expect(o.lines[1]).toMatchObject({ sku: 'TRL-42-140000', unitPrice: { amount: '119.50', currency: 'USD' }, discount: { amount: '11.95', currency: 'USD' }, subtotal: { amount: '107.55', currency: 'USD' } });
    expect(o.shipping).toEqual([{ method: 'Shipping: DHL Paket', carrier: 'Standard delivery', total: { amount: '4.90', currency: 'USD' }, tax: { amount: expect.any(String), currency: 'USD' } }]);
    expect(o.total).toEqual({ amount: '334.02', currency: 'USD' });
    expect(o.shippingAddress?.country).toBe('DE');
  });
});

describe('odoo invoice and shipment mappers', () => {
  const t17 = traitsFor(17);
  it('draft invoice name "/" (17) and false (19) → null; posted → number; credit note links its invoice', () => {
    const draft17 = (result17('06_order_flow.jsonl', 23) as OdooRecord[])[0]!;
    const posted17 = (result17('06_order_flow.jsonl', 25) as OdooRecord[])[0]!;
    const draft19 = (body19('06_order_flow.jsonl', 22) as OdooRecord[])[0]!;
    const credit17 = (result17('06_order_flow.jsonl', 52) as OdooRecord[])[0]!;
    expect(invoiceStateFromOdoo(draft17, ['8'], 'USD')).toMatchObject({ name: null, state: 'draft', kind: 'invoice', paymentState: 'not_paid' });
    expect(invoiceStateFromOdoo(draft19, ['1'], 'USD').name).toBeNull();
    const p = invoiceStateFromOdoo(posted17, ['8'], 'USD');
    expect(p).toMatchObject({ name: 'INV/2026/00004', state: 'posted' });
    expect(p.total.amount).toBe('334.02');
    expect(invoiceStateFromOdoo(credit17, ['8'], 'USD')).toMatchObject({ kind: 'credit_note', reversalOf: '10', name: 'RINV/2026/00004' });
    expect(invoiceToCanonical({ ...posted17, payment_state: 'paid', amount_residual: 0 }, 'WC-1000', 'USD')).toMatchObject({ state: 'paid', number: 'INV/2026/00004', amountDue: { amount: '0.00', currency: 'USD' } });
  });

  it('picking + moves → shipment (delivery and its return)', () => {
    const picking = { ...(result17('06_order_flow.jsonl', 9) as OdooRecord[])[0]!, state: 'done', carrier_tracking_ref: 'DHL-1', date_done: '2026-11-26 14:00:09' };
    const moves = (result17('06_order_flow.jsonl', 10) as OdooRecord[]).map((m) => ({ ...m, picking_id: [9, 'WH/OUT/00006'], state: 'done' }));
    const skuOf = (id: number) => ({ 3246: 'RUN-42-140000', 3249: 'TRL-42-140000' })[id] ?? null;
    const s = shipmentFromOdoo(picking as OdooRecord, moves as OdooRecord[], skuOf, t17);
    expect(s).toMatchObject({ id: '9', kind: 'outgoing', state: 'done', trackingNumber: 'DHL-1', carrier: 'Standard delivery', doneAt: '2026-11-26T14:00:09Z' });
    expect(s.lines).toEqual([
      { sku: 'RUN-42-140000', productId: '3246', quantity: 2, done: 2 },
      { sku: 'TRL-42-140000', productId: '3249', quantity: 1, done: 1 },
    ]);
    expect(shipmentToCanonical(s)).toMatchObject({ state: 'shipped', trackingNumber: 'DHL-1', lines: [{ sku: 'RUN-42-140000', quantity: 2 }, { sku: 'TRL-42-140000', quantity: 1 }] });
    const ret = (result17('06_order_flow.jsonl', 39) as OdooRecord[])[0]!;
    expect(shipmentFromOdoo(ret, [], skuOf, t17)).toMatchObject({ kind: 'return', returnOf: '9', state: 'ready' });
    expect(shipmentFromOdoo(ret, [], skuOf, t17).tandemKey).toBeUndefined();
    // Tandem's own return carries its key in the origin; a fresh store finds it there.
    expect(shipmentFromOdoo({ ...ret, origin: 'Return of WH/OUT/00006 [tandem:shop-refund:21]' }, [], skuOf, t17).tandemKey).toBe('shop-refund:21');
  });
});
