/**
 * Stage 1 of the record pipeline, PREPARE: each source record → overrides (JSONata) → validated canonical
 * record → hash of the source-owned fields as the target would see them. A record that cannot be prepared
 * is a dead letter (or, when the source is not ready yet, synced again later); deleted records are skipped.
 */
import type { IdLookup, SourceRecord } from '../../connectors/contract.js';
import type { z } from 'zod';
import type { CanonicalByEntity, EntityType } from '../../model/entities.js';
import { SCHEMAS, parseCanonical } from '../../model/entities.js';
import { SyncError, toSyncError } from '../../shared/errors.js';
import type { Engine } from '../context.js';
import { retryDelayOfRecord } from '../retry-policy.js';
import { labelOf, idField, type Prepared } from './batch.js';
import type { BatchOutcomes } from './batch-outcomes.js';
import { comparableView } from './comparable.js';
import type { Direction } from './direction.js';
import { hashValue } from './hash.js';
import { pick } from './ownership.js';
import { referencedIds, translateRefs } from './refs.js';

export async function prepareRecords<E extends EntityType>(engine: Engine, dir: Direction<E>, records: SourceRecord<E>[], outcomes: BatchOutcomes): Promise<{ ready: Prepared<E>[]; lookup: IdLookup }> {
  const lookup = await buildLookup(engine, dir, records.filter((r) => r.data) as Array<{ data: unknown }>);
  const ready: Prepared<E>[] = [];
  for (const rec of records) {
    outcomes.read();
    if (rec.deleted) {
      outcomes.skipped(rec.id, undefined, `deleted or archived in ${dir.from.name}: Tandem does not delete in ${dir.to.name}; archive it there if wanted`);
      continue;
    }
    try {
      const p = prepare(dir, rec, lookup);
      ready.push(p instanceof Promise ? await p : p);
    } catch (e) {
      const err = toSyncError(e, 'mapping');
      const label = labelOf(dir.entity, rec.data, rec.id);
      // not ready at the source yet (e.g. a variable product saved before its variations): try again soon
      if (err.retryable) outcomes.retryLater(rec.id, label, `not ready: ${err.message}; retried later`, retryDelayOfRecord(err));
      else outcomes.failed(rec, label, err);
    }
  }
  return { ready, lookup };
}

/**
 * Canonical record ready to decide about. Without overrides nothing is awaited (no promise per record);
 * errors are thrown either way.
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
