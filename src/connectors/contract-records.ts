/** Records in the connector contract (re-exported by contract.ts): what a connector reads and writes, cursors, natural keys. */
import type { EntityType, CanonicalByEntity } from '../model/index.js';
import type { SyncError } from '../shared/errors.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Opaque position in a system's change feed. Only the connector that produced it reads it. */
export type Cursor = Json;


/** A record as read from a system: its id, when it changed, its canonical form and its raw shape. */
export interface SourceRecord<E extends EntityType = EntityType> {
  entity: E;
  /** The system's own id, as a string. */
  id: string;
  /** Last change, ISO 8601 UTC (null if the system does not say). */
  updatedAt: string | null;
  /** The canonical record; absent when mapping failed (then `error` says why). */
  data?: CanonicalByEntity[E];
  /** Mapping failure for this one record: the rest of the batch is fine. */
  error?: SyncError;
  /** The record in the system's own shape (for JSONata overrides, dead letters, trace). */
  raw: unknown;
  /** Ids of sub-records by natural key, e.g. variant SKU → variation id. */
  childIds?: Record<string, string>;
  /** The record no longer exists / was archived at the source. */
  deleted?: boolean;
}

export interface Batch<E extends EntityType = EntityType> {
  records: SourceRecord<E>[];
  /** Cursor to resume AFTER this batch. Stored only once the batch is fully processed. */
  cursor: Cursor;
  /** Total number of records to expect for this read, when cheap to know (progress bars). */
  total?: number;
}

export interface ReadOptions {
  /** Records per page requested from the remote (the connector caps it to the API's maximum). */
  pageSize?: number;
  signal?: AbortSignal;
  /** Categories of an ERP: only those holding a sellable product and their parents ('sellable'), or all (default). */
  categories?: 'sellable' | 'all';
  /**
   * Which fields of the remote records to read: 'mapped' — only those the connector's mapping uses (less work
   * for the remote: WooCommerce computes each field of a product on request; `raw` is then partial), or 'all'
   * (default: field overrides evaluate the raw record, so a flow with overrides reads it whole).
   */
  fields?: 'mapped' | 'all';
}

/** Natural keys used to match records that exist on both sides before anything is created. */
export type NaturalKeyType = 'sku' | 'barcode' | 'email' | 'number' | 'name';
export interface NaturalKey {
  type: NaturalKeyType;
  value: string;
}
export function naturalKeyString(k: NaturalKey): string {
  return `${k.type}:${k.value}`;
}

/**
 * Translates ids of related records from the source system into this (target) system's ids, using the
 * link table. Injected by the engine; never does I/O.
 */
export interface IdLookup {
  (entity: EntityType, sourceId: string): string | undefined;
}

export interface WriteOp<E extends EntityType = EntityType> {
  kind: 'create' | 'update' | 'delete';
  /** Stable key of the source record (its id in the source system) — used in errors and results. */
  key: string;
  /** The record's id in THIS system, for update/delete. */
  targetId?: string;
  /** Known ids of sub-records in this system (variant SKU → id), for update. */
  childIds?: Record<string, string>;
  record: CanonicalByEntity[E];
  /**
   * Canonical fields the source owns and that may be written (per-field ownership). Undefined = all.
   * Dotted paths for nested fields, e.g. 'variants.price'.
   */
  fields?: string[];
}

export type WriteResult =
  | { ok: true; key: string; id: string; created: boolean; childIds?: Record<string, string> }
  | { ok: false; key: string; error: SyncError };

export interface WriteContext {
  lookup: IdLookup;
  signal?: AbortSignal;
}
