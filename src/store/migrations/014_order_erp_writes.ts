/**
 * `order_erp_writes`: per order, when Tandem's last order run that wrote to the ERP ended (store clock,
 * ms). The ERP poll (poll-orders.ts) compares it with the ERP's write stamp of a change made by Tandem's
 * own ERP user: a change stamped in an earlier second is Tandem's own write, already synced; the same
 * second or later is re-synced (write stamps have whole seconds).
 */
import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('order_erp_writes')
    .addColumn('order_id', 'text', (c) => c.primaryKey())
    .addColumn('at', t.time, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('order_erp_writes').ifExists().execute();
}
