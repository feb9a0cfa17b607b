/**
 * Stable hashing of canonical field values: the diff step compares this hash with the one stored on the
 * link when the record was last synced. Equal hash = nothing to write (and no echo in two-way flows).
 */
import { createHash } from 'node:crypto';
import { Decimal } from '../model/decimal.js';

/** JSON with sorted keys; money-like {amount, currency} normalized so "89" and "89.00" hash the same. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(normalize(value));
}

function normalize(value: unknown): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(normalize);
  const obj = value as Record<string, unknown>;
  if (typeof obj.amount === 'string' && typeof obj.currency === 'string' && Object.keys(obj).length === 2 && Decimal.isDecimal(obj.amount)) {
    return { amount: Decimal.parse(obj.amount).normalize().toString(), currency: obj.currency };
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj).sort()) {
    const v = obj[k];
    if (v !== undefined) out[k] = normalize(v);
  }
  return out;
}

export function hashValue(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('base64url').slice(0, 32);
}
