/** Small conversions between rows and values, shared by the repositories and the queue. */
import type { Json, JsonText } from './schema.js';

export function toJsonText(value: Json | undefined): JsonText {
  return JSON.stringify(value ?? null);
}

export function fromJsonText<T = Json>(text: JsonText): T;
export function fromJsonText<T = Json>(text: JsonText | null): T | null;
export function fromJsonText<T = Json>(text: JsonText | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

/** Row ids are integers in the database and strings outside it. A text that is not an id → undefined. */
export function toRowId(id: string | number): number | undefined {
  const n = typeof id === 'number' ? id : /^\d{1,15}$/.test(id) ? Number(id) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** Splits a list for IN (…) clauses and multi-row inserts (SQLite allows 32766 parameters, PostgreSQL 65535). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
