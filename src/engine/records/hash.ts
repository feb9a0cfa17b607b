/**
 * Stable hashing of canonical field values: the diff step compares this hash with the one stored on the
 * link when the record was last synced. Equal hash = nothing to write (and no echo in two-way flows).
 * Stored link hashes depend on the exact text: change the output and every linked record looks changed.
 */
import * as crypto from 'node:crypto';
import { Decimal } from '../../model/decimal.js';

/**
 * JSON with sorted keys; money-like {amount, currency} normalized so "89" and "89.00" hash the same.
 * Written directly as text, without building a sorted copy of the record first: the text is exactly
 * JSON.stringify of that copy (integer-like keys first, numerically, as JSON.stringify orders them;
 * undefined properties left out, undefined array items null), so the stored link hashes stay valid.
 */
export function stableStringify(value: unknown): string {
  if (typeof value === 'function' || typeof value === 'symbol') return JSON.stringify(value) as unknown as string;
  return write(value);
}

function write(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
    case 'function':
    case 'symbol':
      return 'null';
    case 'bigint':
      return JSON.stringify(value); // throws, as JSON.stringify of the sorted copy did
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + write(value[i]);
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 2 && typeof obj.amount === 'string' && typeof obj.currency === 'string' && Decimal.isDecimal(obj.amount)) {
    return `{"amount":${JSON.stringify(normalAmount(obj.amount))},"currency":${JSON.stringify(obj.currency)}}`;
  }
  sortKeys(keys);
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    // left out by JSON.stringify: undefined, functions, symbols; '__proto__' is never an own key of the copy
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol' || k === '__proto__') continue;
    out += `${first ? '' : ','}${quotedKey(k)}:${write(v)}`;
    first = false;
  }
  return `${out}}`;
}

/** Characters JSON.stringify escapes (lone surrogates included): their strings go through it. */
// eslint-disable-next-line no-control-regex -- the control characters are exactly what JSON escapes
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

function quote(s: string): string {
  return ESCAPED.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** Keys repeat (the fields of a record type): their quoted form is remembered. */
const keyTexts = new Map<string, string>();

function quotedKey(k: string): string {
  let q = keyTexts.get(k);
  if (q === undefined) {
    q = quote(k);
    if (keyTexts.size >= 10_000) keyTexts.clear();
    keyTexts.set(k, q);
  }
  return q;
}

/**
 * Object keys in the order JSON.stringify writes a copy built in sorted order: integer-like keys
 * ("0", "10"; array indices) first in numeric order, then the others in the order of Array.prototype.sort()
 * (UTF-16 code units). A record's objects have a handful of keys: sorted in place by insertion, without
 * the work array sort() allocates per call.
 */
function sortKeys(keys: string[]): void {
  if (keys.length > 32) keys.sort();
  else {
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
  // rare: integer-like keys go in front, in numeric order (the others keep their sorted order)
  let indices: string[] | undefined;
  for (const k of keys) if (isIndex(k)) (indices ??= []).push(k);
  if (!indices) return;
  indices.sort((a, b) => Number(a) - Number(b));
  const rest = keys.filter((k) => !isIndex(k));
  keys.length = 0;
  keys.push(...indices, ...rest);
}

/** An array index as a property key: "0" or digits without a leading zero, below 2^32 − 1. */
function isIndex(k: string): boolean {
  const c = k.charCodeAt(0);
  if (c < 48 || c > 57) return false;
  return /^(?:0|[1-9]\d{0,9})$/.test(k) && Number(k) < 4294967295;
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
