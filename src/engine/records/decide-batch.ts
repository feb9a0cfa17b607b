/**
 * The DECISION of the record pipeline, pure: from prepared records, their links, their natural-key matches
 * and the target's current records to what happens to each record — unchanged, linked, updated, created,
 * or failed with a reason. No I/O here: the pipeline (sync-records.ts) reads the facts, this decides, the
 * write stage carries it out. Two halves, because which target records are worth reading depends on the
 * first: matchBatch (link or match each record) → read the targets → planBatch (compare, merge, plan writes).
 */
import type { IdLookup, SourceRecord, WriteOp } from '../../connectors/contract.js';
import type { CanonicalByEntity, EntityType } from '../../model/entities.js';
import { SyncError } from '../../shared/errors.js';
import type { Link, LinkRow } from '../../store/index.js';
import { KEYED, hashField, idField, type Prepared } from './batch.js';
import { comparableView } from './comparable.js';
import type { Direction } from './direction.js';
import { hashValue } from './hash.js';
import type { MatchOutcome } from './natural-keys.js';
import { overlay, pick } from './ownership.js';
import { knownRefs, translateRefs } from './refs.js';

/** What the decision needs of a direction (no connectors: only their names, for messages). */
export type DecisionDirection<E extends EntityType = EntityType> = Pick<Direction<E>, 'entity' | 'source' | 'target' | 'ownedBySource' | 'ownedByTarget' | 'comparable' | 'comparableByTarget'> & {
  from: { name: string };
  to: { name: string };
};

/** Two or more source records carry the key a record matched by: linking either would be a guess. */
export interface Twin {
  via: string;
  ids: string[];
}

export interface MatchFacts<E extends EntityType> {
  prepared: Prepared<E>[];
  /** Links of the batch's records, by source id. */
  links: Map<string, Pick<Link, 'shopId' | 'erpId' | 'shopHash' | 'erpHash'>>;
  /** Natural-key match in the target of each unlinked record, by source id (absent: none). */
  matches: Map<string, MatchOutcome>;
  /** Links of the matched target records, by target id (a target already linked to another source record). */
  claimed: Map<string, Pick<Link, 'shopId' | 'erpId'>>;
  /** Matched records whose key another source record carries too, by source id. */
  twins: Map<string, Twin>;
}

/** A record decided without a write, in decision order. */
export type Settled<E extends EntityType> =
  | { p: Prepared<E>; outcome: 'unchanged' | 'linked'; targetId: string; via?: string; link?: LinkRow }
  | { p: Prepared<E>; outcome: 'failed'; error: SyncError };

/** A linked or matched record whose target must be read to decide. */
export interface ToCompare<E extends EntityType> {
  p: Prepared<E>;
  targetId: string;
  via?: string;
}

export interface Matched<E extends EntityType> {
  settled: Settled<E>[];
  compare: ToCompare<E>[];
  /** Records without a counterpart in the target. */
  creates: Prepared<E>[];
}

export interface PlannedCreate<E extends EntityType> {
  p: Prepared<E>;
  /** The natural key it matched by (a matched target that vanished before it was read). */
  via?: string;
  /** The target-owned fields' hash for the new link. */
  targetHash: string;
  /** Replaces a stale link (the linked target record vanished). */
  relink: boolean;
}

export interface PlannedUpdate<E extends EntityType> {
  p: Prepared<E>;
  via?: string;
  op: WriteOp<E>;
  /** The target-owned fields' hash for the link (null: keep the stored one). */
  targetHash: string | null;
}

export interface BatchDecision<E extends EntityType> {
  settled: Settled<E>[];
  creates: PlannedCreate<E>[];
  updates: PlannedUpdate<E>[];
}

export interface TargetFacts {
  /** The target's current records, by target id (absent or deleted: vanished). */
  targets: Map<string, SourceRecord>;
  /** Category links of the references the target records carry: target id → source id. */
  targetRefs: Map<string, string>;
  /** Source → target ids of related records (categories), from the links. */
  lookup: IdLookup;
}

/** First half: each record is unchanged (same hash as linked), to compare with its linked or matched target, to create, or failed. */
export function matchBatch<E extends EntityType>(dir: DecisionDirection<E>, facts: MatchFacts<E>): Matched<E> {
  const out: Matched<E> = { settled: [], compare: [], creates: [] };
  const unlinked: Prepared<E>[] = [];
  for (const p of facts.prepared) {
    const link = facts.links.get(p.rec.id);
    if (!link) unlinked.push(p);
    else if (link[hashField(dir.source)] === p.hash) out.settled.push({ p, outcome: 'unchanged', targetId: link[idField(dir.target)] });
    else out.compare.push({ p, targetId: link[idField(dir.target)] });
  }
  const twinError = (p: Prepared<E>, twin: Twin, targetId: string) =>
    new SyncError('conflict', `${twin.via} is carried by ${twin.ids.length} records in ${dir.from.name} (ids ${twin.ids.join(', ')}); Tandem does not guess which one is ${dir.to.name} record ${targetId}`, { system: dir.from.name, entity: dir.entity, record: p.label, hint: `make the key unique in ${dir.from.name} (archive or fix the duplicates), then replay` });
  if (KEYED.has(dir.entity)) {
    // prices are identified by their key (<sku>@<pricelist>) on both sides: nothing to match
    for (const p of unlinked) out.compare.push({ p, targetId: p.rec.id, via: 'key' });
    // …but a key carried by two source records (one SKU on two ERP products) would be written once per record
    const twinned = out.compare.filter((c) => facts.twins.has(c.p.rec.id));
    for (const c of twinned) out.settled.push({ p: c.p, outcome: 'failed', error: twinError(c.p, facts.twins.get(c.p.rec.id)!, c.targetId) });
    if (twinned.length) out.compare = out.compare.filter((c) => !facts.twins.has(c.p.rec.id));
    return out;
  }
  const seen = new Map<string, string>();
  for (const p of unlinked) {
    const m = facts.matches.get(p.rec.id) ?? { kind: 'none' };
    const twin = m.kind === 'one' ? facts.twins.get(p.rec.id) : undefined;
    const fail = (error: SyncError) => out.settled.push({ p, outcome: 'failed', error });
    if (m.kind === 'none') out.creates.push(p);
    // the match is only unique from one side: two source records carry the key (Odoo allows duplicate SKUs)
    else if (twin) fail(twinError(p, twin, m.kind === 'one' ? m.id : ''));
    else if (m.kind === 'ambiguous') {
      fail(new SyncError('conflict', `${m.via} matches ${m.ids.length} records in ${dir.to.name} (ids ${m.ids.join(', ')}); Tandem does not guess`, { system: dir.to.name, entity: dir.entity, record: p.label, hint: `make the key unique in ${dir.to.name} (archive or fix the duplicates), then replay` }));
    } else {
      const owner = facts.claimed.get(m.id);
      const other = seen.get(m.id);
      if ((owner && owner[idField(dir.source)] !== p.rec.id) || other) {
        const by = owner ? owner[idField(dir.source)] : other;
        fail(new SyncError('conflict', `${m.via} matches ${dir.to.name} record ${m.id}, which is already linked to ${dir.from.name} record ${by}`, { system: dir.to.name, entity: dir.entity, record: p.label, hint: 'two source records share a natural key: make it unique, then replay' }));
      } else {
        seen.set(m.id, p.rec.id);
        out.compare.push({ p, targetId: m.id, via: m.via });
      }
    }
  }
  return out;
}

/**
 * Second half: each compared record against the target's current state — equal → linked as it is; different
 * → an update of the source-owned fields merged into the target record; vanished → created again (a keyed
 * record is written in place); unreadable → failed. Creates get the target-side hash of their new link.
 */
export function planBatch<E extends EntityType>(dir: DecisionDirection<E>, matched: Matched<E>, facts: TargetFacts): BatchDecision<E> {
  const settled = [...matched.settled];
  const updates: PlannedUpdate<E>[] = [];
  const recreates: Array<{ p: Prepared<E>; via?: string }> = [];
  const toSource = (_e: string, id: string) => facts.targetRefs.get(id);
  for (const l of matched.compare) {
    const cur = facts.targets.get(l.targetId);
    if (!cur || cur.deleted) {
      // a keyed record (price of a SKU) is written in place: the SKU must exist there
      if (KEYED.has(dir.entity)) updates.push({ p: l.p, ...(l.via && { via: l.via }), targetHash: null, op: { kind: 'update', key: l.p.rec.id, targetId: l.targetId, record: l.p.data, fields: dir.ownedBySource } });
      // the linked record vanished on the target: create it again (the stale link is replaced)
      else recreates.push({ p: l.p, ...(l.via && { via: l.via }) });
      continue;
    }
    if (!cur.data) {
      settled.push({ p: l.p, outcome: 'failed', error: (cur.error ?? new SyncError('mapping', 'target record could not be read')).about({ entity: dir.entity, record: l.p.label }) });
      continue;
    }
    // references (categories) are compared in the target's ids, and only where Tandem links them
    const mine = comparableView(dir.entity, translateRefs(dir.entity, l.p.data, (e, id) => facts.lookup(e, id))) as Record<string, unknown>;
    const theirs = comparableView(dir.entity, knownRefs(dir.entity, cur.data, (id) => facts.targetRefs.has(id))) as Record<string, unknown>;
    const same = hashValue(pick(theirs, dir.comparable)) === hashValue(pick(mine, dir.comparable));
    // The target's hash on the link means "the target's own fields as last synced". The target's current
    // state is synced only when the source already has the target's values; otherwise the stored hash is
    // kept (none for a new link), so the reverse direction still carries the target's change across
    // (an ERP price change must not be marked synced by a name written from the shop).
    const targetSynced = hashValue(pick(theirs, dir.comparableByTarget)) === hashValue(pick(mine, dir.comparableByTarget));
    // the target-owned fields as the reverse direction hashes them (references in the source's ids)
    const targetHash = targetSynced ? hashValue(pick(comparableView(dir.entity, translateRefs(dir.entity, cur.data, toSource)) as Record<string, unknown>, dir.ownedByTarget)) : null;
    if (same) {
      settled.push({ p: l.p, outcome: l.via ? 'linked' : 'unchanged', targetId: l.targetId, ...(l.via && { via: l.via }), link: linkRow(dir, l.p, l.targetId, targetHash, cur.childIds ?? {}) });
      continue;
    }
    const merged = overlay(cur.data as Record<string, unknown>, l.p.data as Record<string, unknown>, dir.ownedBySource) as CanonicalByEntity[E];
    updates.push({ p: l.p, ...(l.via && { via: l.via }), targetHash, op: { kind: 'update', key: l.p.rec.id, targetId: l.targetId, childIds: cur.childIds ?? {}, record: merged, fields: dir.ownedBySource } });
  }
  // nothing owned by the target (a one-way flow): the hash of no fields, the same for every record
  const noTargetFields = dir.ownedByTarget.length === 0 ? hashValue({}) : null;
  const createdTargetHash = (p: Prepared<E>) => noTargetFields ?? hashValue(pick(comparableView(dir.entity, knownRefs(dir.entity, p.data, (id) => facts.lookup('category', id) !== undefined)) as Record<string, unknown>, dir.ownedByTarget));
  const creates = [
    ...matched.creates.map((p) => ({ p, targetHash: createdTargetHash(p), relink: false })),
    ...recreates.map((r) => ({ ...r, targetHash: createdTargetHash(r.p), relink: true })),
  ];
  return { settled, creates, updates };
}

/** Both halves at once, for a caller that has every fact already (tests, documentation). */
export function decideBatch<E extends EntityType>(dir: DecisionDirection<E>, facts: MatchFacts<E> & TargetFacts): BatchDecision<E> {
  return planBatch(dir, matchBatch(dir, facts), facts);
}

/** The link row of a record and its target (hash of the target side only when known). */
export function linkRow<E extends EntityType>(dir: Pick<DecisionDirection<E>, 'entity' | 'source' | 'target'>, p: Prepared<E>, targetId: string, targetHash: string | null, targetChildIds: Record<string, string>): LinkRow {
  return {
    entity: dir.entity,
    [idField(dir.source)]: p.rec.id,
    [idField(dir.target)]: targetId,
    [hashField(dir.source)]: p.hash,
    ...(targetHash !== null && { [hashField(dir.target)]: targetHash }),
    meta: { [`${dir.source}ChildIds`]: p.rec.childIds ?? {}, [`${dir.target}ChildIds`]: targetChildIds },
  } as unknown as LinkRow;
}
