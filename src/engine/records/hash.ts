/**
 * Stable hashing of canonical field values: the diff step compares this hash with the one stored on the
 * link when the record was last synced. Equal hash = nothing to write (and no echo in two-way flows).
 * Stored link hashes depend on the exact text: change the output and every linked record looks changed.
 */
import * as crypto from 'node:crypto';
import { Decimal } from '../../model/decimal.js';

/** JSON with sorted keys; money-like {amount, currency} normalized so "89" and "89.00" hash the same. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(normalize(value));
}

function normalize(value: unknown): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(normalize);
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 2 && typeof obj.amount === 'string' && typeof obj.currency === 'string' && Decimal.isDecimal(obj.amount)) {
    return { amount: normalAmount(obj.amount), currency: obj.currency };
  }
  sortKeys(keys);
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = obj[k];
    if (v !== undefined) out[k] = normalize(v);
  }
  return out;
}

/**
 * Object keys in the order of Array.prototype.sort() (UTF-16 code units). A record's objects have a handful
 * of keys: sorted in place by insertion, without the work array sort() allocates per call.
 */
function sortKeys(keys: string[]): void {
  if (keys.length > 32) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
}

/** "89.00" → "89". Amounts repeat (the prices of a catalog), so their normal form is remembered. */
const amounts = new Map<string, string>();
const AMOUNTS_MAX = 10_000;

function normalAmount(amount: string): string {
  let n = amounts.get(amount);
  if (n === undefined) {
    n = Decimal.parse(amount).normalize().toString();
    if (amounts.size >= AMOUNTS_MAX) amounts.clear();
    amounts.set(amount, n);
  }
  return n;
}

/** crypto.hash (Node ≥ 20.12): one call, no Hash object per record; createHash on older Node 20. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64url') => string }).hash;

export function hashValue(value: unknown): string {
  const text = stableStringify(value);
  const digest = oneShot ? oneShot('sha256', text, 'base64url') : crypto.createHash('sha256').update(text).digest('base64url');
  return digest.slice(0, 32);
}
