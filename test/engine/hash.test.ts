import { describe, expect, it } from 'vitest';
import { hashValue, stableStringify } from '../../src/engine/records/hash.js';
import { Decimal } from '../../src/model/decimal.js';

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

/** The text before hashes were written directly: JSON.stringify of a sorted, money-normalized copy. */
function reference(value: unknown): string {
  const normalize = (v: unknown): unknown => {
    if (v === undefined) return null;
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(normalize);
    const obj = v as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 2 && typeof obj.amount === 'string' && typeof obj.currency === 'string' && Decimal.isDecimal(obj.amount)) {
      return { amount: Decimal.parse(obj.amount).normalize().toString(), currency: obj.currency };
    }
    const out: Record<string, unknown> = {};
    for (const k of keys.sort()) if (obj[k] !== undefined) out[k] = normalize(obj[k]);
    return out;
  };
  return JSON.stringify(normalize(value));
}

describe('stableStringify', () => {
  it('writes the same text as JSON.stringify of the sorted copy, for any JSON-like value', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const keys = ['a', 'b', 'Z', 'é', '10', '9', '01', '0', '-1', '4294967294', '4294967295', 'amount', 'currency', '__proto__', 'k"q', '\u2028', 'sku'];
    const leaf = (): unknown =>
      [null, undefined, true, false, 0, -0, 1.5, -3, 1e21, NaN, Infinity, '', 'x', 'quo"te\n', '\u0000\ud800', '89.00', ' 1.50 ', 'EUR', () => 1][rnd(19)];
    const gen = (depth: number): unknown => {
      const r = rnd(10);
      if (depth > 3 || r < 4) return leaf();
      if (r < 6) return Array.from({ length: rnd(4) }, () => gen(depth + 1));
      if (r < 7) return { amount: ['89.00', '-0.50', '1e3', 'abc', '7'][rnd(5)], currency: ['EUR', 'CHF'][rnd(2)] };
      const o: Record<string, unknown> = {};
      for (let i = rnd(6); i > 0; i--) Object.defineProperty(o, keys[rnd(keys.length)]!, { value: gen(depth + 1), enumerable: true, configurable: true, writable: true });
      return o;
    };
    for (let i = 0; i < 5000; i++) {
      const v = gen(0);
      expect(stableStringify(v)).toBe(reference(v));
    }
    const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays
    expect(stableStringify({ s: sparse, d: new Date(0), big: { a: 1, b: 2, c: 3, d: 4 } })).toBe(reference({ s: sparse, d: new Date(0), big: { a: 1, b: 2, c: 3, d: 4 } }));
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [i % 3 ? `k${39 - i}` : String(39 - i), i]));
    expect(stableStringify(many)).toBe(reference(many));
  });
});
