import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/model/decimal.js';
import { Money, minorUnits } from '../../src/model/money.js';
import { decimalArb, modeArb, referenceRound } from './reference.js';

/** EUR (2 decimals), JPY (0) and KWD (3). */
const currencyArb = fc.constantFrom('EUR', 'JPY', 'KWD');
const minorArb = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n });
const moneyIn = (currency: string) => minorArb.map((m) => Money.ofMinor(m, currency));
const moneyArb = currencyArb.chain((c) => moneyIn(c));
const sameCurrency = (n: number) => currencyArb.chain((c) => fc.array(moneyIn(c), { minLength: n, maxLength: n }));

function decimalsOf(amount: string): number {
  return amount.includes('.') ? (amount.split('.')[1] as string).length : 0;
}

describe('Money: amounts', () => {
  it('prints exactly the decimals of its currency, and reads back to itself', () => {
    fc.assert(
      fc.property(moneyArb, (m) => {
        expect(decimalsOf(m.amount)).toBe(minorUnits(m.currency));
        expect(Money.of(m.amount, m.currency).eq(m)).toBe(true);
        expect(Money.fromJSON(JSON.parse(JSON.stringify(m)) as { amount: string; currency: string }).eq(m)).toBe(true);
      }),
    );
  });

  it('refuses more decimals than the currency has unless a rounding mode is given, then rounds like the reference', () => {
    fc.assert(
      fc.property(decimalArb, currencyArb, modeArb, (d, currency, mode) => {
        const units = minorUnits(currency);
        const exactFits = d.round(units, 'down').eq(d);
        if (exactFits) expect(Money.of(d, currency).toDecimal().eq(d)).toBe(true);
        else expect(() => Money.of(d, currency)).toThrow(/more than \d decimals; pass a rounding mode/);
        expect(Money.of(d, currency, mode).amount).toBe(referenceRound(d.toString(), units, mode));
      }),
    );
  });

  it('JPY has no decimals and KWD three', () => {
    expect(Money.of('1234', 'JPY').amount).toBe('1234');
    expect(Money.of('1234', 'JPY').minor).toBe(1234n);
    expect(() => Money.of('12.5', 'JPY')).toThrow(RangeError);
    expect(Money.of('12.5', 'JPY', 'half-even').amount).toBe('12');
    expect(Money.of('13.5', 'JPY', 'half-even').amount).toBe('14');
    expect(Money.of('1.234', 'KWD').amount).toBe('1.234');
    expect(Money.of('1.234', 'KWD').minor).toBe(1234n);
    expect(() => Money.of('1.2345', 'KWD')).toThrow(RangeError);
    expect(Money.of('1.2345', 'KWD', 'half-up').amount).toBe('1.235');
    expect(Money.of('19.99', 'EUR').toString()).toBe('19.99 EUR');
    expect(Money.of('19.990', 'EUR').amount).toBe('19.99');
  });

  it('refuses bad currencies and non-integer minor units', () => {
    expect(() => Money.of('1', 'eur')).toThrow(RangeError);
    expect(() => Money.of('1', 'EURO')).toThrow(RangeError);
    expect(() => Money.ofMinor(1.5, 'EUR')).toThrow(RangeError);
    expect(() => Money.ofMinor(2 ** 60, 'EUR')).toThrow(RangeError);
    expect(() => Money.sum([])).toThrow(RangeError);
    expect(Money.sum([], 'EUR').eq(Money.zero('EUR'))).toBe(true);
  });
});

describe('Money: sums', () => {
  it('add is associative and commutative; sub is its inverse', () => {
    fc.assert(
      fc.property(sameCurrency(3), ([a, b, c]) => {
        const [x, y, z] = [a as Money, b as Money, c as Money];
        expect(x.add(y).add(z).eq(x.add(y.add(z)))).toBe(true);
        expect(x.add(y).eq(y.add(x))).toBe(true);
        expect(x.add(y).sub(y).eq(x)).toBe(true);
        expect(x.add(x.neg()).isZero()).toBe(true);
      }),
    );
  });

  it('Money.sum equals the sum of the minor units, in any order', () => {
    fc.assert(
      fc.property(currencyArb.chain((c) => fc.array(moneyIn(c), { minLength: 1, maxLength: 30 })), (items) => {
        const total = Money.sum(items);
        expect(total.minor).toBe(items.reduce((acc, m) => acc + m.minor, 0n));
        expect(Money.sum([...items].reverse()).eq(total)).toBe(true);
      }),
    );
  });

  it('cross-currency operations throw', () => {
    fc.assert(
      fc.property(moneyIn('EUR'), moneyIn('USD'), (eur, usd) => {
        expect(() => eur.add(usd)).toThrow(/cannot combine EUR with USD/);
        expect(() => eur.sub(usd)).toThrow(RangeError);
        expect(() => eur.cmp(usd)).toThrow(RangeError);
        expect(() => Money.sum([eur, usd])).toThrow(RangeError);
        expect(() => Money.sum([eur], 'USD')).toThrow(RangeError);
        expect(eur.eq(usd)).toBe(false);
      }),
      { numRuns: 50 },
    );
  });
});

describe('Money: mul and percent', () => {
  const factorArb = fc.tuple(fc.bigInt({ min: -(10n ** 6n), max: 10n ** 6n }), fc.integer({ min: 0, max: 6 })).map(([c, s]) => Decimal.of(c, s));

  it('mul rounds the exact product like the reference, never to more decimals than the currency', () => {
    fc.assert(
      fc.property(moneyArb, factorArb, modeArb, (m, f, mode) => {
        const r = m.mul(f, mode);
        expect(r.currency).toBe(m.currency);
        expect(decimalsOf(r.amount)).toBe(minorUnits(m.currency));
        expect(r.amount).toBe(referenceRound(m.toDecimal().mul(f).toString(), minorUnits(m.currency), mode));
      }),
    );
  });

  it('percent(p) is mul(p / 100), rounded once', () => {
    fc.assert(
      fc.property(moneyArb, factorArb, modeArb, (m, p, mode) => {
        const r = m.percent(p, mode);
        const exact = m.toDecimal().mul(p).mul(Decimal.of(1n, 2)); // × 0.01, exact
        expect(decimalsOf(r.amount)).toBe(minorUnits(m.currency));
        expect(r.amount).toBe(referenceRound(exact.toString(), minorUnits(m.currency), mode));
      }),
    );
    expect(Money.of('19.99', 'EUR').percent('20').amount).toBe('4.00');
    expect(Money.of('0.05', 'EUR').percent('50', 'half-even').amount).toBe('0.02');
    expect(Money.of('1000', 'JPY').percent('8.5').amount).toBe('85');
    expect(Money.of('10.000', 'KWD').percent('12.345').amount).toBe('1.235');
  });
});

describe('Money.allocate', () => {
  const weightsArb = fc.array(fc.bigInt({ min: 0n, max: 10n ** 6n }), { minLength: 1, maxLength: 20 }).filter((ws) => ws.some((w) => w > 0n));

  it('parts sum exactly to the total, each within one minor unit of its exact share, with the sign of the total', () => {
    fc.assert(
      fc.property(moneyArb, weightsArb, (total, weights) => {
        const parts = total.allocate(weights);
        const W = weights.reduce((a, b) => a + b, 0n);
        expect(parts).toHaveLength(weights.length);
        expect(Money.sum(parts, total.currency).eq(total)).toBe(true);
        parts.forEach((p, i) => {
          expect(p.currency).toBe(total.currency);
          // |p − total·w/W| < 1 minor unit  ⇔  |p·W − total·w| < W
          const diff = p.minor * W - total.minor * (weights[i] as bigint);
          expect(diff < 0n ? -diff : diff).toBeLessThan(W);
          if (weights[i] === 0n) expect(p.isZero()).toBe(true);
          if (!p.isZero()) expect(p.isNegative()).toBe(total.isNegative());
        });
      }),
    );
  });

  it('a negative total splits as the mirror of the positive one', () => {
    fc.assert(
      fc.property(moneyArb, weightsArb, (total, weights) => {
        const pos = total.abs().allocate(weights);
        const neg = total.abs().neg().allocate(weights);
        expect(neg.map((m) => m.minor)).toEqual(pos.map((m) => -m.minor));
      }),
    );
  });

  it('equal weights: the leftover units go to the first parts, in order', () => {
    fc.assert(
      fc.property(moneyArb, fc.integer({ min: 1, max: 12 }), (total, n) => {
        const parts = total.abs().allocate(Array.from({ length: n }, () => 1));
        const base = total.abs().minor / BigInt(n);
        const extra = Number(total.abs().minor % BigInt(n));
        expect(parts.map((p) => p.minor)).toEqual(Array.from({ length: n }, (_, i) => (i < extra ? base + 1n : base)));
      }),
    );
    expect(Money.of('1.00', 'EUR').allocate([1, 1, 1]).map((m) => m.amount)).toEqual(['0.34', '0.33', '0.33']);
    expect(Money.of('100', 'JPY').allocate([1, 1, 1]).map((m) => m.amount)).toEqual(['34', '33', '33']);
    expect(Money.of('-0.010', 'KWD').allocate(['0.5', '0.25', '0.25']).map((m) => m.amount)).toEqual(['-0.005', '-0.003', '-0.002']);
  });

  it('accepts decimal weights, and refuses negative or all-zero weights', () => {
    expect(Money.of('10.00', 'EUR').allocate(['0.1', '0.2', '0.7']).map((m) => m.amount)).toEqual(['1.00', '2.00', '7.00']);
    expect(() => Money.of('1', 'EUR').allocate([])).toThrow(RangeError);
    expect(() => Money.of('1', 'EUR').allocate([1, -1])).toThrow(RangeError);
    expect(() => Money.of('1', 'EUR').allocate([0, 0])).toThrow(RangeError);
  });

  it('a discount allocated over order lines sums to the discount, and no line gets more than its amount', () => {
    const orderArb = currencyArb.chain((c) =>
      fc
        .array(fc.bigInt({ min: 0n, max: 10n ** 8n }), { minLength: 1, maxLength: 15 })
        .filter((ls) => ls.some((l) => l > 0n))
        .chain((lines) => {
          const total = lines.reduce((a, b) => a + b, 0n);
          return fc.bigInt({ min: 0n, max: total }).map((discount) => ({ currency: c, lines, discount }));
        }),
    );
    fc.assert(
      fc.property(orderArb, ({ currency, lines, discount }) => {
        const lineMoney = lines.map((l) => Money.ofMinor(l, currency));
        const d = Money.ofMinor(discount, currency);
        const shares = d.allocate(lineMoney.map((m) => m.minor));
        expect(Money.sum(shares, currency).eq(d)).toBe(true);
        shares.forEach((s, i) => {
          expect(s.isNegative()).toBe(false);
          expect(s.cmp(lineMoney[i] as Money)).toBeLessThanOrEqual(0);
        });
        // lines after discount still sum to total − discount
        const after = lineMoney.map((l, i) => l.sub(shares[i] as Money));
        expect(Money.sum(after, currency).eq(Money.sum(lineMoney, currency).sub(d))).toBe(true);
      }),
    );
  });
});
