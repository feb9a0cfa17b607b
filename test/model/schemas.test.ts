import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  AddressSchema,
  CustomerSchema,
  ENTITY_TYPES,
  MoneySchema,
  OrderSchema,
  PriceSchema,
  ProductSchema,
  SCHEMAS,
  StockLevelSchema,
  UtcTimestamp,
  normalizeEmail,
} from '../../src/model/entities.js';

const eur = (amount: string) => ({ amount, currency: 'EUR' });

const product = {
  name: 'Sneaker Runner',
  variants: [{ sku: 'SNK-42', attributes: { Size: '42' }, price: eur('89.00') }],
};

const order = {
  number: '1042',
  status: 'pending',
  currency: 'EUR',
  createdAt: '2026-11-26T14:25:00Z',
  customer: { email: 'ann@example.com' },
  lines: [{ id: '1', sku: 'SNK-42', quantity: 1, unitPrice: eur('89.00'), subtotal: eur('89.00'), tax: eur('16.91'), total: eur('105.91') }],
  total: eur('105.91'),
  totalTax: eur('16.91'),
};

/** The paths and messages of the issues for `value`. */
function issues(schema: z.ZodType, value: unknown): Array<{ path: string; message: string }> {
  const r = schema.safeParse(value);
  if (r.success) return [];
  return r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('canonical schemas', () => {
  it('has a schema for every entity type', () => {
    expect(Object.keys(SCHEMAS).sort()).toEqual([...ENTITY_TYPES].sort());
  });

  it('accepts a minimal record and fills the defaults', () => {
    const p = ProductSchema.parse(product);
    expect(p).toMatchObject({ description: '', categoryIds: [], active: true, tracksStock: true });
    expect(p.variants[0]).toMatchObject({ barcode: null, salePrice: null, weight: null, active: true });
    const o = OrderSchema.parse(order);
    expect(o).toMatchObject({ shipping: [], discounts: [], pricesIncludeTax: false, payment: null, shipments: [], refunds: [] });
    expect(o.lines[0]?.discount).toBeNull();
  });

  it.each([
    ['a price as a float', ProductSchema, { ...product, variants: [{ ...product.variants[0], price: { amount: 89.0, currency: 'EUR' } }] }, 'variants.0.price.amount'],
    ['a comma decimal', PriceSchema, { sku: 'A', list: eur('19,99') }, 'list.amount'],
    ['a lower-case currency', MoneySchema, { amount: '1.00', currency: 'eur' }, 'currency'],
    ['a product without variants', ProductSchema, { ...product, variants: [] }, 'variants'],
    ['an empty SKU', ProductSchema, { ...product, variants: [{ ...product.variants[0], sku: '' }] }, 'variants.0.sku'],
    ['an order without lines', OrderSchema, { ...order, lines: [] }, 'lines'],
    ['a zero quantity', OrderSchema, { ...order, lines: [{ ...order.lines[0], quantity: 0 }] }, 'lines.0.quantity'],
    ['an unknown status', OrderSchema, { ...order, status: 'paid' }, 'status'],
    ['a local timestamp', OrderSchema, { ...order, createdAt: '2026-11-26 14:25:00' }, 'createdAt'],
    ['a bad customer email', CustomerSchema, { email: 'not-an-email' }, 'email'],
    ['a country name', AddressSchema, { type: 'delivery', country: 'Germany' }, 'country'],
    ['a numeric stock SKU', StockLevelSchema, { sku: 42, location: 'WH', onHand: 1, available: 1 }, 'sku'],
  ] as const)('refuses %s, naming the field', (_what, schema, value, path) => {
    const found = issues(schema as z.ZodType, value);
    expect(found.map((i) => i.path)).toEqual([path]);
  });

  it('explains money and time format errors in words', () => {
    expect(issues(MoneySchema, { amount: 'abc', currency: 'EUR' })[0]?.message).toBe('must be a decimal string like "19.99"');
    expect(issues(MoneySchema, { amount: '1', currency: 'Euro' })[0]?.message).toBe('must be an ISO 4217 code like "EUR"');
    expect(issues(UtcTimestamp, '2026-11-26T14:25:00+01:00')[0]?.message).toBe('must be an ISO 8601 UTC timestamp ending in Z');
    expect(UtcTimestamp.safeParse('2026-11-26T14:25:00.123Z').success).toBe(true);
  });

  it('normalizes emails for matching', () => {
    expect(normalizeEmail('  Ann.Smith@Example.COM ')).toBe('ann.smith@example.com');
  });
});
