/**
 * Exact decimal numbers as (bigint coefficient, scale): value = coefficient / 10^scale.
 * Used for money, tax rates, discounts and quantities that must not pass through floating point.
 */
export type RoundingMode = 'half-up' | 'half-even' | 'down' | 'up';

const DECIMAL_RE = /^([+-])?(\d+)(?:\.(\d+))?$/;

export class Decimal {
  private constructor(
    readonly coefficient: bigint,
    readonly scale: number,
  ) {}

  static of(coefficient: bigint, scale = 0): Decimal {
    return new Decimal(coefficient, checkScale(scale));
  }

  /**
   * Parses "19.99", "-3", "0.200", or a number. Numbers are accepted only when they round-trip
   * exactly through their shortest decimal representation (89, 89.5, 19.99) — that is how JSON from
   * Odoo and WooCommerce delivers them; the string is what counts, never the binary float.
   */
  static parse(value: string | number | bigint | Decimal): Decimal {
    if (value instanceof Decimal) return value;
    if (typeof value === 'bigint') return new Decimal(value, 0);
    let text: string;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
      text = numberToPlainString(value);
    } else {
      text = value.trim();
    }
    const m = DECIMAL_RE.exec(text);
    if (!m) throw new RangeError(`"${String(value)}" is not a decimal number like 19.99`);
    const frac = m[3] ?? '';
    const coef = BigInt(`${m[2]}${frac}`);
    return new Decimal(m[1] === '-' ? -coef : coef, frac.length);
  }

  static isDecimal(value: unknown): boolean {
    if (typeof value === 'number') return Number.isFinite(value);
    return typeof value === 'string' && DECIMAL_RE.test(value.trim());
  }

  static readonly ZERO = new Decimal(0n, 0);
  static readonly ONE = new Decimal(1n, 0);

  /** Same value with at least `scale` digits (exact; never rounds). */
  withScale(scale: number): Decimal {
    checkScale(scale);
    if (scale < this.scale) throw new RangeError('withScale cannot drop digits; use round()');
    return new Decimal(this.coefficient * 10n ** BigInt(scale - this.scale), scale);
  }

  private static align(a: Decimal, b: Decimal): [bigint, bigint, number] {
    const s = Math.max(a.scale, b.scale);
    return [a.withScale(s).coefficient, b.withScale(s).coefficient, s];
  }

  add(other: Decimal | string | number): Decimal {
    const [x, y, s] = Decimal.align(this, Decimal.parse(other));
    return new Decimal(x + y, s);
  }

  sub(other: Decimal | string | number): Decimal {
    const [x, y, s] = Decimal.align(this, Decimal.parse(other));
    return new Decimal(x - y, s);
  }

  mul(other: Decimal | string | number): Decimal {
    const o = Decimal.parse(other);
    return new Decimal(this.coefficient * o.coefficient, this.scale + o.scale);
  }

  /** Division rounded to `scale` digits. */
  div(other: Decimal | string | number, scale: number, mode: RoundingMode = 'half-up'): Decimal {
    checkScale(scale);
    const o = Decimal.parse(other);
    if (o.coefficient === 0n) throw new RangeError('division by zero');
    // this / o = (c1 / 10^s1) / (c2 / 10^s2) = c1 * 10^s2 / (c2 * 10^s1); scaled by 10^scale
    const num = this.coefficient * 10n ** BigInt(o.scale + scale);
    const den = o.coefficient * 10n ** BigInt(this.scale);
    return new Decimal(divRound(num, den, mode), scale);
  }

  neg(): Decimal {
    return new Decimal(-this.coefficient, this.scale);
  }

  abs(): Decimal {
    return this.coefficient < 0n ? this.neg() : this;
  }

  round(scale: number, mode: RoundingMode = 'half-up'): Decimal {
    // A negative scale (rounding to tens) used to yield a Decimal with scale < 0 that printed the wrong value.
    checkScale(scale);
    if (scale >= this.scale) return this.withScale(scale);
    const den = 10n ** BigInt(this.scale - scale);
    return new Decimal(divRound(this.coefficient, den, mode), scale);
  }

  cmp(other: Decimal | string | number): -1 | 0 | 1 {
    const [x, y] = Decimal.align(this, Decimal.parse(other));
    return x < y ? -1 : x > y ? 1 : 0;
  }

  eq(other: Decimal | string | number): boolean {
    return this.cmp(other) === 0;
  }

  isZero(): boolean {
    return this.coefficient === 0n;
  }

  isNegative(): boolean {
    return this.coefficient < 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.coefficient < 0n ? -1 : this.coefficient > 0n ? 1 : 0;
  }

  /** Drops trailing zeros: 19.900 → 19.9, 5.00 → 5. */
  normalize(): Decimal {
    let c = this.coefficient;
    let s = this.scale;
    while (s > 0 && c % 10n === 0n) {
      c /= 10n;
      s -= 1;
    }
    return new Decimal(c, s);
  }

  toString(): string {
    const neg = this.coefficient < 0n;
    const digits = (neg ? -this.coefficient : this.coefficient).toString().padStart(this.scale + 1, '0');
    const int = digits.slice(0, digits.length - this.scale);
    const frac = digits.slice(digits.length - this.scale);
    return `${neg ? '-' : ''}${int}${this.scale > 0 ? `.${frac}` : ''}`;
  }

  toFixed(scale: number, mode: RoundingMode = 'half-up'): string {
    return this.round(scale, mode).toString();
  }

  /**
   * For APIs that insist on a JSON number (Odoo's price_unit, quantities). The conversion is exact
   * for every value with ≤15 significant digits, which covers any price or quantity a shop holds.
   */
  toNumber(): number {
    return Number(this.toString());
  }

  toJSON(): string {
    return this.toString();
  }
}

/** Scales are whole numbers of decimal places, ≥ 0. */
function checkScale(scale: number): number {
  if (!Number.isInteger(scale) || scale < 0) throw new RangeError(`bad scale ${scale}: the number of decimals must be a whole number ≥ 0`);
  return scale;
}

/** Integer division with rounding; den may be negative. */
export function divRound(num: bigint, den: bigint, mode: RoundingMode): bigint {
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const q = num / den; // truncates toward zero
  const r = num % den; // same sign as num
  if (r === 0n) return q;
  const sign = num < 0n ? -1n : 1n;
  const twice = (r < 0n ? -r : r) * 2n;
  switch (mode) {
    case 'down':
      return q;
    case 'up':
      return q + sign;
    case 'half-up':
      return twice >= den ? q + sign : q;
    case 'half-even':
      if (twice > den) return q + sign;
      if (twice < den) return q;
      return q % 2n === 0n ? q : q + sign;
  }
}

function numberToPlainString(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  // 1e-7 and 1e21 style: expand without going through floating arithmetic.
  const [mant, expText] = s.toLowerCase().split('e') as [string, string];
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const [i, f = ''] = mant.replace('-', '').split('.') as [string, string?];
  const digits = i + f;
  const point = i.length + exp;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (neg ? '-' : '') + out;
}
