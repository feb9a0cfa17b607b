/** Opening the store: directories created, bad input → one clear UsageError line. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { UsageError } from '../../src/shared/errors.js';
import pg from 'pg';
import { POSTGRES_TEST_URL, tempDir, testStoreKinds } from '../helpers/db.js';

async function usageError(p: Promise<unknown>): Promise<UsageError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  const message = (err as UsageError).message;
  expect(message.split('\n')).toHaveLength(1);
  return err as UsageError;
}

describe('openStore', () => {
  it('creates the parent directories of a SQLite file and uses WAL', async () => {
    const tmp = await tempDir();
    try {
      const file = join(tmp.dir, 'a', 'b', 'tandem.db');
      const store = await openStore(`sqlite:${file}`);
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
      expect(mode.rows).toEqual([{ journal_mode: 'wal' }]);
      const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db);
      expect(sync.rows).toEqual([{ synchronous: 1 }]); // NORMAL
      await store.close();
      expect(existsSync(file)).toBe(true);
    } finally {
      await tmp.cleanup();
    }
  });

  it('sqlite::memory: works without a file', async () => {
    const store = await openStore('sqlite::memory:');
    await store.cursors.set('k', { a: 1 });
    expect(await store.cursors.get('k')).toEqual({ a: 1 });
    await store.close();
  });

  it('a data directory that cannot be written → UsageError naming it', async () => {
    const err = await usageError(openStore('sqlite:/proc/x/y.db'));
    expect(err.message).toContain('/proc/x');
    expect(err.message).toMatch(/^cannot write the data directory \/proc\/x \(ENOENT: no such file or directory\) for store sqlite:\/proc\/x\/y\.db/);
  });

  it('a PostgreSQL server that does not answer → UsageError naming the URL without its password', async () => {
    const err = await usageError(openStore('postgres://postgres:hunter2@127.0.0.1:1/test'));
    expect(err.message).toMatch(/^cannot connect to PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/test: .*ECONNREFUSED/);
    expect(err.message).not.toContain('hunter2');
  });

  it.runIf(testStoreKinds().includes('postgres'))('PostgreSQL refusing connections (too many) → UsageError naming the connection budget', async () => {
    const role = `tandem_full_${process.pid}`;
    const admin = new pg.Client({ connectionString: POSTGRES_TEST_URL });
    await admin.connect();
    try {
      await admin.query(`create role ${role} login connection limit 0`);
      const url = new URL(POSTGRES_TEST_URL);
      url.username = role;
      const err = await openStore(url.toString()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(/too many connections for role.*PostgreSQL refuses more connections for this role: each tandem node opens up to store\.pool \(here 10\) \+ 1 listener = 11 connections .* set store\.pool lower \(at least 2\) on every node, run fewer nodes, or raise the role's limit/);
      expect((err as Error).message).not.toContain('server is running');
    } finally {
      await admin.query(`drop role if exists ${role}`);
      await admin.end();
    }
  });

  it('an unknown URL scheme → UsageError', async () => {
    const err = await usageError(openStore('mysql://localhost/x'));
    expect(err.message).toContain('sqlite:<file>');
  });
});
