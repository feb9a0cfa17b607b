import { describe, expect, it } from 'vitest';
import { buildErpOrder, carrierNameFor, discountPercent, lineTaxRate, roundingDifference } from '../../src/engine/orders/build-order.js';
import type { Order } from '../../src/model/entities.js';
import { Money } from '../../src/model/money.js';
import { SyncError } from '../../src/shared/errors.js';

const eur = (amount: string) => ({ amount, currency: 'EUR' });
const cfg = { confirm: 'on_payment', invoice: 'on_payment', roundingTolerance: '0.05', roundingProduct: 'TANDEM-ROUNDING', carriers: { flat_rate: 'Standard delivery' }, taxes: [{ rate: '20', erpTax: 'VAT 20% incl.' }, { rate: '0', erpTax: 'Exempt' }], statusMap: {} } as const;

function order(over: Partial<Order> = {}): Order {
  return {
    number: '1042', status: 'confirmed', currency: 'EUR', createdAt: '2026-11-26T10:00:00Z',
    customer: { email: 'anna@example.com', firstName: 'Anna', lastName: 'K', id: null, phone: null },
    billingAddress: null, shippingAddress: null,
    lines: [{ id: '1', sku: 'SNK-43', name: 'Sneaker 43', quantity: 1, unitPrice: eur('89.00'), discount: null, subtotal: eur('74.17'), tax: eur('14.83'), taxRate: '20', total: eur('89.00') }],
    shipping: [{ method: 'flat_rate', carrier: null, total: eur('4.17'), tax: eur('0.83') }],
    discounts: [], taxes: [], pricesIncludeTax: true, total: eur('94.00'), totalTax: eur('15.66'), payment: null, note: '', shipments: [], refunds: [],
    ...over,
  };
}

const resolutions = { products: new Map([['SNK-43', ['501']]]), taxes: new Map([['name:VAT 20% incl.', [{ id: '7', name: 'VAT 20% incl.' }]], ['name:Exempt', [{ id: '9', name: 'Exempt' }]]]), carriers: new Map([['flat_rate', { id: '3', productId: '77' }]]), partnerId: '12' };

describe('shop order → ERP order', () => {
  it('maps lines, taxes, shipping with its carrier, and the order number', () => {
    const input = buildErpOrder(order(), cfg as never, resolutions, 'shop:1042');
    expect(input).toMatchObject({ number: '1042', origin: 'shop:1042', partnerId: '12', currency: 'EUR', carrierId: '3' });
    expect(input.lines).toEqual([
      { productId: '501', name: 'Sneaker 43', quantity: 1, priceUnit: '89.00', taxIds: ['7'] },
      { productId: '77', name: 'flat_rate', quantity: 1, priceUnit: '5.00', taxIds: ['7'], isShipping: true },
    ]);
  });

  it.each([
    ['unknown SKU → not_found naming the SKU', { products: new Map() }, 'not_found', /SKU SNK-43 is unknown/],
    ['SKU on two ERP products → conflict', { products: new Map([['SNK-43', ['1', '2']]]) }, 'conflict', /carried by 2 ERP products/],
    ['tax rule pointing to a missing ERP tax', { taxes: new Map() }, 'mapping', /ERP tax "VAT 20% incl\." .* does not exist/],
    ['shipping without carrier', { carriers: new Map([['flat_rate', null]]) }, 'mapping', /shipping "flat_rate" has no ERP delivery method/],
  ] as const)('%s', (_t, over, kind, msg) => {
    try {
      buildErpOrder(order(), cfg as never, { ...resolutions, ...over } as never, 'shop:1042');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SyncError);
      expect((e as SyncError).kind).toBe(kind);
      expect((e as SyncError).message).toMatch(msg);
      expect((e as SyncError).record).toBe('1042');
      expect((e as SyncError).hint).toBeTruthy();
    }
  });

  it('a rate without a rule is a mapping error that says which rule to add', () => {
    const o = order({ lines: [{ ...order().lines[0]!, taxRate: '7' }] });
    expect(() => buildErpOrder(o, cfg as never, resolutions, 'x')).toThrow(/taxed at 7 % and no rule in orders.taxes matches/);
  });

  it.each([
    [{ taxRate: '20', tax: eur('3.33'), subtotal: eur('16.66') }, '20'],
    [{ taxRate: null, tax: eur('3.00'), subtotal: eur('14.99') }, '20'],
    [{ taxRate: null, tax: eur('0.00'), subtotal: eur('10.00') }, '0'],
    [{ taxRate: null, tax: eur('1.33'), subtotal: eur('19.00') }, '7'],
  ] as const)('tax rate of a line %#', (line, rate) => {
    expect(lineTaxRate(line as never)).toBe(rate);
  });

  it.each([
    [eur('6.00'), '19.99', 3, '10'],
    [eur('5.99'), '19.99', 3, '9.99'],
    [eur('1.00'), '10.00', 1, '10'],
    [eur('0.01'), '3.00', 1, '0.3'],
    [eur('1.23'), '99.99', 1, '1.23'],
  ] as const)('discount percent %#', (discount, unit, qty, pct) => {
    expect(discountPercent({ ...order().lines[0]!, discount, unitPrice: eur(unit), quantity: qty })).toBe(pct);
  });
});

describe('rounding between shop and ERP totals', () => {
  it('equal totals need nothing', () => {
    expect(roundingDifference(order(), Money.of('94.00', 'EUR'), '0.05')).toBeNull();
  });
  it('a cent off becomes a rounding line of exactly that cent', () => {
    expect(roundingDifference(order(), Money.of('93.99', 'EUR'), '0.05')!.toString()).toBe('0.01 EUR');
    expect(roundingDifference(order(), Money.of('94.02', 'EUR'), '0.05')!.toString()).toBe('-0.02 EUR');
  });
  it('more than the tolerance is an error with both totals', () => {
    expect(() => roundingDifference(order(), Money.of('100.00', 'EUR'), '0.05')).toThrow(/ERP total 100\.00 EUR differs from the shop total 94\.00 EUR by -6\.00 EUR/);
  });
  it('another currency is an error', () => {
    expect(() => roundingDifference(order(), Money.of('94.00', 'USD'), '0.05')).toThrow(/in USD but the shop order in EUR/);
  });
});

describe('orders.carriers: which configured ERP carrier a shipping line asks for', () => {
  const carriers = { flat_rate: 'Standard delivery', 'Local pickup': 'Pickup', free_shipping: 'Free' };
  it.each([
    ['the shop method id as documented (WooCommerce method_id)', { method: 'Flat rate', methodId: 'flat_rate' }, 'Standard delivery'],
    ['a renamed or translated title still finds the method id', { method: 'Versand (DHL)', methodId: 'flat_rate' }, 'Standard delivery'],
    ['a title as key is still accepted', { method: 'Local pickup', methodId: 'local_pickup' }, 'Pickup'],
    ['the id wins over the title', { method: 'Local pickup', methodId: 'free_shipping' }, 'Free'],
    ['a shop without method ids: the title', { method: 'Local pickup' }, 'Pickup'],
    ['nothing configured: the title itself (an ERP carrier of that name)', { method: 'Express', methodId: 'express' }, 'Express'],
  ])('%s', (_t, line, expected) => {
    expect(carrierNameFor(carriers, line as { method: string; methodId?: string })).toBe(expected);
  });
});
