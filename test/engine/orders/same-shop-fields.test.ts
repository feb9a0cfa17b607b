/** The follow-up run skips re-storing the shop's view of an order only when the stored row says exactly the same. */
import { describe, expect, it } from 'vitest';
import { sameShopFields } from '../../../src/engine/orders/order-state.js';
import type { OrderRow, OrderUpsert } from '../../../src/store/order-repo.js';

const fields: OrderUpsert = { shopId: '7', number: '1001', email: 'a@example.com', currency: 'EUR', shopStatus: 'confirmed', shopTotal: '24.89', lines: [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 2 }], orderedAt: 1_800_000_000_000 };
const stored: OrderRow = { ...fields, email: 'a@example.com', erpId: '9', erpName: 'S00009', erpState: 'sale', erpTotal: '24.89', invoicedTotal: null, paidTotal: null, refundedTotal: null, creditedTotal: null, importedAt: 1, updatedAt: 2 } as OrderRow;

describe('sameShopFields', () => {
  it('is true for the same shop fields, whatever the ERP side says', () => {
    expect(sameShopFields(stored, fields)).toBe(true);
    expect(sameShopFields({ ...stored, erpState: 'cancel', paidTotal: '24.89' }, fields)).toBe(true);
  });
  it.each([
    ['number', { number: '1002' }],
    ['email', { email: 'b@example.com' }],
    ['currency', { currency: 'USD' }],
    ['status', { shopStatus: 'cancelled' }],
    ['total', { shopTotal: '24.90' }],
    ['placed at', { orderedAt: 1_800_000_000_001 }],
    ['a quantity', { lines: [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 3 }] }],
    ['a sku', { lines: [{ sku: 'A', quantity: 1 }, { sku: 'C', quantity: 2 }] }],
    ['a line less', { lines: [{ sku: 'A', quantity: 1 }] }],
  ] as const)('is false when the %s changed', (_, change) => {
    expect(sameShopFields(stored, { ...fields, ...change } as OrderUpsert)).toBe(false);
  });
});
