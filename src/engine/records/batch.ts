/**
 * What the stages of the record pipeline hand each other: prepared records, the decisions about them, and
 * the store mutations a batch leaves to commit (links, dead letters, records to sync again later).
 */
import type { SourceRecord } from '../../connectors/contract.js';
import type { CanonicalByEntity, EntityType } from '../../model/entities.js';
import type { SystemRole } from '../../model/system-role.js';
import type { SyncError } from '../../shared/errors.js';
import type { LinkRow } from '../../store/index.js';

/** A source record ready to decide about: overrides applied, validated, hashed on the source-owned fields. */
export interface Prepared<E extends EntityType = EntityType> {
  rec: SourceRecord<E>;
  data: CanonicalByEntity[E];
  hash: string;
  /** Human key (SKU, email, order number) for reports and errors. */
  label: string;
}

/** A record the target refused (or that could not be mapped): a dead letter with its payload. */
export interface DeadLetter {
  entity: EntityType;
  source: SystemRole;
  sourceId: string;
  label: string;
  raw: unknown;
  data: unknown;
  error: SyncError;
}

/** A record synced again by a record job after `afterMs` (transient failure of that record alone, or not ready at the source). */
export interface RecordRetry {
  id: string;
  afterMs: number;
  /** The transient failure, when there was one (a record job of this one record rethrows it to the queue). */
  error?: SyncError;
}

/** A batch's effects on the store, committed in one transaction (commitBatch). */
export interface BatchMutations {
  links: LinkRow[];
  /** Records to sync again later (a record job each). */
  retries?: RecordRetry[];
  /** Which flow direction the mutations belong to (for the retry jobs). */
  entity?: EntityType;
  source?: SystemRole;
  /** Links that replace a stale one (the linked target record vanished and was created again). */
  relinks?: LinkRow[];
  deadLetters: DeadLetter[];
}

/** Entities whose record id is the same natural key in every system (price: "<sku>@<pricelist>"): never matched, written in place. */
export const KEYED: ReadonlySet<EntityType> = new Set<EntityType>(['price']);

export const idField = (side: SystemRole) => (side === 'shop' ? 'shopId' : 'erpId') as 'shopId' | 'erpId';
export const hashField = (side: SystemRole) => (side === 'shop' ? 'shopHash' : 'erpHash') as 'shopHash' | 'erpHash';

/** The human key of a record: first SKU of a product, email of a customer, number of an order, name of a category. */
export function labelOf(entity: EntityType, data: unknown, fallback: string): string {
  const d = data as Record<string, unknown> | undefined;
  if (!d) return fallback;
  if (entity === 'product') return String((d.variants as Array<{ sku: string }> | undefined)?.[0]?.sku ?? fallback);
  if (entity === 'customer') return String(d.email ?? fallback);
  if (entity === 'order') return String(d.number ?? fallback);
  if (entity === 'category') return String(d.name ?? fallback);
  return fallback;
}
