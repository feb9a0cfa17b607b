/**
 * A pool of 1 held busy (a transaction that does not end): the next statement waits the connect timeout
 * (5 s) for a connection and then fails with an error that says what happened and what to do — not pg's
 * bare "timeout exceeded when trying to connect" — and that a job retries (that error was an unknown one:
 * a dead letter at once). PostgreSQL only (SQLite has one connection per process).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { PoolWaitTimeoutError } from '../../src/store/connect-postgres.js';
import { toSyncError } from '../../src/shared/errors.js';
import { createTestStoreUrl, testStoreKinds, type TestStoreUrl } from '../helpers/db.js';

describe.runIf(testStoreKinds().includes('postgres'))('a PostgreSQL pool of 1 held busy', () => {
  let t: TestStoreUrl;
  let store: Store;

  beforeAll(async () => {
    t = await createTestStoreUrl('postgres');
    store = await openStore(t.url, { poolMax: 1 });
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await t?.cleanup();
  });

  it('a statement waiting longer than the connect timeout fails with a clear, actionable error', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const inside = new Promise<void>((r) => (started = r));
    // the pool's only connection, taken by a transaction that waits
    const busy = store.transaction(async (tx) => {
      await store.cursors.get('busy', tx);
      started();
      await held;
    });
    await inside;
    try {
      const err = await store.cursors.get('waiting').then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(PoolWaitTimeoutError);
      const message = (err as Error).message;
      expect(message).toMatch(/^no PostgreSQL connection became free within 5 s: all 1 of this node's pooled connections \(store\.pool\) stayed busy/);
      expect(message).toMatch(/raise store\.pool/);
      expect(message).toMatch(/pg_stat_activity/);
      expect(((err as Error).cause as Error).message).toBe('timeout exceeded when trying to connect');
      // a job that meets it is retried later (it passes by itself), not dead-lettered at once
      expect(toSyncError(err)).toMatchObject({ kind: 'unavailable', retryable: true, code: 'TANDEM_POOL_WAIT' });
      expect(toSyncError(err).message).toContain('no PostgreSQL connection became free within 5 s');
    } finally {
      release();
      await busy;
    }
    // the connection is free again: the store works
    expect(await store.cursors.get('after')).toBeNull();
  }, 30_000);
});
