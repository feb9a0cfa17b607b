/**
 * Orders as the engine knows them (shop id ↔ ERP id, totals on both sides for the finance report,
 * lines for demand and in-flight stock), and the idempotent lifecycle steps done per order.
 */
import { sql, type Selectable } from 'kysely';
import { auditRow, type AuditInput } from './audit-repo.js';
import { fromJsonText, toJsonText } from './columns.js';
import { dialectOf } from './migrations/column-types.js';
import type { Executor, Json, JsonText, OrdersTable } from './schema.js';

export interface OrderLineQty {
  sku: string;
  quantity: number;
}

export interface OrderRow {
  shopId: string;
  number: string;
  erpId: string | null;
  erpName: string | null;
  email: string | null;
  currency: string;
  shopStatus: string;
  erpState: string | null;
  shopTotal: string;
  erpTotal: string | null;
  invoicedTotal: string | null;
  paidTotal: string | null;
  refundedTotal: string | null;
  creditedTotal: string | null;
  lines: OrderLineQty[];
  orderedAt: number;
  importedAt: number | null;
  updatedAt: number;
}

export type OrderUpsert = Pick<OrderRow, 'shopId' | 'number' | 'currency' | 'shopStatus' | 'shopTotal' | 'lines' | 'orderedAt'> & Partial<Omit<OrderRow, 'updatedAt'>>;

export interface OrderStep {
  step: string;
  state: 'done' | 'failed';
  result: Json | null;
  at: number;
}

function toRow(r: Selectable<OrdersTable>): OrderRow {
  return {
    shopId: r.shop_id,
    number: r.number,
    erpId: r.erp_id,
    erpName: r.erp_name,
    email: r.email,
    currency: r.currency,
    shopStatus: r.shop_status,
    erpState: r.erp_state,
    shopTotal: r.shop_total,
    erpTotal: r.erp_total,
    invoicedTotal: r.invoiced_total,
    paidTotal: r.paid_total,
    refundedTotal: r.refunded_total,
    creditedTotal: r.credited_total,
    lines: fromJsonText<OrderLineQty[]>(r.lines),
    orderedAt: r.ordered_at,
    importedAt: r.imported_at,
    updatedAt: r.updated_at,
  };
}

const COLUMNS: Record<keyof Omit<OrderUpsert, 'shopId' | 'lines'>, keyof OrdersTable> = {
  number: 'number',
  erpId: 'erp_id',
  erpName: 'erp_name',
  email: 'email',
  currency: 'currency',
  shopStatus: 'shop_status',
  erpState: 'erp_state',
  shopTotal: 'shop_total',
  erpTotal: 'erp_total',
  invoicedTotal: 'invoiced_total',
  paidTotal: 'paid_total',
  refundedTotal: 'refunded_total',
  creditedTotal: 'credited_total',
  orderedAt: 'ordered_at',
  importedAt: 'imported_at',
};

export class OrderRepo {
  constructor(private readonly db: Executor, private readonly now: () => number = Date.now) {}

  async get(shopId: string, db: Executor = this.db): Promise<OrderRow | undefined> {
    const r = await db.selectFrom('orders').selectAll().where('shop_id', '=', shopId).executeTakeFirst();
    return r && toRow(r);
  }

  async findByNumber(number: string, db: Executor = this.db): Promise<OrderRow[]> {
    return (await db.selectFrom('orders').selectAll().where('number', '=', number).execute()).map(toRow);
  }

  async findByErpName(name: string, db: Executor = this.db): Promise<OrderRow | undefined> {
    const r = await db.selectFrom('orders').selectAll().where('erp_name', 'in', [name, name.toUpperCase()]).executeTakeFirst();
    return r && toRow(r);
  }

  /** A selected row as an OrderRow (for callers that build their own query). */
  toRow(r: Selectable<OrdersTable>): OrderRow {
    return toRow(r);
  }

  async findByErpId(erpId: string, db: Executor = this.db): Promise<OrderRow | undefined> {
    const r = await db.selectFrom('orders').selectAll().where('erp_id', '=', erpId).executeTakeFirst();
    return r && toRow(r);
  }

  /** Inserts or updates; fields left undefined keep their stored value. */
  async upsert(o: OrderUpsert, db: Executor = this.db): Promise<void> {
    const set: Record<string, unknown> = { updated_at: this.now(), lines: toJsonText(o.lines as unknown as Json) };
    for (const [k, col] of Object.entries(COLUMNS)) {
      const v = (o as unknown as Record<string, unknown>)[k];
      if (v !== undefined) set[col] = v;
    }
    await db
      .insertInto('orders')
      .values({ shop_id: o.shopId, ...set } as never)
      .onConflict((oc) => oc.column('shop_id').doUpdateSet(set as never))
      .execute();
  }

  /** Quantities per SKU of orders seen in the shop but not (yet) in the ERP, excluding the given orders. */
  async pendingQuantities(db: Executor = this.db): Promise<Map<string, number>> {
    const rows = await db.selectFrom('orders').select(['lines', 'shop_status']).where('erp_id', 'is', null).where('shop_status', 'not in', ['cancelled', 'failed', 'refunded']).execute();
    const out = new Map<string, number>();
    for (const r of rows) for (const l of fromJsonText<OrderLineQty[]>(r.lines)) out.set(l.sku, (out.get(l.sku) ?? 0) + l.quantity);
    return out;
  }

  /** Orders placed in [from, to) (epoch ms), oldest first — for the finance report. */
  async between(from: number, to: number, db: Executor = this.db): Promise<OrderRow[]> {
    return (await db.selectFrom('orders').selectAll().where('ordered_at', '>=', from).where('ordered_at', '<', to).orderBy('ordered_at').execute()).map(toRow);
  }

  /**
   * What an order's run reads from the store, in ONE statement: the stored row (undefined: first time), the
   * steps recorded (in the order they were done), and whether a dead letter of the order waits (a dead job
   * with `deadRecordKey`, "order:shop:<id>"), so the run settles it only when there is one.
   */
  async readForSync(shopId: string, deadRecordKey: string, db: Executor = this.db): Promise<{ stored: OrderRow | undefined; steps: Map<string, OrderStep>; deadLetter: boolean }> {
    const { rows } = await sql<Selectable<OrdersTable> & { s_step: string | null; s_state: string | null; s_result: JsonText | null; s_at: number | null; dead: boolean | number }>`
      select o.*, s.step as s_step, s.state as s_state, s.result as s_result, s.at as s_at,
        exists (select 1 from jobs j where j.record_key = k.rk and j.state = 'dead') as dead
      from (select ${shopId} as id, ${deadRecordKey} as rk) k
      left join orders o on o.shop_id = k.id
      left join order_steps s on s.order_id = k.id
      order by s.at`.execute(db);
    const first = rows[0];
    const steps = new Map<string, OrderStep>();
    for (const r of rows) {
      if (r.s_step === null) continue;
      steps.set(r.s_step, { step: r.s_step, state: r.s_state as OrderStep['state'], result: fromJsonText(r.s_result), at: Number(r.s_at) });
    }
    return { stored: first && first.shop_id !== null ? toRow(first) : undefined, steps, deadLetter: Boolean(first?.dead) };
  }

  async steps(shopId: string, db: Executor = this.db): Promise<Map<string, OrderStep>> {
    const rows = await db.selectFrom('order_steps').selectAll().where('order_id', '=', shopId).orderBy('at').execute();
    return new Map(rows.map((r) => [r.step, { step: r.step, state: r.state as OrderStep['state'], result: fromJsonText(r.result), at: r.at }]));
  }

  async recordStep(shopId: string, step: string, state: OrderStep['state'], result: Json, db: Executor = this.db): Promise<void> {
    const values = { state, result: toJsonText(result), at: this.now() };
    await db
      .insertInto('order_steps')
      .values({ order_id: shopId, step, ...values })
      .onConflict((oc) => oc.columns(['order_id', 'step']).doUpdateSet(values))
      .execute();
  }

  /**
   * Records a step done and its audit event together, atomically. PostgreSQL: ONE statement (the step's
   * upsert in a data-modifying CTE, the audit insert), so no transaction of its own — 1 round trip instead
   * of BEGIN, two inserts and COMMIT; SQLite (no data-modifying CTE): both in a transaction unless `db` is one.
   */
  async recordStepAudited(shopId: string, step: string, result: Json, audit: AuditInput, db: Executor = this.db): Promise<void> {
    const at = this.now();
    const values = { state: 'done' as const, result: toJsonText(result), at };
    const stepInsert = (x: Executor) =>
      x
        .insertInto('order_steps')
        .values({ order_id: shopId, step, ...values })
        .onConflict((oc) => oc.columns(['order_id', 'step']).doUpdateSet(values));
    if (dialectOf(db as never) === 'postgres') {
      await db.with('step', () => stepInsert(db)).insertInto('audit').values(auditRow(audit, at)).execute();
      return;
    }
    const write = async (tx: Executor) => {
      await stepInsert(tx).execute();
      await tx.insertInto('audit').values(auditRow(audit, at)).execute();
    };
    if (db.isTransaction) await write(db);
    else await db.transaction().execute(write);
  }

  /** Records what an order sold (idempotent per order and SKU) — the input of demand figures. */
  async recordSales(shopId: string, lines: OrderLineQty[], at: number, db: Executor = this.db): Promise<void> {
    const perSku = new Map<string, number>();
    for (const l of lines) perSku.set(l.sku, (perSku.get(l.sku) ?? 0) + l.quantity);
    if (perSku.size === 0) return;
    const rows = [...perSku].map(([sku, quantity]) => ({ order_id: shopId, sku, quantity, at }));
    await db
      .insertInto('sales')
      .values(rows)
      .onConflict((oc) => oc.columns(['order_id', 'sku']).doUpdateSet((eb) => ({ quantity: eb.ref('excluded.quantity') })))
      .execute();
  }

  /** Removes the sales of an order (cancelled before fulfilment). */
  async clearSales(shopId: string, db: Executor = this.db): Promise<void> {
    await db.deleteFrom('sales').where('order_id', '=', shopId).execute();
  }

  /** Units sold per SKU since `since` (epoch ms). */
  async unitsSold(since: number, db: Executor = this.db): Promise<Map<string, number>> {
    const rows = await db.selectFrom('sales').select(['sku', (eb) => eb.fn.sum<number>('quantity').as('units')]).where('at', '>=', since).groupBy('sku').execute();
    return new Map(rows.map((r) => [r.sku, Number(r.units)]));
  }
}
