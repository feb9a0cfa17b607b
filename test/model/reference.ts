/**
 * Reference arithmetic for the property tests, built differently from src/model on purpose: rounding
 * works on the decimal STRING (keep the digits, look at the dropped ones), not on bigint division.
 */
import fc from 'fast-check';
import { Decimal, type RoundingMode } from '../../src/model/decimal.js';

export const MODES: readonly RoundingMode[] = ['half-up', 'half-even', 'down', 'up'];

/** Rounds a plain decimal string ("-12.345") to `scale` digits; 'up'/'down' are away from / toward zero. */
export function referenceRound(value: string, scale: number, mode: RoundingMode): string {
  const neg = value.startsWith('-');
  const [int = '0', frac = ''] = value.replace(/^[+-]/, '').split('.');
  const padded = frac.padEnd(scale, '0');
  let kept = BigInt(int + padded.slice(0, scale));
  const dropped = padded.slice(scale);
  if (/[1-9]/.test(dropped)) {
    const first = dropped[0] as string;
    const restNonZero = /[1-9]/.test(dropped.slice(1));
    const vsHalf = first > '5' || (first === '5' && restNonZero) ? 1 : first === '5' ? 0 : -1;
    const awayFromZero =
      mode === 'up' || (mode === 'half-up' && vsHalf >= 0) || (mode === 'half-even' && (vsHalf > 0 || (vsHalf === 0 && kept % 2n === 1n)));
    if (awayFromZero) kept += 1n;
  }
  const digits = kept.toString().padStart(scale + 1, '0');
  const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return neg && kept !== 0n ? `-${text}` : text;
}

/** Exact decimals: coefficient up to ±10^20, scale 0..8. */
export const decimalArb = fc
  .tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 8 }))
  .map(([c, s]) => Decimal.of(c, s));

/** Canonical decimal strings, as shops and ERPs send them: "-12.340", "0.5", "1999". */
export const decimalTextArb = fc
  .tuple(fc.boolean(), fc.stringMatching(/^(0|[1-9]\d{0,14})$/), fc.option(fc.stringMatching(/^\d{1,8}$/), { nil: undefined }))
  .map(([neg, int, frac]) => `${neg ? '-' : ''}${int}${frac === undefined ? '' : `.${frac}`}`);

export const modeArb = fc.constantFrom(...MODES);
