/** Tables of the engine: order state + idempotent lifecycle steps, sales (demand), low-stock alert state. */
import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('orders')
    .addColumn('shop_id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('erp_id', 'text')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('shop_status', 'text', (c) => c.notNull())
    .addColumn('erp_state', 'text')
    .addColumn('shop_total', 'text', (c) => c.notNull())
    .addColumn('erp_total', 'text')
    .addColumn('invoiced_total', 'text')
    .addColumn('paid_total', 'text')
    .addColumn('refunded_total', 'text')
    .addColumn('credited_total', 'text')
    .addColumn('lines', t.json, (c) => c.notNull())
    .addColumn('ordered_at', t.time, (c) => c.notNull())
    .addColumn('imported_at', t.time)
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('orders_number').on('orders').column('number').execute();
  await db.schema.createIndex('orders_erp_id').on('orders').column('erp_id').execute();
  await db.schema.createIndex('orders_ordered_at').on('orders').column('ordered_at').execute();

  await db.schema
    .createTable('order_steps')
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('result', t.json)
    .addColumn('at', t.time, (c) => c.notNull())
    .addPrimaryKeyConstraint('order_steps_pk', ['order_id', 'step'])
    .execute();

  await db.schema
    .createTable('sales')
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('quantity', 'double precision', (c) => c.notNull())
    .addColumn('at', t.time, (c) => c.notNull())
    .addPrimaryKeyConstraint('sales_pk', ['order_id', 'sku'])
    .execute();
  await db.schema.createIndex('sales_sku_at').on('sales').columns(['sku', 'at']).execute();

  await db.schema
    .createTable('stock_alerts')
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('armed', 'integer', (c) => c.notNull())
    .addColumn('available', 'double precision', (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .addPrimaryKeyConstraint('stock_alerts_pk', ['sku', 'location'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['stock_alerts', 'sales', 'order_steps', 'orders']) await db.schema.dropTable(table).ifExists().execute();
}
