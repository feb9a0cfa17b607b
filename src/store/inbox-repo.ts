/** Inbox: webhook deliveries as received, one row per (system, delivery id) so a redelivery is recognised. */
import type { Selectable } from 'kysely';
import { fromJsonText, toJsonText, toRowId } from './columns.js';
import type { Executor, InboxTable, Json } from './schema.js';

export interface InboxInput {
  system: string;
  deliveryId: string;
  entity?: string | null;
  recordId?: string | null;
  action?: string | null;
  payload: Json;
  /** Default: now. */
  receivedAt?: number;
  /** Recorded as processed (now) with this job, or with none (null): the delivery's routing done in the same transaction. */
  processed?: { jobId: string | null };
}

export interface InboxEntry {
  id: string;
  system: string;
  deliveryId: string;
  entity: string | null;
  recordId: string | null;
  action: string | null;
  payload: Json;
  receivedAt: number;
  processedAt: number | null;
  jobId: string | null;
}

export interface InboxFilter {
  system?: string;
  entity?: string;
  recordId?: string;
  processed?: boolean;
  limit?: number;
  offset?: number;
}

function toEntry(row: Selectable<InboxTable>): InboxEntry {
  return {
    id: String(row.id),
    system: row.system,
    deliveryId: row.delivery_id,
    entity: row.entity,
    recordId: row.record_id,
    action: row.action,
    payload: fromJsonText(row.payload),
    receivedAt: row.received_at,
    processedAt: row.processed_at,
    jobId: row.job_id,
  };
}

export class InboxRepo {
  constructor(private readonly db: Executor, private readonly now: () => number = Date.now) {}

  /** Records a delivery; a delivery id already recorded for that system returns inserted:false and the first row's id. */
  /** The inbox row's columns of a delivery (without its processing). */
  columns(input: InboxInput): { system: string; delivery_id: string; entity: string | null; record_id: string | null; action: string | null; payload: string; received_at: number } {
    return {
      system: input.system,
      delivery_id: input.deliveryId,
      entity: input.entity ?? null,
      record_id: input.recordId ?? null,
      action: input.action ?? null,
      payload: toJsonText(input.payload),
      received_at: input.receivedAt ?? this.now(),
    };
  }

  async record(input: InboxInput, db: Executor = this.db): Promise<{ inserted: boolean; id: string }> {
    const inserted = await db
      .insertInto('inbox')
      .values({ ...this.columns(input), ...(input.processed && { processed_at: this.now(), job_id: input.processed.jobId }) })
      .onConflict((oc) => oc.columns(['system', 'delivery_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return { inserted: true, id: String(inserted.id) };
    const existing = await db
      .selectFrom('inbox')
      .select('id')
      .where('system', '=', input.system)
      .where('delivery_id', '=', input.deliveryId)
      .executeTakeFirstOrThrow();
    return { inserted: false, id: String(existing.id) };
  }

  async markProcessed(id: string, jobId: string | null, db: Executor = this.db): Promise<void> {
    const rowId = toRowId(id);
    if (rowId === undefined) return;
    await db.updateTable('inbox').set({ processed_at: this.now(), job_id: jobId }).where('id', '=', rowId).execute();
  }

  /** Deletes deliveries received before `before` (epoch ms): past the de-dup window. Returns how many. */
  async purgeBefore(before: number, db: Executor = this.db): Promise<number> {
    const res = await db.deleteFrom('inbox').where('received_at', '<', before).executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  async get(id: string, db: Executor = this.db): Promise<InboxEntry | undefined> {
    const rowId = toRowId(id);
    if (rowId === undefined) return undefined;
    const row = await db.selectFrom('inbox').selectAll().where('id', '=', rowId).executeTakeFirst();
    return row && toEntry(row);
  }

  /** Newest first. */
  async list(filter: InboxFilter = {}, db: Executor = this.db): Promise<InboxEntry[]> {
    let q = db.selectFrom('inbox').selectAll();
    if (filter.system !== undefined) q = q.where('system', '=', filter.system);
    if (filter.entity !== undefined) q = q.where('entity', '=', filter.entity);
    if (filter.recordId !== undefined) q = q.where('record_id', '=', filter.recordId);
    if (filter.processed !== undefined) q = q.where('processed_at', filter.processed ? 'is not' : 'is', null);
    const rows = await q
      .orderBy('id', 'desc')
      .limit(filter.limit ?? 100)
      .offset(filter.offset ?? 0)
      .execute();
    return rows.map(toEntry);
  }
}
