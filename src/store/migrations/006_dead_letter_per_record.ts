/**
 * One dead letter per record: jobs carry the record they are about (`record_key`, "<entity>:<side>:<id>"),
 * how often that record failed (`failures`) and when it last did (`last_failed_at`); at most one dead job
 * per record key (a partial unique index), so repeated failures update it instead of adding rows.
 * Also the index the retention job deletes old webhook deliveries by.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('jobs').addColumn('record_key', 'text').execute();
  await db.schema.alterTable('jobs').addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('jobs').addColumn('last_failed_at', t.time).execute();
  // existing dead letters: each counts one failure; duplicates of a record stay as they are (no key)
  await sql`update jobs set failures = 1, last_failed_at = updated_at where state = 'dead'`.execute(db);
  await sql`create unique index jobs_dead_record on jobs (record_key) where state = 'dead' and record_key is not null`.execute(db);
  await db.schema.createIndex('inbox_received').on('inbox').columns(['received_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('inbox_received').ifExists().execute();
  await db.schema.dropIndex('jobs_dead_record').ifExists().execute();
  for (const column of ['last_failed_at', 'failures', 'record_key']) await db.schema.alterTable('jobs').dropColumn(column).execute();
}
