/**
 * Store URLs for tests: a temporary SQLite file, and a fresh schema `t_<random>` on the PostgreSQL server
 * (search_path set through the URL's `options`), dropped again by `cleanup`.
 *
 * Every session opened with the URL carries the schema's name as its `application_name`, so `cleanup`
 * sees who still uses the schema: it drops it only once no session is on it (it waits up to
 * DROP_WAIT_MS for stores being closed and killed child processes whose server sessions end a moment
 * later). A schema still in use after that is left in place with a warning naming the sessions, instead
 * of being dropped under a pool or a child process that would then fail with `schema "t_…" does not
 * exist` (3F000) at its next statement or migration.
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
  url.searchParams.set('application_name', schema);
  return { name: 'postgres', url: url.toString(), cleanup: () => dropSchema(schema) };
}

/** How long `cleanup` waits for the sessions still on a schema to end before it leaves the schema in place. */
export const DROP_WAIT_MS = 10_000;

interface Session {
  pid: number;
  state: string | null;
  query: string;
}

/** Sessions (other than ours) opened with the schema's URL. */
export async function sessionsOn(schema: string): Promise<Session[]> {
  return withAdmin(async (c) => (await c.query<Session>('select pid, state, left(query, 120) as query from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()', [schema])).rows);
}

/** Drops the schema once no session uses it (waiting up to `waitMs`); else leaves it with a warning. */
export async function dropSchema(schema: string, waitMs = DROP_WAIT_MS): Promise<void> {
  const deadline = Date.now() + waitMs;
  let sessions = await sessionsOn(schema);
  while (sessions.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    sessions = await sessionsOn(schema);
  }
  if (sessions.length > 0) {
    process.stderr.write(
      `test schema ${schema} NOT dropped: ${sessions.length} PostgreSQL sessions still use it after ${waitMs} ms (a store not closed or a child process still running?): ` +
        `${sessions.map((s) => `pid ${s.pid} ${s.state ?? ''} "${s.query}"`).join('; ')}\n`,
    );
    return;
  }
  await withAdmin((c) => c.query(`drop schema if exists ${schema} cascade`));
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
