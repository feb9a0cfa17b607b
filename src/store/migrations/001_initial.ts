/** Tables of the foundation: meta, links, cursors, inbox, jobs, runs, audit, secrets. */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await t
    .id(db.schema.createTable('links'))
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('shop_id', 'text', (c) => c.notNull())
    .addColumn('erp_id', 'text', (c) => c.notNull())
    .addColumn('shop_hash', 'text')
    .addColumn('erp_hash', 'text')
    .addColumn('synced_at', t.time, (c) => c.notNull())
    .addColumn('meta', t.json)
    .addUniqueConstraint('links_entity_shop_id', ['entity', 'shop_id'])
    .addUniqueConstraint('links_entity_erp_id', ['entity', 'erp_id'])
    .execute();

  await db.schema
    .createTable('cursors')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', t.json, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();

  await t
    .id(db.schema.createTable('inbox'))
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('entity', 'text')
    .addColumn('record_id', 'text')
    .addColumn('action', 'text')
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('received_at', t.time, (c) => c.notNull())
    .addColumn('processed_at', t.time)
    .addColumn('job_id', 'text')
    .addUniqueConstraint('inbox_system_delivery_id', ['system', 'delivery_id'])
    .execute();
  await db.schema.createIndex('inbox_record').on('inbox').columns(['entity', 'record_id']).execute();
  await db.schema.createIndex('inbox_unprocessed').on('inbox').columns(['received_at', 'id']).where(sql.ref('processed_at'), 'is', null).execute();

  await t
    .id(db.schema.createTable('jobs'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text')
    .addColumn('dedupe_key', 'text')
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('run_at', t.time, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('backoff', t.json)
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('queued', 'running', 'done', 'dead')`))
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', t.time)
    .addColumn('last_error', t.json)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  // Claim scans this index in claim order and stops after `limit` matches.
  await sql`create index jobs_ready on jobs (priority desc, run_at, id) where state in ('queued', 'running')`.execute(db);
  // Head-of-key checks: the oldest non-terminal job of a key, and a running job of a key.
  await sql`create index jobs_key on jobs (key, id) where state in ('queued', 'running') and key is not null`.execute(db);
  await sql`create index jobs_running on jobs (key, locked_until) where state = 'running' and key is not null`.execute(db);
  await sql`create unique index jobs_dedupe on jobs (dedupe_key) where state = 'queued'`.execute(db);
  // No plain (state, …) index: SQLite would prefer it to jobs_ready and sort every queued job per claim.
  await sql`create index jobs_dead on jobs (id) where state = 'dead'`.execute(db);
  await sql`create index jobs_done on jobs (updated_at) where state = 'done'`.execute(db);

  await t
    .id(db.schema.createTable('runs'))
    .addColumn('flow', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_at', t.time, (c) => c.notNull())
    .addColumn('finished_at', t.time)
    .addColumn('counts', t.json)
    .addColumn('report', t.json)
    .execute();
  await db.schema.createIndex('runs_flow').on('runs').columns(['flow', 'id']).execute();

  await t
    .id(db.schema.createTable('audit'))
    .addColumn('at', t.time, (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('shop_id', 'text')
    .addColumn('erp_id', 'text')
    .addColumn('order_number', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text')
    .addColumn('detail', t.json)
    .execute();
  await db.schema.createIndex('audit_order_number').on('audit').columns(['order_number', 'at']).execute();
  await db.schema.createIndex('audit_shop').on('audit').columns(['entity', 'shop_id', 'at']).execute();
  await db.schema.createIndex('audit_erp').on('audit').columns(['entity', 'erp_id', 'at']).execute();
  await db.schema.createIndex('audit_at').on('audit').columns(['at', 'id']).execute();

  await db.schema
    .createTable('secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['secrets', 'audit', 'runs', 'jobs', 'inbox', 'cursors', 'links', 'meta']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
