/** Column types that differ between the dialects, for migrations. Same meaning on both. */
import { PostgresAdapter } from 'kysely';
import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

export function dialectOf(db: Kysely<unknown>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

export interface ColumnTypes {
  /** Epoch milliseconds, UTC. */
  time: 'bigint' | 'integer';
  /** JSON text. */
  json: 'jsonb' | 'text';
  /** Adds an auto-increasing integer primary key `id`. */
  id<T extends string>(table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'>;
}

export function columnTypes(db: Kysely<unknown>): ColumnTypes {
  const pg = dialectOf(db) === 'postgres';
  return {
    time: pg ? 'bigint' : 'integer',
    json: pg ? 'jsonb' : 'text',
    id: (table) =>
      pg
        ? table.addColumn('id', 'bigserial', (c: ColumnDefinitionBuilder) => c.primaryKey())
        : table.addColumn('id', 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement()),
  };
}
