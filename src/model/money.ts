import { Decimal, divRound, type RoundingMode } from './decimal.js';

/** ISO 4217 minor units for currencies that do not use 2 decimals. */
const MINOR_UNITS: Record<string, number> = {
  BHD: 3, BIF: 0, CLP: 0, DJF: 0, GNF: 0, IQD: 3, ISK: 0, JOD: 3, JPY: 0, KMF: 0, KRW: 0, KWD: 3,
  LYD: 3, OMR: 3, PYG: 0, RWF: 0, TND: 3, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
};

const CURRENCY_RE = /^[A-Z]{3}$/;

export function minorUnits(currency: string): number {
  return MINOR_UNITS[currency] ?? 2;
}

export function assertCurrency(currency: string): string {
  if (!CURRENCY_RE.test(currency)) {
    throw new RangeError(`"${currency}" is not an ISO 4217 currency code like EUR or USD`);
  }
  return currency;
}

/** JSON form of money everywhere outside this module: amount as a decimal string, never a float. */
export interface MoneyJSON {
  amount: string;
  currency: string;
}

/**
 * An exact amount of one currency, held as integer minor units (cents). Arithmetic between two
 * currencies throws; multiplication by a rate rounds explicitly, half-up unless asked otherwise.
 */
export class Money {
  private constructor(
    readonly minor: bigint,
    readonly currency: string,
  ) {}

  static ofMinor(minor: bigint | number, currency: string): Money {
    if (typeof minor === 'number' && !Number.isSafeInteger(minor)) {
      throw new RangeError(`minor units must be an integer, got ${minor}`);
    }
    return new Money(BigInt(minor), assertCurrency(currency));
  }

  static zero(currency: string): Money {
    return Money.ofMinor(0n, currency);
  }

  /**
   * "19.99" EUR → 1999 minor units. More decimals than the currency has are an error unless a
   * rounding mode is given: silently dropping a fraction of a cent is how totals drift.
   */
  static of(amount: string | number | Decimal, currency: string, rounding?: RoundingMode): Money {
    assertCurrency(currency);
    const d = Decimal.parse(amount);
    const units = minorUnits(currency);
    if (d.scale > units && !rounding) {
      const r = d.round(units, 'half-up');
      if (!r.eq(d)) {
        throw new RangeError(`${d.toString()} ${currency} has more than ${units} decimals; pass a rounding mode`);
      }
    }
    return new Money(d.round(units, rounding ?? 'half-up').coefficient, currency);
  }

  static fromJSON(json: MoneyJSON): Money {
    return Money.of(json.amount, json.currency);
  }

  static sum(items: Money[], currency?: string): Money {
    const cur = currency ?? items[0]?.currency;
    if (!cur) throw new RangeError('Money.sum of an empty list needs a currency');
    return items.reduce((acc, m) => acc.add(m), Money.zero(cur));
  }

  private same(other: Money): void {
    if (other.currency !== this.currency) {
      throw new RangeError(`cannot combine ${this.currency} with ${other.currency}`);
    }
  }

  add(other: Money): Money {
    this.same(other);
    return new Money(this.minor + other.minor, this.currency);
  }

  sub(other: Money): Money {
    this.same(other);
    return new Money(this.minor - other.minor, this.currency);
  }

  neg(): Money {
    return new Money(-this.minor, this.currency);
  }

  abs(): Money {
    return this.minor < 0n ? this.neg() : this;
  }

  /** amount × factor (a rate, a quantity), rounded to the currency's minor unit. */
  mul(factor: Decimal | string | number, mode: RoundingMode = 'half-up'): Money {
    const f = Decimal.parse(factor);
    return new Money(divRound(this.minor * f.coefficient, 10n ** BigInt(f.scale), mode), this.currency);
  }

  /** percent of the amount, e.g. percent('10') = 10 %. */
  percent(pct: Decimal | string | number, mode: RoundingMode = 'half-up'): Money {
    const p = Decimal.parse(pct);
    return new Money(divRound(this.minor * p.coefficient, 100n * 10n ** BigInt(p.scale), mode), this.currency);
  }

  /**
   * Splits the amount over weights so that the parts sum to exactly this amount (largest remainder:
   * the leftover cents go to the parts whose exact share lost most in rounding, ties to the first).
   */
  allocate(weights: Array<Decimal | string | number | bigint>): Money[] {
    if (weights.length === 0) throw new RangeError('allocate needs at least one weight');
    const ws = weights.map((w) => Decimal.parse(w));
    const scale = Math.max(...ws.map((w) => w.scale));
    const ints = ws.map((w) => w.withScale(scale).coefficient);
    if (ints.some((w) => w < 0n)) throw new RangeError('allocation weights must not be negative');
    const total = ints.reduce((a, b) => a + b, 0n);
    if (total === 0n) throw new RangeError('allocation weights sum to zero');
    const sign = this.minor < 0n ? -1n : 1n;
    const abs = this.minor * sign;
    const shares = ints.map((w) => (abs * w) / total);
    const remainders = ints.map((w, i) => ({ i, r: (abs * w) % total }));
    let left = abs - shares.reduce((a, b) => a + b, 0n);
    remainders.sort((a, b) => (b.r > a.r ? 1 : b.r < a.r ? -1 : a.i - b.i));
    for (const { i } of remainders) {
      if (left === 0n) break;
      shares[i] = (shares[i] as bigint) + 1n;
      left -= 1n;
    }
    return shares.map((s) => new Money(s * sign, this.currency));
  }

  cmp(other: Money): -1 | 0 | 1 {
    this.same(other);
    return this.minor < other.minor ? -1 : this.minor > other.minor ? 1 : 0;
  }

  eq(other: Money): boolean {
    return this.currency === other.currency && this.minor === other.minor;
  }

  isZero(): boolean {
    return this.minor === 0n;
  }

  isNegative(): boolean {
    return this.minor < 0n;
  }

  toDecimal(): Decimal {
    return Decimal.of(this.minor, minorUnits(this.currency));
  }

  /** "19.99" — the amount without currency, with exactly the currency's decimals. */
  get amount(): string {
    return this.toDecimal().toString();
  }

  /** For APIs that need a JSON number (Odoo). Exact for any realistic amount (< 2^53 minor units). */
  toNumber(): number {
    return this.toDecimal().toNumber();
  }

  toString(): string {
    return `${this.amount} ${this.currency}`;
  }

  toJSON(): MoneyJSON {
    return { amount: this.amount, currency: this.currency };
  }
}
