/**
 * Versioned migrations, run at open with Kysely's Migrator. Every file `migrations/NNN_name.ts` that
 * exports `up(db)` (and optionally `down`) is one migration, applied in name order: adding a migration
 * is adding one file. Migrations receive `Kysely<unknown>` and use `columnTypes(db)` for the few types
 * that differ between SQLite and PostgreSQL.
 */
import { readdir } from 'node:fs/promises';
import { Migrator, sql } from 'kysely';
import type { Kysely, Migration, MigrationProvider, MigrationResultSet } from 'kysely';
import type { Logger } from '../shared/log.js';
import { dialectOf } from './migrations/column-types.js';

const MIGRATION_FILE = /^(\d{3}_[a-z0-9_]+)\.(?:ts|js|mjs)$/;
const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

/** Loads the migration files found next to this module (works from src/ with tsx and from dist/). */
export class MigrationFolderProvider implements MigrationProvider {
  constructor(private readonly dir: URL = MIGRATIONS_DIR) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const file of (await readdir(this.dir)).sort()) {
      const match = MIGRATION_FILE.exec(file);
      if (!match || file.endsWith('.d.ts')) continue;
      const name = match[1] as string;
      if (migrations[name]) continue; // same migration as .ts and .js
      const mod = (await import(new URL(file, this.dir).href)) as Partial<Migration>;
      if (typeof mod.up !== 'function') throw new Error(`migration ${file} does not export an up(db) function`);
      migrations[name] = { up: mod.up, ...(typeof mod.down === 'function' && { down: mod.down }) };
    }
    return migrations;
  }
}

export async function migrateToLatest(db: Kysely<unknown>, log?: Logger, provider: MigrationProvider = new MigrationFolderProvider()): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'tandem_migrations',
    migrationLockTableName: 'tandem_migrations_lock',
    // Kysely looks for its tables in every schema unless told which one: name the current one, so two
    // stores in two schemas of one database (tests, tenants) keep their own migration state.
    ...(dialectOf(db) === 'postgres' && { migrationTableSchema: await currentSchema(db) }),
  });
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error.message : String(error ?? 'unknown error');
    throw new Error(`store migration ${failed?.migrationName ?? ''} failed: ${cause}`.replace('  ', ' '), { cause: error });
  }
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  if (applied.length > 0) log?.info({ migrations: applied }, 'store migrated');
  return applied;
}

async function currentSchema(db: Kysely<unknown>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('PostgreSQL has no schema to create the tables in: check search_path (options=-c search_path=…)');
  return schema;
}
