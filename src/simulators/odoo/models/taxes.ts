/**
 * Line amounts like account.tax.compute_all with "round per line": base = round(price × (1 − discount) ×
 * qty), each percent tax rounded in the currency (price-included taxes extracted from the base).
 */
import { Decimal } from '../../../model/decimal.js';
import type { Env } from '../orm/types.js';
import { currencyDigits, dec } from './money.js';

export interface LineAmounts {
  subtotal: number;
  tax: number;
  total: number;
}

export function lineAmounts(env: Env, priceUnit: unknown, qty: unknown, discount: unknown, taxIds: number[], currencyId: unknown): LineAmounts {
  const digits = currencyDigits(env, currencyId);
  const reduce = dec(priceUnit).mul(Decimal.ONE.sub(dec(discount).div(100, 12)));
  const base = reduce.mul(dec(qty)).round(digits, 'half-up');
  let excluded = base;
  let taxTotal = Decimal.ZERO;
  const taxes = taxIds.map((id) => env.rec('account.tax', id)).filter((t) => t && t.amount_type !== 'group');
  // price-included taxes first: they are inside the base
  for (const t of taxes) {
    if (!t?.price_include) continue;
    const rate = dec(t.amount);
    const tax = base.sub(base.div(Decimal.ONE.add(rate.div(100, 12)), 12)).round(digits, 'half-up');
    taxTotal = taxTotal.add(tax);
    excluded = excluded.sub(tax);
  }
  for (const t of taxes) {
    if (!t || t.price_include) continue;
    const tax = t.amount_type === 'fixed' ? dec(t.amount).mul(dec(qty)).round(digits, 'half-up') : excluded.mul(dec(t.amount)).div(100, 12).round(digits, 'half-up');
    taxTotal = taxTotal.add(tax);
  }
  return { subtotal: excluded.toNumber(), tax: taxTotal.toNumber(), total: excluded.add(taxTotal).toNumber() };
}

/** Applies the fiscal position's tax mapping. */
export function mapTaxes(env: Env, fiscalPositionId: unknown, taxIds: number[]): number[] {
  const fp = typeof fiscalPositionId === 'number' ? env.rec('account.fiscal.position', fiscalPositionId) : undefined;
  const map = (fp?.tax_map as Record<string, number> | undefined) ?? {};
  return [...new Set(taxIds.map((id) => map[String(id)] ?? id))];
}

/** Fiscal position that applies automatically to a partner (foreign customers), or false. */
export function autoFiscalPosition(env: Env, partnerId: unknown): number | false {
  const p = typeof partnerId === 'number' ? env.rec('res.partner', partnerId) : undefined;
  if (!p) return false;
  const company = env.rec('res.company', 1);
  for (const fp of env.model('account.fiscal.position').table.rows.values()) {
    if (!fp.auto_apply || fp.active === false) continue;
    if (fp.foreign_only && typeof p.country_id === 'number' && p.country_id !== company?.country_id) return fp.id;
  }
  return false;
}
