/**
 * Natural keys: how a record is recognised on the other side before anything is created.
 * Products by SKU (then barcode), customers by normalized email, orders by number, categories by name.
 */
import type { NaturalKey } from '../../connectors/contract.js';
import { naturalKeyString } from '../../connectors/contract.js';
import type { CanonicalByEntity, EntityType } from '../../model/entities.js';
import { normalizeEmail } from '../../model/entities.js';

/** Keys in order of preference; the first key with a match decides. */
export function naturalKeys<E extends EntityType>(entity: E, record: CanonicalByEntity[E]): NaturalKey[][] {
  switch (entity) {
    case 'product': {
      const p = record as CanonicalByEntity['product'];
      const skus = p.variants.map((v) => ({ type: 'sku' as const, value: v.sku }));
      const barcodes = p.variants.filter((v) => v.barcode).map((v) => ({ type: 'barcode' as const, value: v.barcode as string }));
      return [skus, barcodes].filter((k) => k.length > 0);
    }
    case 'customer':
      return [[{ type: 'email', value: normalizeEmail((record as CanonicalByEntity['customer']).email) }]];
    case 'order':
      return [[{ type: 'number', value: (record as CanonicalByEntity['order']).number }]];
    case 'category':
      return [[{ type: 'name', value: (record as CanonicalByEntity['category']).name }]];
    case 'price':
    case 'stock':
      return [[{ type: 'sku', value: (record as CanonicalByEntity['price']).sku }]];
    default:
      return [];
  }
}

export type MatchOutcome = { kind: 'none' } | { kind: 'one'; id: string; via: string } | { kind: 'ambiguous'; ids: string[]; via: string };

/**
 * Decides the match for one record from the lookup results. A product whose SKUs point to two different
 * target records, or a SKU carried by two target records, is ambiguous: reported, never guessed.
 */
export function decideMatch(keySets: NaturalKey[][], found: Map<string, string[]>): MatchOutcome {
  for (const keys of keySets) {
    const ids = new Set<string>();
    let via = '';
    for (const k of keys) {
      const hit = found.get(naturalKeyString(k));
      if (hit?.length) {
        hit.forEach((id) => ids.add(id));
        via ||= naturalKeyString(k);
      }
    }
    if (ids.size === 1) return { kind: 'one', id: [...ids][0] as string, via };
    if (ids.size > 1) return { kind: 'ambiguous', ids: [...ids].sort(), via };
  }
  return { kind: 'none' };
}
