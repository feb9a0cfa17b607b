/**
 * When Tandem last wrote each order to the ERP (migration 014): the end of the last order run that did
 * an ERP step (import, confirm, cancel, invoice, payment, refund). The ERP poll reads it to tell Tandem's
 * own writes from changes made in the ERP since (poll-orders.ts).
 */
import type { Executor } from './schema.js';

export class OrderErpWriteRepo {
  constructor(private readonly db: Executor, private readonly now: () => number = Date.now) {}

  /** Records that a run of the order wrote to the ERP and has just ended (never moves back). */
  async record(orderId: string, db: Executor = this.db): Promise<number> {
    const at = this.now();
    await db
      .insertInto('order_erp_writes')
      .values({ order_id: orderId, at })
      .onConflict((oc) => oc.column('order_id').doUpdateSet({ at }).where('order_erp_writes.at', '<', at))
      .execute();
    return at;
  }

  /** The recorded ends by order id (orders never written to the ERP by Tandem are absent). */
  async getMany(orderIds: string[], db: Executor = this.db): Promise<Map<string, number>> {
    if (orderIds.length === 0) return new Map();
    const rows = await db.selectFrom('order_erp_writes').select(['order_id', 'at']).where('order_id', 'in', orderIds).execute();
    return new Map(rows.map((r) => [r.order_id, r.at]));
  }
}
