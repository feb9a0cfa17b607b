/**
 * Key heads: a keyed job enqueued behind an older queued-or-running job of its key is stored `waiting = 1`
 * and left out of the ready index, so a claim no longer walks past the thousands of jobs that wait behind
 * a hot key's head. When a keyed job leaves queued/running (done, dead, discarded) the next job of its key
 * is promoted (`waiting = 0`); a periodic repair promotes any head that a race left waiting
 * (src/queue/key-heads.ts). The claim still checks the head exactly, so `waiting` only has to be right in
 * one direction: a job that is a key's head is never left waiting for long.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('waiting', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await sql`update jobs set waiting = 1 where key is not null and state = 'queued'
    and exists (select 1 from jobs h where h.key = jobs.key and h.state in ('queued', 'running') and h.id < jobs.id)`.execute(db);
  await sql`drop index jobs_ready`.execute(db);
  await sql`create index jobs_ready on jobs (priority desc, run_at, id) where state in ('queued', 'running') and waiting = 0`.execute(db);
  await sql`create index jobs_waiting on jobs (key, id) where waiting = 1`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists jobs_waiting`.execute(db);
  await sql`drop index if exists jobs_ready`.execute(db);
  await sql`create index jobs_ready on jobs (priority desc, run_at, id) where state in ('queued', 'running')`.execute(db);
  await db.schema.alterTable('jobs').dropColumn('waiting').execute();
}
