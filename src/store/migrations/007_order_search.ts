/**
 * The console's order search: the ERP's order name (S00042) and the customer's e-mail address (lower
 * case; cleared by the retention purge like every personal field) on the stored order, both indexed.
 * ERP names of orders imported before are filled from their recorded import step; e-mail addresses come
 * with the order's next sync.
 */
import { sql, type Kysely } from 'kysely';

export async function backfillErpNames(db: Kysely<unknown>): Promise<number> {
  const { rows } = await sql<{ order_id: string; result: unknown }>`select order_id, result from order_steps where step = 'import' and result is not null`.execute(db);
  let n = 0;
  for (const r of rows) {
    const result = (typeof r.result === 'string' ? JSON.parse(r.result) : r.result) as { name?: unknown } | null;
    if (typeof result?.name !== 'string') continue;
    await sql`update orders set erp_name = ${result.name} where shop_id = ${r.order_id} and erp_name is null`.execute(db);
    n++;
  }
  return n;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('orders').addColumn('erp_name', 'text').execute();
  await db.schema.alterTable('orders').addColumn('email', 'text').execute();
  await db.schema.createIndex('orders_erp_name').on('orders').column('erp_name').execute();
  await db.schema.createIndex('orders_email').on('orders').column('email').execute();
  await backfillErpNames(db);
}
