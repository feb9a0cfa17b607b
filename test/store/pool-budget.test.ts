/**
 * `store.pool`: the bounded PostgreSQL connection budget of a node (pool + 1 listener). The config refuses
 * a pool too small for `workers.concurrency`; the engine opens exactly `store.pool` connections at most.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { sql } from 'kysely';
import { Config } from '../../src/config/schema.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { createEngine } from '../../src/engine/create-engine.js';
import { defaultPoolSize, minPoolSize } from '../../src/store/index.js';
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
  it('defaults to max(10, workers.concurrency + 4) and must leave room for every worker plus 2', () => {
    expect([defaultPoolSize(1), defaultPoolSize(8), defaultPoolSize(32)]).toEqual([10, 12, 36]);
    expect(minPoolSize(8)).toBe(10);
    const ok = config({ url: 'sqlite::memory:', pool: 10 }, 8);
    expect(ok.success && ok.data.store.pool).toBe(10);
    const unset = config({ url: 'sqlite::memory:' }, 8);
    expect(unset.success && unset.data.store.pool).toBeUndefined();
    const small = config({ url: 'sqlite::memory:', pool: 9 }, 8);
    expect(small.success).toBe(false);
    expect(small.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['store.pool', 'is 9, but workers.concurrency 8 needs at least 10 (a connection per running job, one for claims and heartbeats, one for webhooks and the console): raise store.pool or lower workers.concurrency'],
    ]);
    expect(config({ url: 'sqlite::memory:', pool: 1 }, 1).success).toBe(false);
    expect(config({ url: 'sqlite::memory:', pool: 2.5 }, 1).success).toBe(false);
  });

  const pgStore = testStoreKinds().includes('postgres') ? createTestStoreUrl('postgres') : undefined;
  afterAll(async () => (await pgStore)?.cleanup());

  it.runIf(pgStore !== undefined)('the engine holds at most store.pool connections on PostgreSQL, however many queries wait', async () => {
    const t = (await pgStore)!;
    const appName = `tandem-pool-${randomBytes(4).toString('hex')}`;
    const url = new URL(t.url);
    url.searchParams.set('application_name', appName);
    const parsed = config({ url: url.toString(), pool: 14 }, 8); // the default for 8 workers would be 12
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
