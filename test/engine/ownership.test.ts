import { describe, expect, it } from 'vitest';
import { ownedFields, overlay, pick } from '../../src/engine/records/ownership.js';
import { unknownOwnedPaths } from '../../src/model/fields.js';
import { hashValue, stableStringify } from '../../src/engine/records/hash.js';

const flow = (direction: 'shop->erp' | 'erp->shop' | 'both', fields: Record<string, 'shop' | 'erp'> = {}, def?: 'shop' | 'erp') => ({ direction, owner: { ...(def && { default: def }), fields } });

describe('ownedFields', () => {
  it.each([
    ['one-way shop->erp: the shop owns every field', flow('shop->erp'), 'shop', ['name', 'description', 'categoryIds', 'attributes', 'variants', 'active', 'tracksStock']],
    ['one-way shop->erp: the erp owns nothing', flow('shop->erp'), 'erp', []],
    ['erp->shop defaults to the erp', flow('erp->shop'), 'erp', ['name', 'description', 'categoryIds', 'attributes', 'variants', 'active', 'tracksStock']],
    ['both: nested ownership splits the variants', flow('both', { 'variants.price': 'erp', 'variants.salePrice': 'erp' }), 'erp', ['variants.price', 'variants.salePrice']],
    ['both: the rest stays with the default', flow('both', { 'variants.price': 'erp' }), 'shop', ['name', 'description', 'categoryIds', 'attributes', 'variants.sku', 'variants.barcode', 'variants.attributes', 'variants.salePrice', 'variants.weight', 'variants.active', 'active', 'tracksStock']],
    ['a whole top-level field', flow('both', { description: 'erp' }, 'shop'), 'erp', ['description']],
  ] as const)('%s', (_t, f, side, expected) => {
    expect(ownedFields('product', f as never, side)).toEqual(expected);
  });

  it('names unknown paths', () => {
    expect(unknownOwnedPaths('product', ['variants.price', 'variants.nope', 'nope', 'name'])).toEqual(['variants.nope', 'nope']);
  });
});

describe('pick and overlay', () => {
  const shop = { name: 'Sneaker', variants: [{ sku: 'A', price: { amount: '10.00', currency: 'EUR' }, barcode: null }, { sku: 'B', price: { amount: '11.00', currency: 'EUR' }, barcode: '123' }] };
  const erp = { name: 'Old', variants: [{ sku: 'B', price: { amount: '99.00', currency: 'EUR' }, barcode: 'X' }, { sku: 'A', price: { amount: '98.00', currency: 'EUR' }, barcode: 'Y' }] };

  it('picks nested leaves per array item', () => {
    expect(pick(shop, ['name', 'variants.sku'])).toEqual({ name: 'Sneaker', variants: [{ sku: 'A' }, { sku: 'B' }] });
  });

  it('overlays owned leaves matched by SKU and keeps the target\'s other fields', () => {
    const merged = overlay(erp, shop, ['name', 'variants.barcode']);
    expect(merged.name).toBe('Sneaker');
    expect(merged.variants).toEqual([
      { sku: 'A', price: { amount: '98.00', currency: 'EUR' }, barcode: null },
      { sku: 'B', price: { amount: '99.00', currency: 'EUR' }, barcode: '123' },
    ]);
  });
});

describe('hash', () => {
  it('ignores key order and equal money spellings', () => {
    expect(hashValue({ a: 1, b: { amount: '89', currency: 'EUR' } })).toBe(hashValue({ b: { currency: 'EUR', amount: '89.00' }, a: 1 }));
  });
  it('sees a one-cent change', () => {
    expect(hashValue({ p: { amount: '89.00', currency: 'EUR' } })).not.toBe(hashValue({ p: { amount: '89.01', currency: 'EUR' } }));
  });
  it('treats undefined as absent', () => {
    expect(stableStringify({ a: undefined, b: 1 })).toBe('{"b":1}');
  });
});
