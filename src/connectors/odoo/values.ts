/**
 * Pure conversions of Odoo's field values. Odoo sends `false` for every empty value, many2one as
 * `[id, "display name"]`, datetimes as UTC `YYYY-MM-DD HH:MM:SS`, and money as JSON floats (89.0 arrives as
 * the number 89, 107.55 as 107.55).
 *
 * Money: the JSON number is turned into a Decimal through its shortest decimal representation
 * (Decimal.parse), then rounded half-up to the currency's minor unit — never float arithmetic.
 */
import { Decimal, Money, minorUnits } from '../../model/index.js';
import type { Json } from '../contract.js';

export type OdooRecord = Record<string, Json> & { id: number };
export type Many2one = [number, string] | false;

/** `false` → null; anything else as is. */
export function orNull<T>(value: T | false | undefined | null): T | null {
  return value === false || value === undefined || value === null ? null : value;
}

/** Text field: `false`/missing → null, strings trimmed of nothing (kept exactly). */
export function text(value: Json | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

export function m2oId(value: Json | undefined): number | null {
  return Array.isArray(value) && typeof value[0] === 'number' ? value[0] : typeof value === 'number' ? value : null;
}

export function m2oName(value: Json | undefined): string | null {
  return Array.isArray(value) && typeof value[1] === 'string' ? value[1] : null;
}

export function ids(value: Json | undefined): number[] {
  return Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : [];
}

export function num(value: Json | undefined): number {
  return typeof value === 'number' ? value : 0;
}

/** Odoo float → exact decimal (shortest representation of the JSON number). */
export function decimal(value: Json | undefined): Decimal {
  return typeof value === 'number' ? Decimal.parse(value) : Decimal.ZERO;
}

/** Odoo monetary float → Money in `currency`, rounded half-up to the currency's decimals. */
export function money(value: Json | undefined, currency: string): Money {
  return Money.of(decimal(value).round(minorUnits(currency), 'half-up'), currency);
}

/** Decimal string with at least the currency's decimals: 89 → "89.00", 0.125 → "0.125". */
export function priceString(value: Json | undefined, currency: string): string {
  const d = decimal(value);
  const units = minorUnits(currency);
  return d.scale >= units ? d.toString() : d.withScale(units).toString();
}

/** Quantity as a JSON number (Odoo quantities are floats with the UoM's precision). */
export function quantity(value: Json | undefined): number {
  return typeof value === 'number' ? decimal(value).round(6).toNumber() : 0;
}

/** "2026-11-26 14:00:03" → "2026-11-26T14:00:03Z" (Odoo datetimes are UTC). */
export function odooToIso(value: Json | undefined): string | null {
  if (typeof value !== 'string' || value.length < 10) return null;
  if (value.length === 10) return `${value}T00:00:00Z`;
  return `${value.slice(0, 10)}T${value.slice(11, 19)}Z`;
}

/** ISO 8601 (any offset) → Odoo's UTC "YYYY-MM-DD HH:MM:SS". */
export function isoToOdoo(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new RangeError(`"${iso}" is not a date-time`);
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/** ISO date-time → Odoo date "YYYY-MM-DD" (UTC day). */
export function isoToOdooDate(iso: string): string {
  return isoToOdoo(iso).slice(0, 10);
}

/** Adds seconds to an Odoo datetime string (used for keyset bounds). */
export function addSeconds(odooDatetime: string, seconds: number): string {
  const t = Date.parse(`${odooDatetime.replace(' ', 'T')}Z`);
  return isoToOdoo(new Date(t + seconds * 1000).toISOString());
}

/** Odoo datetime, cut to whole seconds (19 shows and compares seconds; 17 stores microseconds). */
export function toSecond(odooDatetime: string): string {
  return odooDatetime.slice(0, 19);
}

/** Html field → plain text: "<p>Leave at the door</p>" → "Leave at the door". */
export function htmlToText(value: Json | undefined): string {
  if (typeof value !== 'string') return '';
  return value
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

/** Amount for an Odoo float field, from an exact decimal string. */
export function toOdooNumber(amount: string | Decimal): number {
  return Decimal.parse(amount).toNumber();
}

/** Splits a list into chunks (batched reads and writes). */
export function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Groups items by a JSON key of their values, to write identical values in one call. */
export function groupByValues<T>(items: T[], values: (item: T) => Record<string, Json>): Array<{ vals: Record<string, Json>; items: T[] }> {
  const groups = new Map<string, { vals: Record<string, Json>; items: T[] }>();
  for (const item of items) {
    const vals = values(item);
    const key = JSON.stringify(Object.keys(vals).sort().map((k) => [k, vals[k]]));
    const g = groups.get(key);
    if (g) g.items.push(item);
    else groups.set(key, { vals, items: [item] });
  }
  return [...groups.values()];
}

export function asNumberId(id: string, what = 'id'): number {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError(`"${id}" is not an Odoo ${what}`);
  return n;
}
