/**
 * A store error that passes by itself (PostgreSQL refusing connections, restarting, a deadlock; SQLite busy)
 * is retryable: a job that meets one comes back later instead of becoming a dead letter at once. The chaos
 * and nodes benchmarks met "sorry, too many clients already" (53300) on a shared server: jobs went dead.
 */
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { toSyncError } from '../../src/shared/errors.js';
import { createTestStoreUrl, testStoreKinds } from '../helpers/db.js';

/** An error shaped as pg's DatabaseError. */
function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: 'error', code, severity: 'FATAL' });
}

describe('store errors', () => {
  it.each([
    ['53300', 'sorry, too many clients already'],
    ['57P01', 'terminating connection due to administrator command'],
    ['57P03', 'the database system is starting up'],
    ['08006', 'connection failure'],
    ['40P01', 'deadlock detected'],
    ['40001', 'could not serialize access'],
  ])('PostgreSQL %s is retryable', (code, message) => {
    const e = toSyncError(pgError(code, message));
    expect(e).toMatchObject({ kind: 'unavailable', retryable: true, code });
    expect(e.message).toContain(message);
  });

  it('SQLite busy is retryable', () => {
    expect(toSyncError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))).toMatchObject({ retryable: true });
  });

  it.each([
    ['23505', 'duplicate key value violates unique constraint'],
    ['42P01', 'relation "x" does not exist'],
    ['22P02', 'invalid input syntax'],
  ])('PostgreSQL %s stays permanent', (code, message) => {
    expect(toSyncError(pgError(code, message))).toMatchObject({ kind: 'invalid_data', retryable: false });
  });

  it('an error of another library with a five-character code stays permanent', () => {
    expect(toSyncError(Object.assign(new Error('x'), { code: '53300' }))).toMatchObject({ retryable: false });
  });

  it.skipIf(!testStoreKinds().includes('postgres'))('a real refusal of PostgreSQL (a role over its connection limit) is retryable', async () => {
    const t = await createTestStoreUrl('postgres');
    const role = `t_limited_${Date.now()}`;
    const admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
    try {
      await admin.query(`create role ${role} login connection limit 0`);
      const url = new URL(t.url);
      url.username = role;
      const c = new pg.Client({ connectionString: url.toString() });
      const err = await c.connect().then(
        () => null,
        (e: unknown) => e,
      );
      await c.end().catch(() => undefined);
      expect(err).toBeInstanceOf(Error);
      expect((err as { code?: string }).code).toBe('53300');
      expect(toSyncError(err)).toMatchObject({ kind: 'unavailable', retryable: true });
    } finally {
      await admin.query(`drop role if exists ${role}`);
      await admin.end();
      await t.cleanup();
    }
  });
});
