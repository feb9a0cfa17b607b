/**
 * `store.pool`: the bounded PostgreSQL connection budget of a node (pool + 1 listener), independent of
 * `workers.concurrency`; the engine opens exactly `store.pool` connections at most.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { sql } from 'kysely';
import { Config } from '../../src/config/schema.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { createEngine } from '../../src/engine/create-engine.js';
import { DEFAULT_POOL, nodeConnections, poolSize, refusedConnectionAdvice } from '../../src/store/index.js';
import { createTestStoreUrl, testStoreKinds } from '../helpers/db.js';

function config(store: ConfigInput['store'], concurrency: number): ReturnType<typeof Config.safeParse> {
  return Config.safeParse({
    store,
    workers: { concurrency },
    systems: {
      shop: { type: 'rest-shop', url: 'http://127.0.0.1:9/shop', auth: { type: 'bearer', token: 'shop-token' }, webhookSecret: 'hook-secret', currency: 'EUR' },
      erp: { type: 'odoo', url: 'http://127.0.0.1:9', db: 'odoo', user: 'admin', apiKey: 'odoo-key' },
    },
  } satisfies ConfigInput);
}

describe('store.pool', () => {
  it('defaults to 10 whatever workers.concurrency is, and is at least 2', () => {
    expect(DEFAULT_POOL).toBe(10);
    expect([1, 8, 32, 64].map((c) => config({ url: 'sqlite::memory:' }, c)).map((r) => r.success && poolSize(r.data.store.pool))).toEqual([10, 10, 10, 10]);
    expect(nodeConnections(poolSize(undefined))).toBe(11); // 3 nodes: 33 of a stock PostgreSQL's 100
    const few = config({ url: 'sqlite::memory:', pool: 3 }, 32); // 32 workers on 3 connections: allowed
    expect(few.success && few.data.store.pool).toBe(3);
    const one = config({ url: 'sqlite::memory:', pool: 1 }, 1);
    expect(one.success).toBe(false);
    expect(one.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['store.pool', 'must be at least 2: one connection for a transaction, one for claims, lease renewals and the heartbeat'],
    ]);
    expect(config({ url: 'sqlite::memory:', pool: 2.5 }, 1).success).toBe(false);
  });

  it('a refusal (53300) says which limit was hit and what to set', () => {
    expect(refusedConnectionAdvice('sorry, too many clients already', 10)).toBe(
      'PostgreSQL refuses more connections: each tandem node opens up to store.pool (here 10) + 1 listener = 11 connections (default store.pool 10, whatever workers.concurrency is) — set store.pool lower (at least 2) on every node, run fewer nodes, or raise max_connections on the server (it must cover nodes × 11 plus every other client)',
    );
    expect(refusedConnectionAdvice('too many connections for role "tandem"', 4)).toMatch(/for this role: .*store\.pool \(here 4\) \+ 1 listener = 5 connections.*ALTER ROLE … CONNECTION LIMIT/);
    expect(refusedConnectionAdvice('too many connections for database "shop"')).toMatch(/to this database: .*ALTER DATABASE … CONNECTION LIMIT/);
  });

  const pgStore = testStoreKinds().includes('postgres') ? createTestStoreUrl('postgres') : undefined;
  afterAll(async () => (await pgStore)?.cleanup());

  it.runIf(pgStore !== undefined)('the engine holds at most store.pool connections on PostgreSQL, however many queries wait', async () => {
    const t = (await pgStore)!;
    const appName = `tandem-pool-${randomBytes(4).toString('hex')}`;
    const url = new URL(t.url);
    url.searchParams.set('application_name', appName);
    const parsed = config({ url: url.toString(), pool: 14 }, 8); // the default would be 10
    if (!parsed.success) throw parsed.error;
    const engine = await createEngine({ config: parsed.data, storeUrl: url.toString(), log: pino({ level: 'silent' }) });
    try {
      const db = engine.store.db;
      const sleeping = Promise.all(Array.from({ length: 30 }, () => sql`select pg_sleep(0.4)`.execute(db)));
      await new Promise((r) => setTimeout(r, 200));
      const admin = await createTestStoreUrl('postgres'); // a connection outside the engine's pool
      const { Client } = (await import('pg')).default;
      const client = new Client({ connectionString: admin.url });
      await client.connect();
      const { rows } = await client.query<{ n: string }>('select count(*) as n from pg_stat_activity where application_name = $1', [appName]);
      await client.end();
      await admin.cleanup();
      await sleeping;
      expect(Number(rows[0]?.n)).toBe(14);
    } finally {
      await engine.close();
    }
  });
});
