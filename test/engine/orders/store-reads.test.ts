/**
 * The statements an order's run and its webhook cost, cut to one each (issue 16/17: order burst on
 * PostgreSQL): the run's read of the store (row + steps + dead letter) and the dedupe enqueue of its job.
 * Each replacement must say exactly what the statements it replaced said, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Queue } from '../../../src/queue/index.js';
import { openStore } from '../../../src/store/index.js';
import type { Store } from '../../../src/store/index.js';
import { SyncError } from '../../../src/shared/errors.js';
import { createTestStoreUrl, testStoreKinds } from '../../helpers/db.js';
import type { TestStoreUrl } from '../../helpers/db.js';

const order = (shopId: string) => ({ shopId, number: `N-${shopId}`, currency: 'EUR', shopStatus: 'confirmed', shopTotal: '19.99', lines: [{ sku: 'A-1', quantity: 2 }], orderedAt: 1_800_000_000_000 });

describe.each(testStoreKinds())('order reads and enqueues on %s', (kind) => {
  let t: TestStoreUrl;
  let store: Store;
  let queue: Queue;

  beforeAll(async () => {
    t = await createTestStoreUrl(kind);
    store = await openStore(t.url);
    queue = new Queue(store);
  });
  afterAll(async () => {
    await store.close();
    await t.cleanup();
  });
  beforeEach(async () => {
    for (const table of ['jobs', 'order_steps', 'orders'] as const) await store.db.deleteFrom(table).execute();
  });

  it('readForSync: a never-seen order has no row, no steps, no dead letter', async () => {
    const r = await store.orders.readForSync('41', 'order:shop:41');
    expect(r.stored).toBeUndefined();
    expect([...r.steps]).toEqual([]);
    expect(r.deadLetter).toBe(false);
  });

  it('readForSync returns what get() and steps() return, and sees only this order’s dead letter', async () => {
    await store.orders.upsert({ ...order('42'), erpId: '7', erpName: 'S00007', importedAt: 1_800_000_000_500 });
    await store.orders.upsert(order('43'));
    await store.orders.recordStep('42', 'import', 'done', { erpId: '7', name: 'S00007' });
    await new Promise((r) => setTimeout(r, 3)); // steps come back in the order they were done
    await store.orders.recordStep('42', 'confirm', 'failed', null);
    await store.orders.recordStep('43', 'import', 'done', { erpId: '8' });
    // a dead letter of order 43 only
    await queue.bury({ kind: 'order.sync', key: 'order:43', payload: { shopId: '43', reason: 'webhook' }, recordKey: 'order:shop:43' }, new SyncError('invalid_data', 'SKU X unknown'));

    const r = await store.orders.readForSync('42', 'order:shop:42');
    expect(r.stored).toEqual(await store.orders.get('42'));
    expect(r.stored).toMatchObject({ shopId: '42', erpId: '7', lines: [{ sku: 'A-1', quantity: 2 }], importedAt: 1_800_000_000_500 });
    expect([...r.steps.keys()]).toEqual(['import', 'confirm']);
    expect(r.steps).toEqual(await store.orders.steps('42'));
    expect(r.deadLetter).toBe(false);

    const other = await store.orders.readForSync('43', 'order:shop:43');
    expect(other.deadLetter).toBe(true);
    expect([...other.steps.keys()]).toEqual(['import']);
    // settled (done) is no dead letter any more
    await queue.resolveDead('order.sync', ['order:43']);
    expect((await store.orders.readForSync('43', 'order:shop:43')).deadLetter).toBe(false);
  });

  it('a dedupe enqueue joins a waiting job of the key, also a retry whose dedupe key was cleared', async () => {
    const job = { kind: 'order.sync', key: 'order:44', payload: { shopId: '44', reason: 'webhook' }, dedupe: true, recordKey: 'order:shop:44' };
    const first = await queue.enqueue(job);
    expect(await queue.enqueue(job)).toBe(first);
    // claimed, then failed with a retryable error: queued again, outside the unique index
    const [claimed] = await queue.claim('w1', { limit: 1, leaseMs: 60_000 });
    expect(claimed?.id).toBe(first);
    expect(await queue.fail(claimed!, new SyncError('unavailable', 'ERP down'))).toBe('retry');
    expect((await queue.get(first))?.state).toBe('queued');
    // a new webhook for the order joins the retry instead of queueing a second run
    expect(await queue.enqueue(job)).toBe(first);
    expect((await queue.list({ key: 'order:44' })).map((j) => j.id)).toEqual([first]);
    // concurrent enqueues of another order: one job
    const ids = await Promise.all(Array.from({ length: 6 }, () => queue.enqueue({ ...job, key: 'order:45' })));
    expect(new Set(ids).size).toBe(1);
  });
});
