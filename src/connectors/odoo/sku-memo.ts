/**
 * The engine looks products up by SKU (findByNaturalKey) right before it writes the ones it did not find;
 * the write's find-before-create asks Odoo the same question again. This memo keeps what the lookup saw,
 * per SKU (the variant rows carrying it, archived included; none = not in Odoo), so the write can use it
 * instead of a second search:
 *   - an entry is taken once (the first write that uses it deletes it): a write the engine repeats (the
 *     batch again in halves after a refused create) searches Odoo again and finds what the first attempt
 *     created;
 *   - every write forgets the SKUs of its batch when it starts and again after its creates, so a lookup
 *     made before another write of the same SKU was issued or completed is never trusted;
 *   - an entry is good for 15 s (a lookup and its write are milliseconds to a second apart; a create the
 *     engine makes without a lookup — a linked record that vanished — finds no entry, or one that young).
 * What another process creates between the lookup and the write is the same race as between a search
 * and a create, with or without this memo.
 */
import { TtlCache } from '../../shared/ttl-cache.js';
import type { OdooContext } from './context.js';
import { text, type OdooRecord } from './values.js';

const TTL_MS = 15_000;
/** Beyond this many SKUs the memo starts over (then the write searches): a few batches in flight. */
const MAX_SKUS = 200_000;

const memo = TtlCache.perOwner<OdooContext, string, OdooRecord[]>(TTL_MS, MAX_SKUS);

/** Records the lookup of `skus`: `rows` are every variant (archived too) whose default_code is one of them. */
export function rememberSkuLookup(env: OdooContext, skus: Iterable<string>, rows: OdooRecord[]): void {
  const cache = memo(env);
  const bySku = new Map<string, OdooRecord[]>();
  for (const r of rows) {
    const sku = text(r.default_code);
    if (sku === null) continue;
    const list = bySku.get(sku);
    if (list) list.push(r);
    else bySku.set(sku, [r]);
  }
  for (const sku of skus) cache.set(sku, bySku.get(sku) ?? []);
}

/**
 * The rows of `skus` if the memo holds every one of them (each entry is then deleted); null when any is
 * missing or stale: the caller searches Odoo.
 */
export function takeSkuLookup(env: OdooContext, skus: string[]): OdooRecord[] | null {
  const cache = memo(env);
  const unique = [...new Set(skus)];
  const hits: OdooRecord[][] = [];
  for (const sku of unique) {
    const e = cache.get(sku);
    if (!e) {
      forgetSkus(env, unique);
      return null;
    }
    hits.push(e.value);
  }
  forgetSkus(env, unique);
  return hits.flat();
}

export function forgetSkus(env: OdooContext, skus: Iterable<string>): void {
  const cache = memo(env);
  for (const sku of skus) cache.delete(sku);
}
