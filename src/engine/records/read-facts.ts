/**
 * The reads the decision needs (stages 2 and 4 of the record pipeline): the links of the batch, the
 * natural-key matches of the unlinked records in the target (with the links of what they matched and the
 * source records that share their key), then the current target records worth comparing.
 */
import type { IdLookup, NaturalKey } from '../../connectors/contract.js';
import { naturalKeyString } from '../../connectors/contract.js';
import type { EntityType } from '../../model/entities.js';
import type { Engine } from '../context.js';
import { KEYED, hashField, idField, type Prepared } from './batch.js';
import type { MatchFacts, TargetFacts, ToCompare, Twin } from './decide-batch.js';
import type { Direction } from './direction.js';
import { decideMatch, naturalKeys, type MatchOutcome } from './natural-keys.js';
import { referencedIds } from './refs.js';

export async function readMatchFacts<E extends EntityType>(engine: Engine, dir: Direction<E>, prepared: Prepared<E>[]): Promise<MatchFacts<E>> {
  const links = await engine.store.links.getMany(dir.entity, dir.source, prepared.map((p) => p.rec.id));
  const facts: MatchFacts<E> = { prepared, links, matches: new Map(), claimed: new Map(), twins: new Map() };
  if (KEYED.has(dir.entity)) {
    // a keyed record (price of a SKU) is written in place: refused when its key is on two source records.
    // Only the ERP allows that (Odoo has no unique SKU; shops refuse a duplicate SKU), so only it is asked.
    if (dir.source !== 'erp') return facts;
    const toWrite = prepared.filter((p) => links.get(p.rec.id)?.[hashField(dir.source)] !== p.hash);
    facts.twins = await sourceTwins(dir, toWrite.map((p) => ({ id: p.rec.id, keys: naturalKeys(dir.entity, p.data).flat() })), false);
    return facts;
  }
  const unlinked = prepared.filter((p) => !links.has(p.rec.id));
  if (unlinked.length === 0) return facts;
  // match unlinked records by natural key before creating anything
  const keySets = unlinked.map((p) => naturalKeys(dir.entity, p.data));
  const allKeys = new Map(keySets.flat(2).map((k) => [`${k.type}:${k.value}`, k]));
  const found = allKeys.size ? await dir.to.findByNaturalKey(dir.entity, [...allKeys.values()]) : new Map<string, string[]>();
  const matched: Array<{ id: string; keys: NaturalKey[] }> = [];
  unlinked.forEach((p, i) => {
    const m: MatchOutcome = decideMatch(keySets[i] ?? [], found);
    if (m.kind !== 'none') facts.matches.set(p.rec.id, m);
    // the keys through which it matched its one target record
    matched.push({ id: p.rec.id, keys: m.kind === 'one' ? (keySets[i] ?? []).flat().filter((k) => found.get(naturalKeyString(k))?.includes(m.id)) : [] });
  });
  const matchedIds = [...facts.matches.values()].flatMap((m) => (m.kind === 'one' ? [m.id] : []));
  facts.claimed = await engine.store.links.getMany(dir.entity, dir.target, matchedIds);
  facts.twins = await sourceTwins(dir, matched);
  return facts;
}

/**
 * Source records that share a matched natural key with another source record: linking either to the
 * target record would be a guess. One lookup per batch, only for records matched by key (keyed records:
 * those to write; their ids repeat, so only the source's answer counts). Record id → the shared key and
 * the source ids carrying it.
 */
async function sourceTwins(dir: Direction, matched: Array<{ id: string; keys: NaturalKey[] }>, countBatch = true): Promise<Map<string, Twin>> {
  const out = new Map<string, Twin>();
  const keys = new Map(matched.flatMap((m) => m.keys).map((k) => [naturalKeyString(k), k]));
  if (keys.size === 0) return out;
  const found = await dir.from.findByNaturalKey(dir.entity, [...keys.values()]);
  // several records of this batch matched through the same key count too (the lookup may not see unsaved ones)
  const inBatch = new Map<string, Set<string>>();
  if (countBatch) for (const m of matched) for (const k of m.keys) inBatch.set(naturalKeyString(k), (inBatch.get(naturalKeyString(k)) ?? new Set()).add(m.id));
  for (const m of matched) {
    for (const k of m.keys) {
      const key = naturalKeyString(k);
      const ids = new Set([...(found.get(key) ?? []), ...(inBatch.get(key) ?? [])]);
      if (ids.size > 1) {
        out.set(m.id, { via: key, ids: [...ids].sort() });
        break;
      }
    }
  }
  return out;
}

/** The target's current state of the records to compare, and the category links of what they reference. */
export async function readTargetFacts<E extends EntityType>(engine: Engine, dir: Direction<E>, compare: ToCompare<E>[], lookup: IdLookup): Promise<TargetFacts> {
  if (compare.length === 0) return { targets: new Map(), targetRefs: new Map(), lookup };
  const targets = new Map((await dir.to.fetch(dir.entity, compare.map((l) => l.targetId))).map((r) => [r.id, r]));
  const refLinks = await engine.store.links.getMany('category', dir.target, [...targets.values()].flatMap((r) => referencedIds(dir.entity, r.data ?? {})));
  const targetRefs = new Map([...refLinks].map(([targetId, link]) => [targetId, link[idField(dir.source)]]));
  return { targets, targetRefs, lookup };
}
