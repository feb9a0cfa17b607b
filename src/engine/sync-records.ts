/**
 * One batch of one flow direction: map → override → validate → diff against the link's hash → match
 * unlinked records by natural key → write (batched, bad records isolated) → the store mutations to commit.
 *
 * Remote effects happen here; the link rows, dead letters and cursor are committed by the caller in ONE
 * transaction (commitBatch). If the process dies in between, the rerun finds the written records by
 * natural key and links them instead of creating them twice.
 */
import type { Connector, IdLookup, NaturalKey, SourceRecord, WriteOp, WriteResult } from '../connectors/contract.js';
import { naturalKeyString } from '../connectors/contract.js';
import type { z } from 'zod';
import type { CanonicalByEntity, EntityType } from '../model/entities.js';
import { SCHEMAS, parseCanonical } from '../model/entities.js';
import { SyncError, toSyncError } from '../shared/errors.js';
import type { FlowConfig } from '../config/schema.js';
import type { LinkRow } from '../store/index.js';
import { hashValue } from './hash.js';
import { fieldTree, ownedFields, overlay, pick, type Side } from './ownership.js';
import { compileOverrides, type CompiledOverrides } from './overrides.js';
import { decideMatch, naturalKeys } from './natural-keys.js';
import type { RunReport } from './report.js';
import { writeIsolated } from './write-isolated.js';
import { knownRefs, referencedIds, translateRefs } from './refs.js';
import { comparableView } from './comparable.js';
import { customerLock, withLocks } from './lock.js';
import type { Engine } from './context.js';
import { connectorOf, flowOf } from './context.js';
import type { DeadLetter } from './dead-letters.js';

/** A flow direction, resolved once per run. */
export interface Direction<E extends EntityType = EntityType> {
  entity: E;
  flow: FlowConfig;
  source: Side;
  target: Side;
  from: Connector;
  to: Connector;
  ownedBySource: string[];
  ownedByTarget: string[];
  /** Source-owned fields both systems can store: what "equal on both sides" is judged on. */
  comparable: string[];
  /** The same for the target-owned fields (whether the target's own changes are in the source yet). */
  comparableByTarget: string[];
  overrides: CompiledOverrides;
}

/** Owned fields minus those either system cannot store (they would differ forever). */
export function comparableFields(entity: EntityType, owned: string[], ...conns: Connector[]): string[] {
  const unsupported = new Set(conns.flatMap((c) => c.unsupportedFields?.[entity] ?? []));
  if (unsupported.size === 0) return owned;
  const heads = new Set([...unsupported].map((p) => p.split('.')[0]));
  const out: string[] = [];
  for (const f of owned) {
    if (unsupported.has(f)) continue;
    if (!f.includes('.') && heads.has(f)) {
      // a whole array/object owned, some of its leaves unsupported: compare the supported leaves only
      const tree = fieldTree(entity)[f];
      if (tree) for (const leaf of Object.keys(tree)) if (!unsupported.has(`${f}.${leaf}`)) out.push(`${f}.${leaf}`);
      continue;
    }
    out.push(f);
  }
  return out;
}

export function resolveDirection<E extends EntityType>(engine: Engine, flow: FlowConfig, source: Side): Direction<E> {
  const target: Side = source === 'shop' ? 'erp' : 'shop';
  const index = engine.config.flows.indexOf(flow);
  const from = connectorOf(engine, source);
  const to = connectorOf(engine, target);
  const ownedBySource = ownedFields(flow.entity, flow, source);
  const ownedByTarget = ownedFields(flow.entity, flow, target);
  const linkedRefs = (f: string) => Boolean(flowOf(engine, 'category')) || (f !== 'categoryIds' && f !== 'parentId');
  return {
    entity: flow.entity as E,
    flow,
    source,
    target,
    from,
    to,
    ownedBySource,
    ownedByTarget,
    comparable: comparableFields(flow.entity, ownedBySource, from, to).filter(linkedRefs),
    comparableByTarget: comparableFields(flow.entity, ownedByTarget, from, to).filter(linkedRefs),
    overrides: compileOverrides(flow.fields, `flows[${index}]`),
  };
}

export interface BatchMutations {
  links: LinkRow[];
  /** Records not ready at the source: synced again by a record job after `afterMs`. */
  retries?: Array<{ id: string; afterMs: number; error?: SyncError }>;
  /** Which flow direction the mutations belong to (for the retry jobs). */
  entity?: EntityType;
  source?: Side;
  /** Links that replace a stale one (the linked target record vanished and was created again). */
  relinks?: LinkRow[];
  deadLetters: DeadLetter[];
}

export interface SyncOptions {
  /** Plan only: decide everything, write nothing anywhere. */
  dryRun?: boolean;
}

interface Prepared<E extends EntityType> {
  rec: SourceRecord<E>;
  data: CanonicalByEntity[E];
  hash: string;
  label: string;
}

/** Entities whose record id is the same natural key in every system (price: "<sku>@<pricelist>"). */
const KEYED: ReadonlySet<EntityType> = new Set<EntityType>(['price']);

const idField = (side: Side) => (side === 'shop' ? 'shopId' : 'erpId') as 'shopId' | 'erpId';
const hashField = (side: Side) => (side === 'shop' ? 'shopHash' : 'erpHash') as 'shopHash' | 'erpHash';

export function labelOf(entity: EntityType, data: unknown, fallback: string): string {
  const d = data as Record<string, unknown> | undefined;
  if (!d) return fallback;
  if (entity === 'product') return String((d.variants as Array<{ sku: string }> | undefined)?.[0]?.sku ?? fallback);
  if (entity === 'customer') return String(d.email ?? fallback);
  if (entity === 'order') return String(d.number ?? fallback);
  if (entity === 'category') return String(d.name ?? fallback);
  return fallback;
}

/**
 * Canonical record ready to write: overrides applied, validated, hashed on the source-owned fields. Without
 * overrides nothing is awaited (no promise per record); errors are thrown either way.
 */
function prepare<E extends EntityType>(dir: Direction<E>, rec: SourceRecord<E>, lookup: IdLookup): Prepared<E> | Promise<Prepared<E>> {
  if (rec.error) throw rec.error.about({ entity: dir.entity, record: rec.id });
  if (!rec.data) throw new SyncError('mapping', 'the connector returned neither data nor an error', { entity: dir.entity, record: rec.id });
  const label = labelOf(dir.entity, rec.data, rec.id);
  if (dir.overrides.size === 0) return validated(dir, rec, rec.data, label, lookup);
  return dir.overrides.apply(rec.data as object, rec.raw, { entity: dir.entity, record: label }).then((overridden) => validated(dir, rec, overridden, label, lookup));
}

function validated<E extends EntityType>(dir: Direction<E>, rec: SourceRecord<E>, overridden: unknown, label: string, lookup: IdLookup): Prepared<E> {
  const parsed = parseCanonical(SCHEMAS[dir.entity] as z.ZodType<CanonicalByEntity[E]>, overridden);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join('.');
    throw new SyncError('mapping', `${field || 'record'}: ${issue.message}`, {
      system: dir.from.name,
      entity: dir.entity,
      record: label,
      field,
      hint: `fix the value in ${dir.from.name} (or the field override for "${field}") and replay`,
    });
  }
  const data = parsed.data;
  // hashed as the target would see it: references in the target's ids (a category linked later changes
  // the hash, so the product is written again with it), lists in a stable order
  const view = comparableView(dir.entity, translateRefs(dir.entity, data, (e, id) => lookup(e, id))) as Record<string, unknown>;
  return { rec, data, label, hash: hashValue(pick(view, dir.ownedBySource)) };
}

/**
 * Lookup of related ids (categories of a product, parent category) from source ids to target ids,
 * preloaded for the whole batch from the link table.
 */
async function buildLookup(engine: Engine, dir: Direction, records: Array<{ data: unknown }>): Promise<IdLookup> {
  const refs = new Set<string>();
  for (const { data } of records) for (const id of referencedIds(dir.entity, data)) refs.add(id);
  if (refs.size === 0) return () => undefined;
  const links = await engine.store.links.getMany('category', dir.source, [...refs]);
  return (entity, sourceId) => (entity === 'category' ? links.get(sourceId)?.[idField(dir.target)] : undefined) ?? undefined;
}

/**
 * Source records that share a matched natural key with another source record: linking either to the
 * target record would be a guess. One lookup per batch, only for records matched by key. Record id →
 * the shared key and the source ids carrying it.
 */
async function sourceTwins(dir: Direction, matched: Array<{ id: string; keys: NaturalKey[] }>): Promise<Map<string, { via: string; ids: string[] }>> {
  const out = new Map<string, { via: string; ids: string[] }>();
  const keys = new Map(matched.flatMap((m) => m.keys).map((k) => [naturalKeyString(k), k]));
  if (keys.size === 0) return out;
  const found = await dir.from.findByNaturalKey(dir.entity, [...keys.values()]);
  // several records of this batch matched through the same key count too (the lookup may not see unsaved ones)
  const inBatch = new Map<string, Set<string>>();
  for (const m of matched) for (const k of m.keys) inBatch.set(naturalKeyString(k), (inBatch.get(naturalKeyString(k)) ?? new Set()).add(m.id));
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

export async function syncRecords<E extends EntityType>(engine: Engine, dir: Direction<E>, records: SourceRecord<E>[], report: RunReport, opts: SyncOptions = {}): Promise<BatchMutations> {
  const out: BatchMutations = { links: [], deadLetters: [], entity: dir.entity, source: dir.source };
  const fail = (rec: SourceRecord<E>, label: string, err: SyncError) => {
    report.add({ outcome: 'failed', id: rec.id, label, reason: err.describe() });
    out.deadLetters.push({ entity: dir.entity, source: dir.source, sourceId: rec.id, label, raw: rec.raw, data: rec.data ?? null, error: err });
  };

  // 1. map / override / validate / hash
  const lookup = await buildLookup(engine, dir, records.filter((r) => r.data) as Array<{ data: unknown }>);
  const ready: Prepared<E>[] = [];
  for (const rec of records) {
    report.counts.read += 1;
    if (rec.deleted) {
      report.add({ outcome: 'skipped', id: rec.id, reason: `deleted or archived in ${dir.from.name}: Tandem does not delete in ${dir.to.name}; archive it there if wanted` });
      continue;
    }
    try {
      const p = prepare(dir, rec, lookup);
      ready.push(p instanceof Promise ? await p : p);
    } catch (e) {
      const err = toSyncError(e, 'mapping');
      if (err.retryable) {
        // not ready at the source yet (e.g. a variable product saved before its variations): try again soon
        report.add({ outcome: 'skipped', id: rec.id, label: labelOf(dir.entity, rec.data, rec.id), reason: `not ready: ${err.message}; retried later` });
        (out.retries ??= []).push({ id: rec.id, afterMs: err.retryAfterMs ?? 30_000 });
      } else fail(rec, labelOf(dir.entity, rec.data, rec.id), err);
    }
  }
  if (ready.length === 0) return out;

  // 2. diff against links
  const links = await engine.store.links.getMany(dir.entity, dir.source, ready.map((p) => p.rec.id));
  const linked: Array<Prepared<E> & { targetId: string; via?: string }> = [];
  const unlinked: Prepared<E>[] = [];
  for (const p of ready) {
    const link = links.get(p.rec.id);
    if (!link) unlinked.push(p);
    else if (link[hashField(dir.source)] === p.hash) report.add({ outcome: 'unchanged', id: p.rec.id, label: p.label, targetId: link[idField(dir.target)] });
    else linked.push({ ...p, targetId: link[idField(dir.target)] });
  }

  // 3. match unlinked records by natural key before creating anything
  const creates: Prepared<E>[] = [];
  if (unlinked.length && KEYED.has(dir.entity)) {
    // prices are identified by their key (<sku>@<pricelist>) on both sides: nothing to match
    for (const p of unlinked) linked.push({ ...p, targetId: p.rec.id, via: 'key' });
  } else if (unlinked.length) {
    const keySets = unlinked.map((p) => naturalKeys(dir.entity, p.data));
    const allKeys = new Map(keySets.flat(2).map((k) => [`${k.type}:${k.value}`, k]));
    const found = allKeys.size ? await dir.to.findByNaturalKey(dir.entity, [...allKeys.values()]) : new Map<string, string[]>();
    const matchedIds = unlinked.map((p, i) => ({ p, m: decideMatch(keySets[i] ?? [], found) }));
    const claimed = await engine.store.links.getMany(dir.entity, dir.target, matchedIds.flatMap(({ m }) => (m.kind === 'one' ? [m.id] : [])));
    const twins = await sourceTwins(dir, matchedIds.map(({ p, m }, i) => ({ id: p.rec.id, keys: m.kind === 'one' ? (keySets[i] ?? []).flat().filter((k) => found.get(naturalKeyString(k))?.includes(m.id)) : [] })));
    const seen = new Map<string, string>();
    for (const { p, m } of matchedIds) {
      const twin = m.kind === 'one' ? twins.get(p.rec.id) : undefined;
      if (m.kind === 'none') creates.push(p);
      else if (twin) {
        // the match is only unique from one side: two source records carry the key (Odoo allows duplicate SKUs)
        fail(p.rec, p.label, new SyncError('conflict', `${twin.via} is carried by ${twin.ids.length} records in ${dir.from.name} (ids ${twin.ids.join(', ')}); Tandem does not guess which one is ${dir.to.name} record ${m.kind === 'one' ? m.id : ''}`, { system: dir.from.name, entity: dir.entity, record: p.label, hint: `make the key unique in ${dir.from.name} (archive or fix the duplicates), then replay` }));
      } else if (m.kind === 'ambiguous') {
        fail(p.rec, p.label, new SyncError('conflict', `${m.via} matches ${m.ids.length} records in ${dir.to.name} (ids ${m.ids.join(', ')}); Tandem does not guess`, { system: dir.to.name, entity: dir.entity, record: p.label, hint: `make the key unique in ${dir.to.name} (archive or fix the duplicates), then replay` }));
      } else {
        const owner = claimed.get(m.id);
        const other = seen.get(m.id);
        if ((owner && owner[idField(dir.source)] !== p.rec.id) || other) {
          const by = owner ? owner[idField(dir.source)] : other;
          fail(p.rec, p.label, new SyncError('conflict', `${m.via} matches ${dir.to.name} record ${m.id}, which is already linked to ${dir.from.name} record ${by}`, { system: dir.to.name, entity: dir.entity, record: p.label, hint: 'two source records share a natural key: make it unique, then replay' }));
        } else {
          seen.set(m.id, p.rec.id);
          linked.push({ ...p, targetId: m.id, via: m.via });
        }
      }
    }
  }

  // 4. compare linked/matched records with the target's current state; merge owned fields only
  const updates: Array<{ p: Prepared<E> & { via?: string }; op: WriteOp<E>; targetHash: string | null }> = [];
  const recreated = new Set<string>();
  const targetLinks = (p: Prepared<E>, targetId: string, targetHash: string | null, childIds?: { source?: Record<string, string>; target?: Record<string, string> }): LinkRow => ({
    entity: dir.entity,
    [idField(dir.source)]: p.rec.id,
    [idField(dir.target)]: targetId,
    [hashField(dir.source)]: p.hash,
    ...(targetHash !== null && { [hashField(dir.target)]: targetHash }),
    meta: childIds ? { [`${dir.source}ChildIds`]: childIds.source ?? p.rec.childIds ?? {}, [`${dir.target}ChildIds`]: childIds.target ?? {} } : null,
  }) as unknown as LinkRow;

  if (linked.length) {
    const current = new Map((await dir.to.fetch(dir.entity, linked.map((l) => l.targetId))).map((r) => [r.id, r]));
    const refLinks = await engine.store.links.getMany('category', dir.target, [...current.values()].flatMap((r) => referencedIds(dir.entity, r.data ?? {})));
    const toSource = (_e: string, id: string) => refLinks.get(id)?.[idField(dir.source)];
    for (const l of linked) {
      const cur = current.get(l.targetId);
      if (!cur || cur.deleted) {
        if (KEYED.has(dir.entity)) {
          // a keyed record (price of a SKU) is written in place: the SKU must exist there
          updates.push({ p: l, targetHash: null, op: { kind: 'update', key: l.rec.id, targetId: l.targetId, record: l.data, fields: dir.ownedBySource } });
          continue;
        }
        // The linked record vanished on the target: create it again (the stale link is replaced).
        creates.push(l);
        recreated.add(l.rec.id);
        continue;
      }
      if (!cur.data) {
        fail(l.rec, l.label, (cur.error ?? new SyncError('mapping', 'target record could not be read')).about({ entity: dir.entity, record: l.label }));
        continue;
      }
      // references (categories) are compared in the target's ids, and only where Tandem links them
      const mine = comparableView(dir.entity, translateRefs(dir.entity, l.data, (e, id) => lookup(e, id))) as Record<string, unknown>;
      const theirs = comparableView(dir.entity, knownRefs(dir.entity, cur.data, (id) => refLinks.has(id))) as Record<string, unknown>;
      const same = hashValue(pick(theirs, dir.comparable)) === hashValue(pick(mine, dir.comparable));
      // The target's hash on the link means "the target's own fields as last synced". The target's current
      // state is synced only when the source already has the target's values; otherwise the stored hash is
      // kept (none for a new link), so the reverse direction still carries the target's change across
      // (an ERP price change must not be marked synced by a name written from the shop).
      const targetSynced = hashValue(pick(theirs, dir.comparableByTarget)) === hashValue(pick(mine, dir.comparableByTarget));
      // the target-owned fields as the reverse direction hashes them (references in the source's ids)
      const curTargetHash = targetSynced ? hashValue(pick(comparableView(dir.entity, translateRefs(dir.entity, cur.data, toSource)) as Record<string, unknown>, dir.ownedByTarget)) : null;
      if (same) {
        report.add({ outcome: l.via ? 'linked' : 'unchanged', id: l.rec.id, label: l.label, targetId: l.targetId, ...(l.via && { reason: `matched by ${l.via}` }) });
        out.links.push(targetLinks(l, l.targetId, curTargetHash, { target: cur.childIds ?? {} }));
        continue;
      }
      const merged = overlay(cur.data as Record<string, unknown>, l.data as Record<string, unknown>, dir.ownedBySource) as CanonicalByEntity[E];
      updates.push({ p: l, targetHash: curTargetHash, op: { kind: 'update', key: l.rec.id, targetId: l.targetId, childIds: cur.childIds ?? {}, record: merged, fields: dir.ownedBySource } });
    }
  }

  if (opts.dryRun) {
    for (const u of updates) report.add({ outcome: 'updated', id: u.p.rec.id, label: u.p.label, targetId: u.op.targetId, ...(u.p.via && { reason: `matched by ${u.p.via}` }) });
    for (const c of creates) report.add({ outcome: 'created', id: c.rec.id, label: c.label });
    out.links = [];
    return out;
  }

  // 5. write: creates and updates in batches, each bad record isolated
  const createOps: WriteOp<E>[] = creates.map((c) => ({ kind: 'create', key: c.rec.id, record: c.data }));
  const chunk = dir.flow.batchSize;
  const writeCreates = () => writeIsolated(dir.to, dir.entity, createOps, { lookup }, chunk);
  const [createResults, updateResults] = await Promise.all([
    // an order import may be creating the same customer right now: both create under the email's lease,
    // and the connector's own find-before-create then sees the other's record
    dir.entity === 'customer' && createOps.length
      ? withLocks(engine, createOps.map((o) => customerLock((o.record as CanonicalByEntity['customer']).email)), writeCreates, { wait: true })
      : writeCreates(),
    writeIsolated(dir.to, dir.entity, updates.map((u) => u.op), { lookup }, chunk),
  ]);
  const apply = (p: Prepared<E> & { via?: string }, r: WriteResult | undefined, outcome: 'created' | 'updated', targetHash: string | null) => {
    if (!r) return fail(p.rec, p.label, new SyncError('invalid_data', 'no write result returned', { entity: dir.entity, record: p.label }));
    if (!r.ok && r.error.kind === 'not_found' && KEYED.has(dir.entity)) {
      report.add({ outcome: 'skipped', id: p.rec.id, label: p.label, reason: `${p.label} is not sold in ${dir.to.name}: ${r.error.message}` });
      return;
    }
    if (!r.ok && r.error.retryable) {
      // a transient failure of this record alone (connection lost, rate limit, serialization failure): it is
      // retried by a record job, not buried as a dead letter an operator would have to replay
      report.add({ outcome: 'skipped', id: p.rec.id, label: p.label, reason: `${r.error.describe()}; retried later` });
      (out.retries ??= []).push({ id: p.rec.id, afterMs: r.error.retryAfterMs ?? 30_000, error: r.error });
      return;
    }
    if (!r.ok) return fail(p.rec, p.label, r.error.about({ entity: dir.entity, record: p.label }));
    report.add({ outcome, id: p.rec.id, label: p.label, targetId: r.id, ...(p.via && { reason: `matched by ${p.via}` }) });
    const link = targetLinks(p, r.id, targetHash, { target: r.childIds ?? {} });
    if (recreated.has(p.rec.id)) (out.relinks ??= []).push(link);
    else out.links.push(link);
  };
  // nothing owned by the target (a one-way flow): the hash of no fields, the same for every record
  const noTargetFields = dir.ownedByTarget.length === 0 ? hashValue({}) : null;
  const createdTargetHash = (c: Prepared<E>) => noTargetFields ?? hashValue(pick(comparableView(dir.entity, knownRefs(dir.entity, c.data, (id) => lookup('category', id) !== undefined)) as Record<string, unknown>, dir.ownedByTarget));
  creates.forEach((c, i) => apply(c, createResults[i], 'created', createdTargetHash(c)));
  updates.forEach((u, i) => apply(u.p, updateResults[i], 'updated', u.targetHash));
  return out;
}

/** The source record's shape as a dead letter payload, for `tandem dlq show`. */
export type { DeadLetter };
