/**
 * PostgreSQL refusing more connections (53300) while the pool has some: the pool works with the ones it
 * has instead of failing the query (the chaos suite's 3 nodes met "too many clients" on a shared server:
 * jobs failed, burned attempts and backed off for up to a minute). Without any connection the refusal
 * is still the caller's error.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openPostgresDialect } from '../../src/store/connect-postgres.js';
import { createTestStoreUrl, testStoreKinds } from '../helpers/db.js';

/** A pool of `poolMax` opened as a fresh role that PostgreSQL lets hold `limit` connections; dropped after `fn`. */
async function withLimitedPool(limit: number, poolMax: number, fn: (ctx: { pool: pg.Pool; url: string; role: string; admin: pg.Client }) => Promise<void>): Promise<void> {
  const t = await createTestStoreUrl('postgres');
  const role = `t_limited_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: t.url });
  await admin.connect();
  try {
    await admin.query(`create role ${role} login connection limit ${limit}`);
    const url = new URL(t.url);
    url.username = role;
    const { pool } = await openPostgresDialect(url.toString(), { poolMax });
    try {
      await fn({ pool, url: url.toString(), role, admin });
    } finally {
      await pool.end();
    }
  } finally {
    await admin.query(`drop role if exists ${role}`);
    await admin.end();
    await t.cleanup();
  }
}

describe.skipIf(!testStoreKinds().includes('postgres'))('a pool that PostgreSQL refuses to grow', () => {
  it('runs every query on the connections it has', async () => {
    // the role may hold 2 connections; the pool would like 6
    await withLimitedPool(2, 6, async ({ pool }) => {
      const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => pool.query(`select pg_sleep(0.1), ${i}::int as n`).then((r) => (r.rows[0] as { n: number }).n)));
      expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
      expect(results.map((r) => (r as PromiseFulfilledResult<number>).value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(pool.totalCount).toBeLessThanOrEqual(2);
      expect(pool.options.max).toBeLessThanOrEqual(2);
    });
  });

  it('the refusal is the error when the pool has no connection at all', async () => {
    await withLimitedPool(1, 4, async ({ pool, url, role, admin }) => {
      // the open's own connection is idle in the pool: the role's one slot is taken by it
      const held = await pool.connect();
      const other = new pg.Client({ connectionString: url });
      const err = await other.connect().then(
        () => null,
        (e: unknown) => e,
      );
      await other.end().catch(() => undefined);
      expect((err as { code?: string }).code).toBe('53300');
      held.release(true); // closed: the pool has no connection now
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where usename = '${role}'`);
      await new Promise((r) => setTimeout(r, 200));
      await admin.query(`alter role ${role} connection limit 0`);
      await expect(pool.query('select 1')).rejects.toMatchObject({ code: '53300' });
    });
  });
});
