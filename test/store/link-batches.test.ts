/**
 * Link batches whose SQL is compiled once per row count (store/reuse-compiled.ts): a second batch of the
 * same size runs the remembered statement with its own values, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { createTestStoreUrl, testStoreKinds, type TestStoreUrl } from '../helpers/db.js';

describe.each(testStoreKinds())('link batches on %s', (kind) => {
  let t: TestStoreUrl;
  let store: Store;

  beforeAll(async () => {
    t = await createTestStoreUrl(kind);
    store = await openStore(t.url, { now: () => 1_800_000_000_000 });
  });
  afterAll(async () => {
    await store.close();
    await t.cleanup();
  });

  const batch = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({ entity: 'product', shopId: `s${from + i}`, erpId: `e${from + i}`, shopHash: `h${from + i}`, erpHash: i % 2 ? null : `k${from + i}`, syncedAt: 1000 + from + i, meta: i % 3 ? null : { n: from + i } }));

  it('writes and reads each batch of the same size with its own values', async () => {
    for (const from of [0, 100, 200]) await store.links.upsertMany(batch(from, 7));
    await store.links.upsertMany(batch(300, 600)); // two inserts (500 + 100) per call
    await store.links.upsertMany(batch(900, 600));
    const want = [...batch(0, 7), ...batch(100, 7), ...batch(200, 7), ...batch(300, 600), ...batch(900, 600)];
    const byShop = await store.links.getMany('product', 'shop', want.map((r) => r.shopId));
    const byErp = await store.links.getMany('product', 'erp', want.map((r) => r.erpId));
    expect(byShop.size).toBe(want.length);
    expect(byErp.size).toBe(want.length);
    for (const r of want) {
      expect(byShop.get(r.shopId)).toMatchObject({ erpId: r.erpId, shopHash: r.shopHash, erpHash: r.erpHash, syncedAt: r.syncedAt, meta: r.meta });
      expect(byErp.get(r.erpId)?.shopId).toBe(r.shopId);
    }
    // same sizes again: the stored hashes kept where the new ones are null (coalesce), others replaced
    await store.links.upsertMany(batch(0, 7).map((r) => ({ ...r, shopHash: `new${r.shopId}`, erpHash: null })));
    const again = await store.links.getMany('product', 'shop', batch(0, 7).map((r) => r.shopId));
    for (const r of batch(0, 7)) expect(again.get(r.shopId)).toMatchObject({ shopHash: `new${r.shopId}`, erpHash: r.erpHash });
    expect((await store.links.getMany('product', 'shop', ['s1', 's2', 'nope'])).size).toBe(2);
  });

  it('still refuses a batch that links an id to a second record', async () => {
    await store.links.upsertMany(batch(5000, 7));
    await expect(store.links.upsertMany(batch(5000, 7).map((r, i) => (i === 3 ? { ...r, erpId: 'other' } : r)))).rejects.toMatchObject({ kind: 'conflict' });
  });
});
