/** Audit events: what was done to which record, when and by which job (read by `tandem trace <order>`). */
import type { Selectable } from 'kysely';
import { fromJsonText, toJsonText } from './columns.js';
import type { AuditTable, Executor, Json } from './schema.js';

export interface AuditInput {
  /** Default: now. */
  at?: number;
  entity: string;
  shopId?: string | null;
  erpId?: string | null;
  orderNumber?: string | null;
  action: string;
  jobId?: string | null;
  detail: Json;
}

export interface AuditEvent {
  id: string;
  at: number;
  entity: string;
  shopId: string | null;
  erpId: string | null;
  orderNumber: string | null;
  action: string;
  jobId: string | null;
  detail: Json | null;
}

export interface AuditQuery {
  entity?: string;
  shopId?: string;
  erpId?: string;
  orderNumber?: string;
  /** The latest `limit` matching events (default 500), returned oldest first. */
  limit?: number;
}

function toEvent(row: Selectable<AuditTable>): AuditEvent {
  return {
    id: String(row.id),
    at: row.at,
    entity: row.entity,
    shopId: row.shop_id,
    erpId: row.erp_id,
    orderNumber: row.order_number,
    action: row.action,
    jobId: row.job_id,
    detail: fromJsonText(row.detail),
  };
}

export class AuditRepo {
  constructor(private readonly db: Executor, private readonly now: () => number = Date.now) {}

  async record(event: AuditInput, db: Executor = this.db): Promise<string> {
    const row = await db
      .insertInto('audit')
      .values({
        at: event.at ?? this.now(),
        entity: event.entity,
        shop_id: event.shopId ?? null,
        erp_id: event.erpId ?? null,
        order_number: event.orderNumber ?? null,
        action: event.action,
        job_id: event.jobId ?? null,
        detail: toJsonText(event.detail),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return String(row.id);
  }

  /** Matching events ordered by time (then insertion order). */
  async query(filter: AuditQuery = {}, db: Executor = this.db): Promise<AuditEvent[]> {
    let q = db.selectFrom('audit').selectAll();
    if (filter.entity !== undefined) q = q.where('entity', '=', filter.entity);
    if (filter.shopId !== undefined) q = q.where('shop_id', '=', filter.shopId);
    if (filter.erpId !== undefined) q = q.where('erp_id', '=', filter.erpId);
    if (filter.orderNumber !== undefined) q = q.where('order_number', '=', filter.orderNumber);
    const rows = await q
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit ?? 500)
      .execute();
    return rows.reverse().map(toEvent);
  }
}
