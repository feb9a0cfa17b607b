/**
 * Versioned migrations, run at open with Kysely's Migrator. Every file `migrations/NNN_name.ts` that
 * exports `up(db)` (and optionally `down`) is one migration, applied in name order: adding a migration
 * is adding one file. Migrations receive `Kysely<unknown>` and use `columnTypes(db)` for the few types
 * that differ between SQLite and PostgreSQL.
 */
import { readdir } from 'node:fs/promises';
import { Migrator, sql } from 'kysely';
import type { DatabaseIntrospector, Kysely, Migration, MigrationProvider, MigrationResultSet, TableMetadata } from 'kysely';
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
  const schema = dialectOf(db) === 'postgres' ? await currentSchema(db) : undefined;
  const migrator = new Migrator({
    db: schema === undefined ? db : scopedToSchema(db, schema),
    provider,
    migrationTableName: 'tandem_migrations',
    migrationLockTableName: 'tandem_migrations_lock',
    // Kysely looks for its tables in every schema unless told which one: name the current one, so two
    // stores in two schemas of one database (tests, tenants) keep their own migration state.
    ...(schema !== undefined && { migrationTableSchema: schema }),
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

/**
 * Kysely's Migrator asks its db's introspector whether its tables exist, and PostgreSQL's introspector
 * reads every table of every schema in the database, looking each schema up BY NAME
 * (`has_schema_privilege`, `pg_get_serial_sequence`): a schema that another process drops while that
 * query runs fails our migration with `schema "<theirs>" does not exist` (3F000). Tests and benches
 * create and drop schemas all the time (the flake in processes, retention and the chaos runs: the name
 * in the error was another run's schema). The Migrator only needs the table names of our own schema:
 * it gets an introspector limited to it, reading the catalogs by join (no lookups by name).
 */
export function scopedToSchema(db: Kysely<unknown>, schema: string): Kysely<unknown> {
  const getTables = async (): Promise<TableMetadata[]> => {
    const { rows } = await sql<{ name: string; kind: string }>`select c.relname as name, c.relkind as kind from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace where n.nspname = ${schema} and c.relkind in ('r', 'v', 'p')`.execute(db);
    return rows.map((r) => ({ name: r.name, schema, isView: r.kind === 'v', columns: [] }));
  };
  const introspection: DatabaseIntrospector = {
    async getSchemas() {
      const { rows } = await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace where nspname = ${schema}`.execute(db);
      return rows;
    },
    getTables,
    async getMetadata() {
      return { tables: await getTables() };
    },
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'introspection') return introspection;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
