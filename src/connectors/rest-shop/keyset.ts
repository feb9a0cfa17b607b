/**
 * Keyset positions in a shop's change feed: (updated_at, id) of the last record delivered. The cursor
 * keeps the shop's own timestamp text (sent back as `updated_since` unchanged, so the shop compares it
 * exactly as it stored it) and the id as a string.
 */
import type { Cursor } from '../contract.js';

export interface Keyset {
  /** updated_at exactly as the shop sent it. */
  since: string;
  id: string;
}

const TIME_RE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/;

/** Parses an ISO 8601 / Laravel "Y-m-d H:i:s" time (no zone = UTC) to microseconds since the epoch. */
export function parseShopTime(text: string): number | null {
  const m = TIME_RE.exec(text.trim());
  if (!m) return null;
  const zone = !m[4] || m[4] === 'Z' ? 'Z' : m[4].length === 5 ? `${m[4].slice(0, 3)}:${m[4].slice(3)}` : m[4];
  const ms = Date.parse(`${m[1]}T${m[2]}${zone}`);
  if (Number.isNaN(ms)) return null;
  const frac = Number((m[3] ?? '').padEnd(6, '0').slice(0, 6));
  return ms * 1000 + frac;
}

/** Microseconds since the epoch → 2026-11-26T14:25:00.123456Z. */
export function formatMicros(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const frac = String(micros - ms * 1000).padStart(3, '0');
  return `${new Date(ms).toISOString().slice(0, 23)}${frac}Z`;
}

/** The shop's time as canonical ISO 8601 UTC (fraction kept, zone converted to Z); null when unreadable. */
const UTC_ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export function toUtcIso(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  if (UTC_ISO_RE.test(text) && !Number.isNaN(Date.parse(text))) return text;
  const m = TIME_RE.exec(text.trim());
  const micros = parseShopTime(text);
  if (!m || micros === null) return null;
  const base = new Date(Math.floor(micros / 1_000_000) * 1000).toISOString().slice(0, 19);
  return m[3] ? `${base}.${m[3]}Z` : `${base}Z`;
}

function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** parseShopTime of the last few texts: a feed compares each record with the same few positions. */
const recentTimes = new Map<string, number | null>();

function timeOf(text: string): number | null {
  let t = recentTimes.get(text);
  if (t === undefined) {
    t = parseShopTime(text);
    if (recentTimes.size >= 64) recentTimes.clear();
    recentTimes.set(text, t);
  }
  return t;
}

/** Orders two positions by time first, then id (numeric ids numerically). */
export function compareKeysets(a: Keyset, b: Keyset): number {
  if (a.since === b.since) return compareIds(a.id, b.id);
  const ta = timeOf(a.since);
  const tb = timeOf(b.since);
  if (ta !== null && tb !== null && ta !== tb) return ta - tb;
  if (ta === null || tb === null) {
    if (a.since !== b.since) return a.since < b.since ? -1 : 1;
  }
  return compareIds(a.id, b.id);
}

export function keysetToCursor(k: Keyset): Cursor {
  return { v: 1, since: k.since, id: k.id };
}

export function cursorToKeyset(cursor: Cursor | null): Keyset | null {
  if (cursor === null || typeof cursor !== 'object' || Array.isArray(cursor)) return null;
  const { since, id } = cursor;
  return typeof since === 'string' && typeof id === 'string' ? { since, id } : null;
}
