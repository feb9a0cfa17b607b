/**
 * Store URLs for tests: a temporary SQLite file, and a fresh schema `t_<random>` on the PostgreSQL server
 * (search_path set through the URL's `options`), dropped again by `cleanup`.
 *
 *   const stores = await testStoreUrls();            // top-level await in a test file
 *   describe.each(stores)('$name', ({ url }) => { … openStore(url) … });
 *   afterAll(() => Promise.all(stores.map((s) => s.cleanup())));
 *
 * or, per describe block: `const t = await createTestStoreUrl('postgres')` in beforeAll.
 * PostgreSQL: TANDEM_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test). Set
 * TANDEM_TEST_SKIP_POSTGRES=1 to run against SQLite only (CI must not).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export type TestStoreKind = 'sqlite' | 'postgres';

export interface TestStoreUrl {
  name: TestStoreKind;
  url: string;
  cleanup(): Promise<void>;
}

export const POSTGRES_TEST_URL = process.env.TANDEM_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function testStoreKinds(): TestStoreKind[] {
  return process.env.TANDEM_TEST_SKIP_POSTGRES === '1' ? ['sqlite'] : ['sqlite', 'postgres'];
}

/** A temporary directory for SQLite files, removed by cleanup. */
export async function tempDir(prefix = 'tandem-test-'): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function createTestStoreUrl(kind: TestStoreKind): Promise<TestStoreUrl> {
  if (kind === 'sqlite') {
    const tmp = await tempDir();
    return { name: 'sqlite', url: `sqlite:${join(tmp.dir, 'tandem.db')}`, cleanup: tmp.cleanup };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await withAdmin((c) => c.query(`create schema ${schema}`));
  const url = new URL(POSTGRES_TEST_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    name: 'postgres',
    url: url.toString(),
    cleanup: () => withAdmin((c) => c.query(`drop schema if exists ${schema} cascade`)).then(() => undefined),
  };
}

export async function testStoreUrls(): Promise<TestStoreUrl[]> {
  return Promise.all(testStoreKinds().map(createTestStoreUrl));
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`tests need PostgreSQL at ${POSTGRES_TEST_URL} (${(err as Error).message}); set TANDEM_TEST_SKIP_POSTGRES=1 to skip it locally`);
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
