/**
 * A test store migrated step by step, for a migration's backfill test: `upTo(name)` runs the migrations up
 * to and including `name`, so rows can be written in the schema before it and read after it.
 */
import type { Kysely, MigrationProvider } from 'kysely';
import { MigrationFolderProvider, migrateToLatest } from '../../src/store/migrate.js';
import { openStore } from '../../src/store/index.js';
import { createTestStoreUrl, type TestStoreKind } from './db.js';

export interface SteppedStore {
  db: Kysely<unknown>;
  /** Runs the migrations up to and including `last` (e.g. '009_key_heads'). */
  upTo(last: string): Promise<void>;
  close(): Promise<void>;
}

export async function steppedStore(kind: TestStoreKind): Promise<SteppedStore> {
  const t = await createTestStoreUrl(kind);
  const store = await openStore(t.url, { migrate: false });
  const db = store.db as unknown as Kysely<unknown>;
  const all = await new MigrationFolderProvider().getMigrations();
  const provider = (last: string): MigrationProvider => ({ getMigrations: async () => Object.fromEntries(Object.entries(all).filter(([name]) => name <= last)) });
  return {
    db,
    async upTo(last) {
      await migrateToLatest(db, undefined, provider(last));
    },
    async close() {
      await store.close();
      await t.cleanup();
    },
  };
}
