/**
 * Odoo's float rounding (float_round, HALF-UP) done exactly with the project's Decimal, so 0.735 → 0.74
 * like Odoo and never 0.73 from binary floating point.
 */
import { Decimal } from '../../../model/decimal.js';
import type { Env } from '../orm/types.js';

export function dec(x: unknown): Decimal {
  if (typeof x === 'number' || typeof x === 'string') return Decimal.parse(x);
  return Decimal.ZERO;
}

export function roundFloat(x: number | Decimal, digits: number): number {
  const d = x instanceof Decimal ? x : Decimal.parse(x);
  return d.round(digits, 'half-up').toNumber();
}

export function roundDec(x: Decimal, digits: number): Decimal {
  return x.round(digits, 'half-up');
}

/** Decimal places of a currency record (rounding 0.01 → 2). */
export function currencyDigits(env: Env, currencyId: unknown): number {
  const c = typeof currencyId === 'number' ? env.rec('res.currency', currencyId) : undefined;
  const r = Number(c?.rounding ?? 0.01);
  return r >= 1 ? 0 : Math.max(0, Math.round(-Math.log10(r)));
}

export function companyCurrency(env: Env): number {
  return Number(env.rec('res.company', 1)?.currency_id ?? 1);
}
