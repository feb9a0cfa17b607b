import { describe, expect, it } from 'vitest';
import { hashValue, stableStringify } from '../../src/engine/records/hash.js';

describe('hashValue', () => {
  it('gives the hashes stored on existing links (the text must never change)', () => {
    const product = {
      name: 'CAT Hoodie 1',
      description: '',
      categoryIds: [],
      attributes: [{ name: 'Size', values: ['S', 'M', 'L', 'XL'] }],
      variants: ['S', 'M', 'L', 'XL'].map((s, i) => ({ sku: `CAT-4-${s}`, barcode: null, attributes: { Size: s }, price: { amount: '14.90', currency: 'EUR' }, salePrice: null, weight: null, active: true, id: String(20 + i) })),
      active: true,
      tracksStock: true,
    };
    expect(hashValue(product)).toBe('yFewKFzHl_JI1DcbojJ_-p9XoyJq4PI6');
    expect(hashValue({})).toBe(hashValue({ a: undefined }));
  });

  it('orders keys as JSON.stringify of a sorted copy does: integer-like keys first, numerically', () => {
    expect(stableStringify({ b: 1, a: [undefined, 2], '10': 'x', '9': 'y', '01': 'z' })).toBe('{"9":"y","10":"x","01":"z","a":[null,2],"b":1}');
  });

  it('normalizes money amounts, the same amount again from the remembered form', () => {
    for (let i = 0; i < 2; i++) {
      expect(stableStringify({ p: { currency: 'EUR', amount: '89.00' } })).toBe('{"p":{"amount":"89","currency":"EUR"}}');
      expect(stableStringify({ p: { amount: '-0.50', currency: 'EUR' } })).toBe('{"p":{"amount":"-0.5","currency":"EUR"}}');
    }
    expect(stableStringify({ amount: 'abc', currency: 'EUR' })).toBe('{"amount":"abc","currency":"EUR"}');
  });
});
