/**
 * Orders as the engine knows them (shop id ↔ ERP id, totals on both sides for the finance report,
 * lines for demand and in-flight stock), and the idempotent lifecycle steps done per order.
 */
import { sql, type RawBuilder, type Selectable } from 'kysely';
import { SyncError } from '../shared/errors.js';
import { auditRow, type AuditInput } from './audit-repo.js';
import { fromJsonText, toJsonText } from './columns.js';
import { LinkRepo, linkConflict } from './link-repo.js';
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

/** The ERP side of an order's row, written with a step that changed it (`recordStepAudited`'s `order`). */
export type OrderErpFields = Partial<Pick<OrderRow, 'erpName' | 'erpState' | 'erpTotal' | 'refundedTotal'>>;

/**
 * More writes that belong to a recorded step, done atomically with it (`recordStepAudited`): the order's ERP
 * fields as the step left them, and another write (e.g. `Queue.enqueueWrite`: the follow-up job) —
 * PostgreSQL: `cte`, a data-modifying statement run as a CTE of the step's one statement; SQLite: `run`,
 * in the step's transaction.
 */
export interface StepWrites {
  order?: OrderErpFields;
  also?: { cte: RawBuilder<unknown>; run: (tx: Executor) => Promise<unknown> };
}

/** An imported order as `recordImport` writes it: the row (with its ERP id), the import step's result and audit event. */
export interface ImportRecord {
  row: OrderUpsert & { erpId: string };
  result: Json;
  audit: AuditInput;
}

/** PostgreSQL types of the columns `recordImport` writes through `insert … select` (no VALUES to infer them from); others are text. */
const PG_TYPES: Record<string, string> = { lines: 'jsonb', ordered_at: 'bigint', imported_at: 'bigint', updated_at: 'bigint', at: 'bigint', detail: 'jsonb', result: 'jsonb', quantity: 'double precision' };
const typed = (column: string, v: unknown) => sql`${v ?? null}::${sql.raw(PG_TYPES[column] ?? 'text')}`;
const selectList = (values: Record<string, unknown>) => sql.join(Object.entries(values).map(([c, v]) => typed(c, v)));
const columnList = (values: Record<string, unknown>) => sql.join(Object.keys(values).map((c) => sql.ref(c)));

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

  /** The columns an upsert of `o` sets (the fields left undefined are not among them). */
  private upsertSet(o: OrderUpsert): Record<string, unknown> {
    const set: Record<string, unknown> = { updated_at: this.now(), lines: toJsonText(o.lines as unknown as Json) };
    for (const [k, col] of Object.entries(COLUMNS)) {
      const v = (o as unknown as Record<string, unknown>)[k];
      if (v !== undefined) set[col] = v;
    }
    return set;
  }

  /** Inserts or updates; fields left undefined keep their stored value. */
  async upsert(o: OrderUpsert, db: Executor = this.db): Promise<void> {
    const set = this.upsertSet(o);
    await db
      .insertInto('orders')
      .values({ shop_id: o.shopId, ...set } as never)
      .onConflict((oc) => oc.column('shop_id').doUpdateSet(set as never))
      .execute();
  }

  /**
   * Records an imported order, all or nothing: the order's link to its ERP order, its row, its sales and the
   * `import` step with its audit event. PostgreSQL: ONE statement of data-modifying CTEs (no BEGIN/COMMIT,
   * 1 round trip instead of 8), each write gated on the link's: a shop order linked to another ERP order
   * writes nothing and fails with SyncError 'conflict' like `LinkRepo.upsertMany`, as does an ERP order
   * linked to another shop order (the unique index refuses the statement). SQLite: one transaction.
   */
  async recordImport(rec: ImportRecord, db: Executor = this.db): Promise<void> {
    const { row, result, audit } = rec;
    const at = this.now();
    if (dialectOf(db as never) !== 'postgres') {
      const write = async (tx: Executor) => {
        await new LinkRepo(tx, this.now).upsertMany([{ entity: 'order', shopId: row.shopId, erpId: row.erpId }], tx);
        await this.upsert(row, tx);
        await this.recordSales(row.shopId, row.lines, row.orderedAt, tx);
        await this.recordStepAudited(row.shopId, 'import', result, audit, tx);
      };
      if (db.isTransaction) await write(db);
      else await db.transaction().execute(write);
      return;
    }
    const set = { shop_id: row.shopId, ...this.upsertSet(row) };
    const updates = sql.join(Object.keys(set).filter((c) => c !== 'shop_id').map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`));
    const perSku = salesPerSku(row.lines);
    const sales = perSku.size
      ? sql`, sa as (insert into sales (order_id, sku, quantity, at) select ${typed('order_id', row.shopId)}, v.sku, v.quantity, ${typed('at', row.orderedAt)} from lk, (values ${sql.join(
          [...perSku].map(([sku, q]) => sql`(${typed('sku', sku)}, ${typed('quantity', q)})`),
        )}) v(sku, quantity) on conflict (order_id, sku) do update set quantity = excluded.quantity returning 1)`
      : sql``;
    const step = { order_id: row.shopId, step: 'import', state: 'done', result: toJsonText(result), at };
    const event = auditRow(audit, at);
    let linked: number;
    try {
      const { rows } = await sql<{ linked: number }>`with lk as (insert into links (entity, shop_id, erp_id, synced_at) values ('order', ${row.shopId}, ${row.erpId}, ${at})
          on conflict (entity, shop_id) do update set synced_at = excluded.synced_at where links.erp_id = excluded.erp_id returning id),
        o as (insert into orders (${columnList(set)}) select ${selectList(set)} from lk on conflict (shop_id) do update set ${updates} returning 1)${sales},
        st as (insert into order_steps (${columnList(step)}) select ${selectList(step)} from lk on conflict (order_id, step) do update set state = excluded.state, result = excluded.result, at = excluded.at returning 1),
        au as (insert into audit (${columnList(event)}) select ${selectList(event)} from lk returning 1)
        select (select count(*) from lk)::int as linked`.execute(db);
      linked = Number(rows[0]?.linked ?? 0);
    } catch (err) {
      if ((err as { code?: string }).code !== '23505') throw err;
      // unique violation: the ERP order is linked to another shop order (or a writer linked one of them just now)
      const other = await new LinkRepo(db, this.now).get('order', 'erp', row.erpId, db);
      if (other && other.shopId !== row.shopId) throw linkConflict('order', 'erp', row.erpId, other.shopId, row.shopId);
      throw new SyncError('conflict', `links of order changed while writing them: ${(err as Error).message}`, { entity: 'order', cause: err });
    }
    if (linked === 1) return;
    const link = await new LinkRepo(db, this.now).get('order', 'shop', row.shopId, db);
    if (link && link.erpId !== row.erpId) throw linkConflict('order', 'shop', row.shopId, link.erpId, row.erpId);
    throw new SyncError('conflict', `links of order changed while writing them: shop order ${row.shopId} was not linked to ERP order ${row.erpId}`, { entity: 'order' });
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
  async recordStepAudited(shopId: string, step: string, result: Json, audit: AuditInput, db: Executor = this.db, writes: StepWrites = {}): Promise<void> {
    const at = this.now();
    const values = { state: 'done' as const, result: toJsonText(result), at };
    const orderSet = this.erpSet(writes.order, at);
    if (dialectOf(db as never) === 'postgres') {
      const event = auditRow(audit, at);
      const row = { order_id: shopId, step, ...values };
      const order = orderSet
        ? sql`, ord as (update orders set ${sql.join(Object.entries(orderSet).map(([c, v]) => sql`${sql.ref(c)} = ${v}`))} where shop_id = ${shopId})`
        : sql``;
      const also = writes.also ? sql`, also as (${writes.also.cte})` : sql``;
      await sql`with step as (insert into order_steps (${columnList(row)}) values (${sql.join(Object.values(row))})
          on conflict (order_id, step) do update set state = excluded.state, result = excluded.result, at = excluded.at)${order}${also}
        insert into audit (${columnList(event)}) values (${sql.join(Object.values(event).map((v) => sql`${v}`))})`.execute(db);
      return;
    }
    const write = async (tx: Executor) => {
      await tx
        .insertInto('order_steps')
        .values({ order_id: shopId, step, ...values })
        .onConflict((oc) => oc.columns(['order_id', 'step']).doUpdateSet(values))
        .execute();
      await tx.insertInto('audit').values(auditRow(audit, at)).execute();
      if (orderSet) await tx.updateTable('orders').set(orderSet).where('shop_id', '=', shopId).execute();
      if (writes.also) await writes.also.run(tx);
    };
    if (db.isTransaction) await write(db);
    else await db.transaction().execute(write);
  }

  /** The `orders` columns of `fields` (undefined: nothing to write). */
  private erpSet(fields: OrderErpFields | undefined, at: number): Record<string, unknown> | undefined {
    if (!fields) return undefined;
    const set: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) set[COLUMNS[k as keyof typeof COLUMNS]] = v;
    return Object.keys(set).length ? { ...set, updated_at: at } : undefined;
  }

  /** Records what an order sold (idempotent per order and SKU) — the input of demand figures. */
  async recordSales(shopId: string, lines: OrderLineQty[], at: number, db: Executor = this.db): Promise<void> {
    const perSku = salesPerSku(lines);
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

function salesPerSku(lines: readonly OrderLineQty[]): Map<string, number> {
  const perSku = new Map<string, number>();
  for (const l of lines) perSku.set(l.sku, (perSku.get(l.sku) ?? 0) + l.quantity);
  return perSku;
}
