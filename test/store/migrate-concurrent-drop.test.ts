/**
 * Migrating while other processes drop their schemas in the same database: Kysely's PostgreSQL
 * introspector (which its Migrator uses to see whether the migration tables exist) reads every schema and
 * looks each one up by name, so a schema dropped meanwhile failed the migration with
 * `schema "<theirs>" does not exist` (3F000) — the flake of processes/retention tests and a chaos node
 * under load. The store's migrator only introspects its own schema now.
 */
import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, scopedToSchema } from '../../src/store/migrate.js';
import { createTestStoreUrl, testStoreKinds, POSTGRES_TEST_URL } from '../helpers/db.js';

describe.skipIf(!testStoreKinds().includes('postgres'))('migrations next to schemas being dropped', () => {
  it('the migration check never meets another schema that disappears under it', async () => {
    const t = await createTestStoreUrl('postgres');
    const pool = new pg.Pool({ connectionString: t.url, max: 2 });
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
    const churn = new pg.Client({ connectionString: POSTGRES_TEST_URL });
    await churn.connect();
    let stop = false;
    let dropped = 0;
    // another "test run": schemas with tables created and dropped as fast as the server allows
    const churning = (async () => {
      while (!stop) {
        const s = `t_churn_${randomBytes(4).toString('hex')}`;
        await churn.query(`create schema ${s}; create table ${s}.a (id serial primary key, x text); create table ${s}.b (id serial primary key)`);
        await churn.query(`drop schema ${s} cascade`);
        dropped += 1;
      }
    })();
    const errors: string[] = [];
    try {
      await migrateToLatest(db);
      const scoped = scopedToSchema(db, new URL(t.url).searchParams.get('application_name')!);
      const deadline = Date.now() + 4_000;
      let checks = 0;
      while (Date.now() < deadline) {
        // what the Migrator asks on every open: do its tables exist? (and the migration itself: nothing to do)
        const tables = await scoped.introspection.getTables({ withInternalKyselyTables: true }).catch((e: Error) => (errors.push(e.message), []));
        if (tables.length) expect(tables.map((x) => x.name)).toContain('tandem_migrations');
        await migrateToLatest(db).catch((e: Error) => errors.push(e.message));
        checks += 1;
      }
      expect(checks).toBeGreaterThan(5);
    } finally {
      stop = true;
      await churning;
      await churn.end();
      await db.destroy();
      await t.cleanup();
    }
    expect(dropped).toBeGreaterThan(5);
    expect(errors).toEqual([]);
  });
});
