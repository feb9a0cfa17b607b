/**
 * Audit events: what was done to which record, when, by which job (the engine's own steps, read by
 * `tandem trace <order>`) or by whom (`actor`: people and scripts — replays, edits, discards, fixes,
 * manual syncs, logins; read by `tandem audit` and GET /api/audit).
 */
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
  /** Who did it (`user:<name>`, `token:<name>`, `cli:<os user>`); omitted for the engine's own events. */
  actor?: string | null;
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
  actor: string | null;
}

export interface AuditQuery {
  entity?: string;
  shopId?: string;
  erpId?: string;
  orderNumber?: string;
  /** Only events of this actor. */
  actor?: string;
  /** Only events done by someone (people and scripts), not the engine's own steps. */
  byActor?: boolean;
  /** An action (`dlq:replay`), or a family of them (`dlq` matches `dlq:replay`, `dlq:discard`, …). */
  action?: string;
  /** Epoch ms, inclusive. */
  since?: number;
  until?: number;
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
    actor: row.actor,
  };
}

/** The `audit` row of an event (for a statement that writes it next to something else). */
export function auditRow(event: AuditInput, now: number) {
  return {
    at: event.at ?? now,
    entity: event.entity,
    shop_id: event.shopId ?? null,
    erp_id: event.erpId ?? null,
    order_number: event.orderNumber ?? null,
    action: event.action,
    job_id: event.jobId ?? null,
    detail: toJsonText(event.detail),
    actor: event.actor ?? null,
  };
}

export class AuditRepo {
  constructor(private readonly db: Executor, private readonly now: () => number = Date.now) {}

  async record(event: AuditInput, db: Executor = this.db): Promise<string> {
    const row = await db.insertInto('audit').values(auditRow(event, this.now())).returning('id').executeTakeFirstOrThrow();
    return String(row.id);
  }

  /** Matching events ordered by time (then insertion order). */
  async query(filter: AuditQuery = {}, db: Executor = this.db): Promise<AuditEvent[]> {
    let q = db.selectFrom('audit').selectAll();
    if (filter.entity !== undefined) q = q.where('entity', '=', filter.entity);
    if (filter.shopId !== undefined) q = q.where('shop_id', '=', filter.shopId);
    if (filter.erpId !== undefined) q = q.where('erp_id', '=', filter.erpId);
    if (filter.orderNumber !== undefined) q = q.where('order_number', '=', filter.orderNumber);
    if (filter.actor !== undefined) q = q.where('actor', '=', filter.actor);
    if (filter.byActor) q = q.where('actor', 'is not', null);
    if (filter.since !== undefined) q = q.where('at', '>=', filter.since);
    if (filter.until !== undefined) q = q.where('at', '<=', filter.until);
    const action = filter.action;
    if (action !== undefined) {
      // exact comparisons only (no LIKE: an action name is data, not a pattern)
      q = action.includes(':')
        ? q.where('action', '=', action)
        : q.where((eb) => eb.or([eb('action', '=', action), eb(eb.fn('substr', ['action', eb.val(1), eb.val(action.length + 1)]), '=', `${action}:`)]));
    }
    const rows = await q
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit ?? 500)
      .execute();
    return rows.reverse().map(toEvent);
  }
}
