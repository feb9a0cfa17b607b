/**
 * The console's order search: the ERP's order name (S00042) and the customer's e-mail address (lower
 * case; cleared by the retention purge like every personal field) on the stored order, both indexed.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('orders').addColumn('erp_name', 'text').execute();
  await db.schema.alterTable('orders').addColumn('email', 'text').execute();
  await db.schema.createIndex('orders_erp_name').on('orders').column('erp_name').execute();
  await db.schema.createIndex('orders_email').on('orders').column('email').execute();
}
