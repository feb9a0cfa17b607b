/**
 * An imported order is recorded all or nothing (OrderRepo.recordImport): its link, its row, its sales, the
 * `import` step and its audit event — ONE statement on PostgreSQL (no BEGIN/COMMIT), one transaction on
 * SQLite. And a step's record carries the writes that belong to it (recordStepAudited's `writes`: the
 * order row's ERP fields, the follow-up job) in the same statement / transaction. A failure anywhere — a
 * link conflict, a write the store refuses at the very end — leaves nothing half-written. Both stores.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { sql } from 'kysely';
import { Queue } from '../../src/queue/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { SyncError } from '../../src/shared/errors.js';
import { createTestStoreUrl, testStoreKinds, type TestStoreUrl } from '../helpers/db.js';

const T0 = 1_800_000_000_000;

/**
 * Counts the statements sent to PostgreSQL while `fn` runs (each Client.query, BEGIN and COMMIT included).
 * Installed before any store opens: the named-statement hook binds a connection's `query` when it connects.
 */
let sent: string[] | null = null;
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const q = args[0];
  sent?.push(String(typeof q === 'object' && q !== null ? (q as { text?: string }).text : q));
  return (original as (...a: unknown[]) => unknown).apply(this, args);
} as typeof original;
afterAll(() => {
  pg.Client.prototype.query = original;
});

async function pgStatements(fn: () => Promise<unknown>): Promise<string[]> {
  sent = [];
  try {
    await fn();
    return sent;
  } finally {
    sent = null;
  }
}

describe.each(testStoreKinds())('recording an imported order on %s', (kind) => {
  let t: TestStoreUrl;
  let store: Store;
  let queue: Queue;

  beforeAll(async () => {
    t = await createTestStoreUrl(kind);
    store = await openStore(t.url, { now: () => T0 });
    queue = new Queue(store, { now: () => T0 });
    // a write the store refuses at the very end of the record: the audit event of one order ('refuse')
    if (kind === 'postgres') {
      await sql`create function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'audit refused'; end $$`.execute(store.db);
      await sql`create trigger refuse_audit before insert on audit for each row when (new.shop_id = 'refuse') execute function refuse_audit()`.execute(store.db);
    } else {
      await sql`create trigger refuse_audit before insert on audit when new.shop_id = 'refuse' begin select raise(abort, 'audit refused'); end`.execute(store.db);
    }
  });
  afterAll(async () => {
    await store.close();
    await t.cleanup();
  });
  beforeEach(async () => {
    for (const table of ['links', 'orders', 'sales', 'order_steps', 'audit', 'jobs'] as const) await store.db.deleteFrom(table).execute();
  });

  const shopRow = (shopId: string) => ({ shopId, number: `N-${shopId}`, email: 'a@example.com', currency: 'EUR', shopStatus: 'processing', shopTotal: '24.90', lines: [{ sku: 'A-1', quantity: 2 }, { sku: 'B-2', quantity: 1 }, { sku: 'A-1', quantity: 1 }], orderedAt: T0 - 5_000 });
  const record = (shopId: string, erpId: string) => ({
    row: { ...shopRow(shopId), erpId, erpName: `S${erpId}`, erpState: 'draft', erpTotal: '24.90', refundedTotal: '0.00', importedAt: T0 - 1 },
    result: { erpId, name: `S${erpId}`, created: true, rounding: null },
    audit: { entity: 'order', shopId, erpId, orderNumber: `N-${shopId}`, action: 'step:import', jobId: '9', detail: { name: `S${erpId}` } },
  });

  /** What the store holds of an order: link, row's ERP id, sales, steps, audit actions. */
  async function held(shopId: string) {
    const sales = await store.db.selectFrom('sales').select(['sku', 'quantity', 'at']).where('order_id', '=', shopId).orderBy('sku').execute();
    return {
      link: (await store.links.get('order', 'shop', shopId))?.erpId ?? null,
      erpId: (await store.orders.get(shopId))?.erpId ?? null,
      sales: sales.map((s) => `${s.sku}×${Number(s.quantity)}@${Number(s.at)}`),
      steps: [...(await store.orders.steps(shopId)).keys()].sort(), // (one clock: the same `at`)
      audit: (await store.audit.query({ shopId })).map((e) => e.action),
    };
  }

  it('writes the link, the row with its ERP fields, the sales per SKU, the step and its audit event', async () => {
    await store.orders.upsert(shopRow('1')); // the run's first write: the shop side
    await store.orders.recordImport(record('1', '501'));
    expect(await held('1')).toEqual({ link: '501', erpId: '501', sales: [`A-1×3@${T0 - 5_000}`, `B-2×1@${T0 - 5_000}`], steps: ['import'], audit: ['step:import'] });
    expect(await store.orders.get('1')).toMatchObject({ erpName: 'S501', erpState: 'draft', erpTotal: '24.90', refundedTotal: '0.00', importedAt: T0 - 1, shopStatus: 'processing', lines: shopRow('1').lines, updatedAt: T0 });
    expect((await store.orders.steps('1')).get('import')).toMatchObject({ state: 'done', result: { erpId: '501', created: true }, at: T0 });
    expect(await store.audit.query({ shopId: '1' })).toMatchObject([{ erpId: '501', orderNumber: 'N-1', jobId: '9', detail: { name: 'S501' }, at: T0 }]);
    // again (a rerun): the same rows, one more audit event
    await store.orders.recordImport(record('1', '501'));
    expect(await held('1')).toMatchObject({ link: '501', steps: ['import'], audit: ['step:import', 'step:import'] });
    // an order without SKU lines: no sales
    await store.orders.recordImport({ ...record('2', '502'), row: { ...record('2', '502').row, lines: [] } });
    expect(await held('2')).toMatchObject({ link: '502', erpId: '502', sales: [], steps: ['import'] });
  });

  it('a shop order linked to another ERP order: a conflict naming both, nothing written', async () => {
    await store.orders.upsert(shopRow('3'));
    await store.links.upsertMany([{ entity: 'order', shopId: '3', erpId: '999' }]);
    const err = await store.orders.recordImport(record('3', '503')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncError);
    expect((err as SyncError).kind).toBe('conflict');
    expect((err as Error).message).toMatch(/shop order 3 is already linked to erp order 999/);
    expect(await held('3')).toEqual({ link: '999', erpId: null, sales: [], steps: [], audit: [] });
  });

  it('an ERP order linked to another shop order: a conflict naming both, nothing written', async () => {
    await store.orders.upsert(shopRow('4'));
    await store.links.upsertMany([{ entity: 'order', shopId: '40', erpId: '504' }]);
    const err = await store.orders.recordImport(record('4', '504')).catch((e: unknown) => e);
    expect((err as SyncError).kind).toBe('conflict');
    expect((err as Error).message).toMatch(/erp order 504 is already linked to shop order 40/);
    expect(await held('4')).toEqual({ link: null, erpId: null, sales: [], steps: [], audit: [] });
  });

  it('the last write refused (its audit event): nothing of the import stays', async () => {
    await store.orders.upsert(shopRow('refuse'));
    await expect(store.orders.recordImport(record('refuse', '505'))).rejects.toThrow(/audit refused/);
    expect(await held('refuse')).toEqual({ link: null, erpId: null, sales: [], steps: [], audit: [] });
    expect((await store.orders.get('refuse'))?.erpState).toBeNull();
  });

  it('a step with its writes: the row’s ERP fields and the follow-up job, with the step — or none of them', async () => {
    const job = { kind: 'order.sync', key: 'order:6', payload: { shopId: '6', reason: 'follow-up' }, priority: 60, dedupe: true, recordKey: 'order:shop:6' };
    await store.orders.recordImport(record('6', '506'));
    const audit = { entity: 'order', shopId: '6', erpId: '506', orderNumber: 'N-6', action: 'step:confirm', jobId: '9', detail: { state: 'sale' } };
    await store.orders.recordStepAudited('6', 'confirm', { state: 'sale' }, audit, undefined, { order: { erpState: 'sale', erpTotal: '24.90', erpName: 'S506' }, also: queue.enqueueWrite(job) });
    expect(await held('6')).toMatchObject({ steps: ['confirm', 'import'], audit: ['step:import', 'step:confirm'] });
    expect(await store.orders.get('6')).toMatchObject({ erpState: 'sale', erpTotal: '24.90', erpName: 'S506', importedAt: T0 - 1, shopTotal: '24.90' });
    expect((await queue.list({ key: 'order:6' })).map((j) => [j.state, j.priority])).toEqual([['queued', 60]]);
    // a job of the key waits already: joined, not a second one
    await store.orders.recordStepAudited('6', 'confirm', { state: 'sale' }, audit, undefined, { also: queue.enqueueWrite(job) });
    expect(await queue.list({ key: 'order:6' })).toHaveLength(1);

    await store.orders.recordImport(record('7', '507')).catch(() => undefined);
    await store.orders.upsert(shopRow('refuse'));
    const refused = { ...audit, shopId: 'refuse' };
    await expect(
      store.orders.recordStepAudited('refuse', 'confirm', { state: 'sale' }, refused, undefined, { order: { erpState: 'sale' }, also: queue.enqueueWrite({ ...job, key: 'order:refuse' }) }),
    ).rejects.toThrow(/audit refused/);
    expect(await held('refuse')).toMatchObject({ steps: [], audit: [] });
    expect((await store.orders.get('refuse'))?.erpState).toBeNull();
    expect(await queue.list({ key: 'order:refuse' })).toEqual([]);
  });

  it.runIf(kind === 'postgres')('PostgreSQL: the import and a step with its writes are ONE statement each, no transaction', async () => {
    await store.orders.upsert(shopRow('8'));
    const imported = await pgStatements(() => store.orders.recordImport(record('8', '508')));
    expect(imported).toHaveLength(1);
    expect(imported[0]).toMatch(/^with lk as \(insert into links/);
    const audit = { entity: 'order', shopId: '8', erpId: '508', orderNumber: 'N-8', action: 'step:confirm', jobId: '9', detail: null };
    const job = { kind: 'order.sync', key: 'order:8', payload: { shopId: '8', reason: 'follow-up' }, dedupe: true };
    const confirmed = await pgStatements(() => store.orders.recordStepAudited('8', 'confirm', { state: 'sale' }, audit, undefined, { order: { erpState: 'sale' }, also: queue.enqueueWrite(job) }));
    expect(confirmed).toHaveLength(1);
    expect(await held('8')).toMatchObject({ link: '508', steps: ['confirm', 'import'] });
    expect(await queue.list({ key: 'order:8' })).toHaveLength(1);
  });
});
