/**
 * Dead letters of records: a record a target refused (or that could not be mapped) is stored as a dead
 * `record.sync` job with its payload and the target's message. `tandem dlq replay <id>` re-runs it —
 * by default re-reading the record from its source; with an edited payload (`data`), syncing that.
 */
import type { Json } from '../connectors/contract.js';
import type { EntityType } from '../model/entities.js';
import type { SyncError } from '../shared/errors.js';
import type { NewJob } from '../queue/index.js';
import type { Side } from './ownership.js';

export interface DeadLetter {
  entity: EntityType;
  source: Side;
  sourceId: string;
  label: string;
  raw: unknown;
  data: unknown;
  error: SyncError;
}

export const RECORD_SYNC = 'record.sync';

export interface RecordSyncPayload {
  entity: EntityType;
  source: Side;
  ids: string[];
  /** Edited canonical record supplied on replay: synced instead of re-reading the source. */
  data?: Json;
  /** The record as it was when it failed, in the source's shape and mapped (for people reading it). */
  raw?: Json;
  mapped?: Json;
  label?: string;
}

export function recordJobKey(entity: EntityType, source: Side, id: string): string {
  return `${entity}:${source}:${id}`;
}

export function deadLetterJob(d: DeadLetter): NewJob {
  const payload: RecordSyncPayload = { entity: d.entity, source: d.source, ids: [d.sourceId], label: d.label, raw: toJson(d.raw), mapped: toJson(d.data) };
  return { kind: RECORD_SYNC, key: recordJobKey(d.entity, d.source, d.sourceId), payload: payload as unknown as Json, maxAttempts: 1 };
}

function toJson(v: unknown): Json {
  if (v === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(v)) as Json;
  } catch {
    return String(v);
  }
}
