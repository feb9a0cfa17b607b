/** Small, forgiving readers for values in the shop's JSON (the schema check comes after mapping). */
import { Decimal } from '../../model/decimal.js';

export type Obj = Record<string, unknown>;

export function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Ids are strings or integers in the shop; always strings in Tandem. */
export function idStr(v: unknown): string | undefined {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

export function strOr(v: unknown, fallback: string): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback;
}

export function strOrNull(v: unknown): string | null {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
}

/** A decimal amount ("19.99" or 19.99) as the exact decimal string; other values are passed through for the schema to refuse. */
export function amount(v: unknown): unknown {
  if (typeof v === 'number' && Number.isFinite(v)) return Decimal.parse(v).toString();
  if (typeof v === 'string') return v.trim();
  return v;
}

/** Money in the shop: a decimal string plus the resource's currency, or an {amount, currency} object. */
export function money(v: unknown, currency: string): unknown {
  if (v === undefined) return undefined;
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Obj;
    return { amount: amount(o.amount), currency: typeof o.currency === 'string' ? o.currency : currency };
  }
  return { amount: amount(v), currency };
}

export function moneyOrNull(v: unknown, currency: string): unknown {
  return v === null || v === undefined || v === '' ? null : money(v, currency);
}

export function num(v: unknown): unknown {
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return v;
}

export function bool(v: unknown, fallback: boolean): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === '1' || v === 'true') return true;
  if (v === 0 || v === '0' || v === 'false') return false;
  return fallback;
}

/** The record of a single-resource response: `{data: {…}}` (Laravel resource, JSON:API) or the bare object. */
export function singleRecord(body: unknown): unknown {
  const data = obj(body).data;
  return data !== null && typeof data === 'object' && !Array.isArray(data) ? data : body;
}
