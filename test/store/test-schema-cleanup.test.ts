/**
 * The test helper's PostgreSQL schemas (test/helpers/db.ts): a schema is dropped only once no session
 * uses it, so a pool or a child process still on it never meets `schema "t_…" does not exist` (3F000)
 * — the flake seen in processes, retention and one other file under load 12–17.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { createTestStoreUrl, dropSchema, sessionsOn, testStoreKinds, POSTGRES_TEST_URL } from '../helpers/db.js';

async function schemaExists(schema: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: POSTGRES_TEST_URL });
  await c.connect();
  try {
    return (await c.query('select 1 from pg_namespace where nspname = $1', [schema])).rowCount === 1;
  } finally {
    await c.end();
  }
}

describe.skipIf(!testStoreKinds().includes('postgres'))('test schemas on PostgreSQL', () => {
  it('every session of the store carries the schema name; the schema is kept while one is open, dropped once closed', async () => {
    const t = await createTestStoreUrl('postgres');
    const schema = new URL(t.url).searchParams.get('application_name')!;
    expect(schema).toMatch(/^t_[0-9a-f]{12}$/);
    const store = await openStore(t.url);
    try {
      expect((await sessionsOn(schema)).length).toBeGreaterThan(0);
      const warn = process.stderr.write.bind(process.stderr);
      let warned = '';
      process.stderr.write = ((chunk: string) => ((warned += chunk), true)) as typeof process.stderr.write;
      try {
        await dropSchema(schema, 300);
      } finally {
        process.stderr.write = warn;
      }
      expect(warned).toContain(`test schema ${schema} NOT dropped`);
      expect(await schemaExists(schema)).toBe(true);
      // the open store still works in its schema
      await expect(store.db.selectFrom('jobs').select('id').execute()).resolves.toEqual([]);
    } finally {
      await store.close();
    }
    await t.cleanup();
    expect(await schemaExists(schema)).toBe(false);
  });
});
