/**
 * Failed attempts apart from lost runs: `failed_attempts` counts the attempts of a job that ended in an
 * error (queue.fail). `attempts` still counts every claim, so `attempts - 1 - failed_attempts` at a claim is
 * how many runs were lost to their worker stopping (node killed, lease ended): those re-run at once, grow no
 * backoff and do not count toward dead; only real failures do (src/queue/backoff.ts).
 *
 * Backfill: the old rows cannot tell a lost run from a failure, so every past attempt of a job not
 * running or done counts as failed (a running or done job's last attempt is the one running or the one
 * that succeeded): each job keeps exactly the backoff and dead point it had before the migration.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await sql`update jobs set failed_attempts = case when state in ('running', 'done') and attempts > 0 then attempts - 1 when state in ('running', 'done') then 0 else attempts end
    where attempts > 0`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('jobs').dropColumn('failed_attempts').execute();
}
