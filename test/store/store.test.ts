/** The store suite, on a SQLite file and on PostgreSQL. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { SyncError } from '../../src/shared/errors.js';
import { createTestStoreUrl, testStoreKinds } from '../helpers/db.js';
import type { TestStoreUrl } from '../helpers/db.js';

const T0 = 1_800_000_000_000;

describe.each(testStoreKinds())('store on %s', (kind) => {
  let t: TestStoreUrl;
  let store: Store;
  let now = T0;

  beforeAll(async () => {
    t = await createTestStoreUrl(kind);
    store = await openStore(t.url, { now: () => now });
  });
  afterAll(async () => {
    await store.close();
    await t.cleanup();
  });
  beforeEach(async () => {
    now = T0;
    for (const table of ['links', 'cursors', 'inbox', 'runs', 'audit'] as const) await store.db.deleteFrom(table).execute();
  });

  it('opens an existing store without migrating again, and reports its dialect', async () => {
    expect(store.dialect).toBe(kind);
    const again = await openStore(t.url);
    try {
      const applied = await sql<{ name: string }>`select name from tandem_migrations order by name`.execute(again.db);
      expect(applied.rows.map((r) => r.name)[0]).toBe('001_initial');
      expect(new Set(applied.rows.map((r) => r.name)).size).toBe(applied.rows.length);
    } finally {
      await again.close();
    }
  });

  describe('links', () => {
    it('inserts, reads by either side, and updates by either side keeping hashes not given', async () => {
      await store.links.upsertMany([
        { entity: 'product', shopId: 's1', erpId: 'e1', shopHash: 'h1', meta: { childIds: { 'SKU-1': '11' } } },
        { entity: 'product', shopId: 's2', erpId: 'e2' },
        { entity: 'variant', shopId: 's1', erpId: 'e9' },
      ]);
      expect(await store.links.get('product', 'shop', 's1')).toEqual({
        id: expect.any(String),
        entity: 'product',
        shopId: 's1',
        erpId: 'e1',
        shopHash: 'h1',
        erpHash: null,
        syncedAt: T0,
        meta: { childIds: { 'SKU-1': '11' } },
      });
      expect((await store.links.get('product', 'erp', 'e2'))?.shopId).toBe('s2');
      expect((await store.links.get('variant', 'shop', 's1'))?.erpId).toBe('e9');
      expect(await store.links.get('product', 'shop', 'e1')).toBeUndefined();

      now = T0 + 5;
      await store.links.upsertMany([{ entity: 'product', shopId: 's1', erpId: 'e1', erpHash: 'x1' }]);
      expect(await store.links.get('product', 'erp', 'e1')).toMatchObject({ shopHash: 'h1', erpHash: 'x1', syncedAt: T0 + 5, meta: { childIds: { 'SKU-1': '11' } } });
      expect(await store.links.count('product')).toBe(2);
    });

    it('refuses to link a shop id to a different erp id (and the reverse), naming both ids, writing nothing', async () => {
      await store.links.upsertMany([{ entity: 'product', shopId: 's1', erpId: 'e1' }]);
      const err = await store.links.upsertMany([{ entity: 'product', shopId: 's9', erpId: 'e9' }, { entity: 'product', shopId: 's1', erpId: 'e2' }]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SyncError);
      expect(err).toMatchObject({ kind: 'conflict' });
      expect((err as SyncError).message).toContain('s1');
      expect((err as SyncError).message).toContain('e1');
      expect((err as SyncError).message).toContain('e2');
      expect(await store.links.get('product', 'shop', 's9')).toBeUndefined();
      await expect(store.links.upsertMany([{ entity: 'product', shopId: 's2', erpId: 'e1' }])).rejects.toMatchObject({ kind: 'conflict', message: expect.stringMatching(/e1.*s1.*s2/) });
      await expect(
        store.links.upsertMany([
          { entity: 'product', shopId: 's5', erpId: 'e5' },
          { entity: 'product', shopId: 's5', erpId: 'e6' },
        ]),
      ).rejects.toMatchObject({ kind: 'conflict' });
      await expect(
        store.links.upsertMany([
          { entity: 'product', shopId: 's5', erpId: 'e5' },
          { entity: 'product', shopId: 's6', erpId: 'e5' },
        ]),
      ).rejects.toMatchObject({ kind: 'conflict' });
      expect(await store.links.count('product')).toBe(1);
    });

    it('replaceMany moves a link whose other side was re-created', async () => {
      await store.links.upsertMany([
        { entity: 'product', shopId: 's1', erpId: 'e1', shopHash: 'h' },
        { entity: 'product', shopId: 's2', erpId: 'e2' },
      ]);
      await store.links.replaceMany([{ entity: 'product', shopId: 's1', erpId: 'e7', shopHash: 'h2' }]);
      expect(await store.links.get('product', 'shop', 's1')).toMatchObject({ erpId: 'e7', shopHash: 'h2' });
      expect(await store.links.get('product', 'erp', 'e1')).toBeUndefined();
      expect(await store.links.count('product')).toBe(2);
    });

    it('getMany chunks long id lists; iterate pages through everything in order', async () => {
      const rows = Array.from({ length: 1234 }, (_, i) => ({ entity: 'customer', shopId: `s${i}`, erpId: `e${i}`, shopHash: `h${i}` }));
      await store.links.upsertMany(rows);
      const ids = [...rows.map((r) => r.shopId), 'missing'];
      const found = await store.links.getMany('customer', 'shop', ids);
      expect(found.size).toBe(1234);
      expect(found.get('s1233')?.erpId).toBe('e1233');
      const byErp = await store.links.getMany('customer', 'erp', ['e3', 'e4']);
      expect([...byErp.keys()].sort()).toEqual(['e3', 'e4']);
      const seen: string[] = [];
      for await (const link of store.links.iterate('customer', { pageSize: 100 })) seen.push(link.shopId);
      expect(seen).toEqual(rows.map((r) => r.shopId));
      expect(await store.links.count('customer')).toBe(1234);
    });

    it('setHashes and delete by either side', async () => {
      await store.links.upsertMany([{ entity: 'product', shopId: 's1', erpId: 'e1', shopHash: 'a', erpHash: 'b' }]);
      now = T0 + 9;
      expect(await store.links.setHashes('product', 'erp', 'e1', { erpHash: 'c', shopHash: null })).toBe(true);
      expect(await store.links.get('product', 'shop', 's1')).toMatchObject({ shopHash: null, erpHash: 'c', syncedAt: T0 + 9 });
      expect(await store.links.setHashes('product', 'erp', 'nope', { erpHash: 'c' })).toBe(false);
      expect(await store.links.delete('product', 'erp', 'e1')).toBe(true);
      expect(await store.links.delete('product', 'shop', 's1')).toBe(false);
    });

    it('writes made in a transaction that fails are rolled back together', async () => {
      await expect(
        store.transaction(async (tx) => {
          await store.links.upsertMany([{ entity: 'product', shopId: 's1', erpId: 'e1' }], tx);
          await store.cursors.set('shop:product', { after: 'x' }, tx);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.links.count('product')).toBe(0);
      expect(await store.cursors.get('shop:product')).toBeNull();
    });
  });

  it('cursors: JSON in, JSON out, overwritten by key', async () => {
    expect(await store.cursors.get('shop:product')).toBeNull();
    const cursor = { updatedAt: '2024-05-01T10:00:00Z', id: '42', seen: [1, 2], deep: { ok: true, none: null } };
    await store.cursors.set('shop:product', cursor);
    expect(await store.cursors.get('shop:product')).toEqual(cursor);
    await store.cursors.set('shop:product', 'opaque-token');
    expect(await store.cursors.get('shop:product')).toBe('opaque-token');
    await store.cursors.set('erp:stock', 17);
    expect((await store.cursors.list()).map((c) => c.key)).toEqual(['erp:stock', 'shop:product']);
    expect(await store.cursors.delete('erp:stock')).toBe(true);
  });

  it('inbox: a redelivered webhook is recognised by (system, delivery id)', async () => {
    const delivery = { system: 'woocommerce', deliveryId: 'd-1', entity: 'order', recordId: '1001', action: 'updated', payload: { id: 1001, status: 'processing' } };
    const first = await store.inbox.record(delivery);
    expect(first.inserted).toBe(true);
    const again = await store.inbox.record({ ...delivery, payload: { changed: true } });
    expect(again).toEqual({ inserted: false, id: first.id });
    expect((await store.inbox.record({ ...delivery, system: 'rest-shop' })).inserted).toBe(true);
    await store.inbox.markProcessed(first.id, '77');
    expect(await store.inbox.get(first.id)).toMatchObject({ processedAt: T0, jobId: '77', payload: { id: 1001, status: 'processing' } });
    expect((await store.inbox.list({ processed: false })).map((e) => e.system)).toEqual(['rest-shop']);
    expect((await store.inbox.list({ system: 'woocommerce' })).map((e) => e.id)).toEqual([first.id]);
    expect((await store.inbox.list({ entity: 'order', recordId: '1001' })).map((e) => e.system)).toEqual(['rest-shop', 'woocommerce']);
    expect(await store.inbox.list({ entity: 'order', recordId: '1002' })).toEqual([]);
  });

  it('runs: started, finished with counts and report, listed newest first', async () => {
    const a = await store.runs.start({ flow: 'product:shop→erp', kind: 'incremental' });
    now = T0 + 100;
    const b = await store.runs.start({ flow: 'stock:erp→shop', kind: 'initial' });
    expect(await store.runs.get(a)).toMatchObject({ status: 'running', startedAt: T0, finishedAt: null, counts: {} });
    now = T0 + 250;
    await store.runs.finish(a, { status: 'ok', counts: { created: 3, updated: 1 }, report: { errors: [] } });
    expect(await store.runs.get(a)).toMatchObject({ status: 'ok', finishedAt: T0 + 250, counts: { created: 3, updated: 1 }, report: { errors: [] } });
    expect((await store.runs.list()).map((r) => r.id)).toEqual([b, a]);
    expect((await store.runs.list({ flow: 'stock:erp→shop' })).map((r) => r.id)).toEqual([b]);
  });

  it('audit: events of an order in time order, the latest N when limited', async () => {
    await store.audit.record({ at: T0 + 30, entity: 'order', shopId: '1001', orderNumber: '#1001', action: 'confirmed', detail: { erp: 'S00042' } });
    await store.audit.record({ at: T0 + 10, entity: 'order', shopId: '1001', orderNumber: '#1001', action: 'imported', jobId: '5', detail: null });
    await store.audit.record({ at: T0 + 20, entity: 'order', shopId: '1002', orderNumber: '#1002', action: 'imported', detail: {} });
    await store.audit.record({ entity: 'payment', erpId: 'P7', orderNumber: '#1001', action: 'registered', detail: { amount: '12.50' } });
    const trace = await store.audit.query({ orderNumber: '#1001' });
    expect(trace.map((e) => [e.at, e.action])).toEqual([
      [T0, 'registered'],
      [T0 + 10, 'imported'],
      [T0 + 30, 'confirmed'],
    ]);
    expect(trace[1]).toMatchObject({ jobId: '5', shopId: '1001', erpId: null });
    expect((await store.audit.query({ orderNumber: '#1001', limit: 2 })).map((e) => e.action)).toEqual(['imported', 'confirmed']);
    expect((await store.audit.query({ entity: 'order', shopId: '1002' })).map((e) => e.action)).toEqual(['imported']);
    expect((await store.audit.query({ erpId: 'P7' }))[0]?.detail).toEqual({ amount: '12.50' });
  });
});
