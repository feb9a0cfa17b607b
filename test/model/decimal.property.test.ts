import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal, divRound } from '../../src/model/decimal.js';
import { MODES, decimalArb, decimalTextArb, modeArb, referenceRound } from './reference.js';

describe('Decimal: parse and print', () => {
  it('parse(toString(d)) is d, digit for digit', () => {
    fc.assert(
      fc.property(decimalArb, (d) => {
        const back = Decimal.parse(d.toString());
        expect(back.coefficient).toBe(d.coefficient);
        expect(back.scale).toBe(d.scale);
      }),
    );
  });

  it('toString(parse(text)) is the text (a negative zero prints without its sign)', () => {
    fc.assert(
      fc.property(decimalTextArb, (text) => {
        const expected = /^-[0.]+$/.test(text) ? text.slice(1) : text;
        expect(Decimal.parse(text).toString()).toBe(expected);
      }),
    );
  });

  it('a JSON number parses to the decimal it prints as', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^-?(0|[1-9]\d{0,8})\.\d{1,6}$/), (text) => {
        expect(Decimal.parse(Number(text)).eq(text)).toBe(true);
      }),
    );
    expect(Decimal.parse(1e-7).toString()).toBe('0.0000001');
    expect(Decimal.parse(-1.5e-7).toString()).toBe('-0.00000015');
    expect(Decimal.parse(1e21).toString()).toBe('1000000000000000000000');
    expect(Decimal.parse(0.1 + 0.2).toString()).toBe('0.30000000000000004');
  });

  it('refuses what is not a decimal', () => {
    for (const bad of ['', '1,5', '1e5', '.5', '5.', '--1', 'NaN', '١٢']) {
      expect(() => Decimal.parse(bad), bad).toThrow(RangeError);
      expect(Decimal.isDecimal(bad), bad).toBe(false);
    }
    expect(() => Decimal.parse(Number.NaN)).toThrow(RangeError);
    expect(() => Decimal.parse(Infinity)).toThrow(RangeError);
    expect(() => Decimal.of(1n, -1)).toThrow(RangeError);
  });

  it('refuses a negative or fractional number of decimals instead of computing a wrong value', () => {
    const d = Decimal.parse('123.45');
    for (const scale of [-1, 1.5, Number.NaN]) {
      expect(() => d.round(scale), `round(${scale})`).toThrow(/bad scale/);
      expect(() => d.toFixed(scale), `toFixed(${scale})`).toThrow(/bad scale/);
      expect(() => d.div('3', scale), `div(${scale})`).toThrow(/bad scale/);
      expect(() => d.withScale(scale), `withScale(${scale})`).toThrow(/bad scale/);
    }
  });

  it('normalize and withScale keep the value', () => {
    fc.assert(
      fc.property(decimalArb, fc.integer({ min: 0, max: 6 }), (d, extra) => {
        const n = d.normalize();
        expect(n.eq(d)).toBe(true);
        expect(n.scale === 0 || n.coefficient % 10n !== 0n).toBe(true);
        const w = d.withScale(d.scale + extra);
        expect(w.eq(d)).toBe(true);
        expect(w.scale).toBe(d.scale + extra);
        if (d.scale > 0) expect(() => d.withScale(d.scale - 1)).toThrow(RangeError);
      }),
    );
  });
});

describe('Decimal: arithmetic is exact', () => {
  it('addition is associative and commutative; sub is its inverse', () => {
    fc.assert(
      fc.property(decimalArb, decimalArb, decimalArb, (a, b, c) => {
        expect(a.add(b).add(c).eq(a.add(b.add(c)))).toBe(true);
        expect(a.add(b).eq(b.add(a))).toBe(true);
        expect(a.add(b).sub(b).eq(a)).toBe(true);
        expect(a.sub(a).isZero()).toBe(true);
        expect(a.add(a.neg()).isZero()).toBe(true);
      }),
    );
  });

  it('multiplication distributes over addition', () => {
    fc.assert(
      fc.property(decimalArb, decimalArb, decimalArb, (a, b, c) => {
        expect(a.mul(b.add(c)).eq(a.mul(b).add(a.mul(c)))).toBe(true);
        expect(a.mul(b).scale).toBe(a.scale + b.scale);
      }),
    );
  });

  it('cmp agrees with the sign of the difference', () => {
    fc.assert(
      fc.property(decimalArb, decimalArb, (a, b) => {
        expect(a.cmp(b)).toBe(a.sub(b).sign());
        expect(b.cmp(a)).toBe(-a.cmp(b) as -1 | 0 | 1);
      }),
    );
  });

  it('div rounded down brackets the exact quotient within one unit of the last digit', () => {
    fc.assert(
      fc.property(decimalArb, decimalArb.filter((d) => !d.isZero()), fc.integer({ min: 0, max: 6 }), (a, b, scale) => {
        const q = a.div(b, scale, 'down');
        const ulp = Decimal.of(1n, scale);
        const absA = a.abs();
        const absB = b.abs();
        expect(q.abs().mul(absB).cmp(absA)).toBeLessThanOrEqual(0);
        expect(q.abs().add(ulp).mul(absB).cmp(absA)).toBe(1);
        if (!q.isZero()) expect(q.sign()).toBe((a.sign() * b.sign()) as -1 | 1);
      }),
    );
    expect(() => Decimal.parse('1').div('0', 2)).toThrow(RangeError);
  });
});

describe('Decimal: rounding modes against a string-based reference', () => {
  it('round(scale, mode) for every mode', () => {
    fc.assert(
      fc.property(decimalArb, fc.integer({ min: 0, max: 8 }), modeArb, (d, scale, mode) => {
        expect(d.round(scale, mode).toString()).toBe(referenceRound(d.toString(), scale, mode));
      }),
      { numRuns: 500 },
    );
  });

  it('div agrees with rounding the exact quotient (divisors that are powers of two and five give exact decimals)', () => {
    fc.assert(
      fc.property(decimalArb, fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.boolean(), fc.integer({ min: 0, max: 6 }), modeArb, (a, p2, p5, neg, scale, mode) => {
        const divisor = Decimal.of((neg ? -1n : 1n) * 2n ** BigInt(p2) * 5n ** BigInt(p5));
        // a / (2^p2 · 5^p5) = a · 5^p2 · 2^p5 / 10^(p2+p5): exact, so the reference can round its digits
        const exact = Decimal.of((neg ? -1n : 1n) * a.coefficient * 5n ** BigInt(p2) * 2n ** BigInt(p5), a.scale + p2 + p5);
        expect(a.div(divisor, scale, mode).toString()).toBe(referenceRound(exact.toString(), scale, mode));
      }),
      { numRuns: 300 },
    );
  });

  it('ties: the textbook table', () => {
    const table: Array<[string, Record<string, string>]> = [
      ['2.5', { 'half-up': '3', 'half-even': '2', down: '2', up: '3' }],
      ['3.5', { 'half-up': '4', 'half-even': '4', down: '3', up: '4' }],
      ['-2.5', { 'half-up': '-3', 'half-even': '-2', down: '-2', up: '-3' }],
      ['0.125', { 'half-up': '0.13', 'half-even': '0.12', down: '0.12', up: '0.13' }],
      ['-0.001', { 'half-up': '0', 'half-even': '0', down: '0', up: '-1' }],
    ];
    for (const [value, expected] of table) {
      const scale = value === '0.125' ? 2 : 0;
      for (const mode of MODES) expect(Decimal.parse(value).round(scale, mode).toString(), `${value} ${mode}`).toBe(expected[mode]);
    }
  });

  it('divRound accepts a negative denominator', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), modeArb, (n, d, mode) => {
        expect(divRound(n, -d, mode)).toBe(divRound(-n, d, mode));
      }),
    );
  });
});
