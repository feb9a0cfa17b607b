/**
 * Several `tandem serve` processes on one store: `nodes` (each announces itself and beats every 5 s; a
 * node not seen for 15 s is dead and its running jobs go back to the others), `schedule_ticks` (one row
 * per schedule and tick time: the node that inserts it enqueues the run, so a tick fires once across
 * nodes), and on PostgreSQL a NOTIFY on every insert into `jobs` that wakes idle workers of all nodes.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from './column-types.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('nodes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('started_at', t.time, (c) => c.notNull())
    .addColumn('last_seen', t.time, (c) => c.notNull())
    .addColumn('running_jobs', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('schedule_ticks')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('tick_at', t.time, (c) => c.notNull())
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('schedule_ticks_pk', ['name', 'tick_at'])
    .execute();
  if (dialectOf(db) !== 'postgres') return;
  // One notification per INSERT statement (not per row), delivered at commit. The channel names the
  // schema, so stores in two schemas of one database do not wake each other.
  await sql`
    create or replace function tandem_jobs_notify() returns trigger language plpgsql as $$
    begin
      perform pg_notify('tandem_jobs:' || current_schema(), '');
      return null;
    end $$`.execute(db);
  await sql`create trigger jobs_notify after insert on jobs for each statement execute function tandem_jobs_notify()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`drop trigger if exists jobs_notify on jobs`.execute(db);
    await sql`drop function if exists tandem_jobs_notify()`.execute(db);
  }
  await db.schema.dropTable('schedule_ticks').ifExists().execute();
  await db.schema.dropTable('nodes').ifExists().execute();
}
