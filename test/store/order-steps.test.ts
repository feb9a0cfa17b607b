/**
 * An order step and its audit event are written together (OrderRepo.recordStepAudited): one statement on
 * PostgreSQL, one transaction on SQLite — both rows or neither. On SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { createTestStoreUrl, testStoreKinds, type TestStoreUrl } from '../helpers/db.js';

const T0 = 1_800_000_000_000;

describe.each(testStoreKinds())('order steps with their audit on %s', (kind) => {
  let t: TestStoreUrl;
  let store: Store;

  beforeAll(async () => {
    t = await createTestStoreUrl(kind);
    store = await openStore(t.url, { now: () => T0 });
  });
  afterAll(async () => {
    await store.close();
    await t.cleanup();
  });

  const audit = (action: string) => ({ entity: 'order', shopId: '7', erpId: 'S1', orderNumber: '#7', action, jobId: '3', detail: { n: 1 } });

  it('writes the step and its audit event, and again on a re-run (the step updated, a second event)', async () => {
    await store.orders.recordStepAudited('7', 'confirm', { ok: true }, audit('step:confirm'));
    expect((await store.orders.steps('7')).get('confirm')).toMatchObject({ state: 'done', result: { ok: true }, at: T0 });
    expect(await store.audit.query({ shopId: '7' })).toMatchObject([{ action: 'step:confirm', erpId: 'S1', orderNumber: '#7', jobId: '3', detail: { n: 1 }, at: T0 }]);
    await store.orders.recordStepAudited('7', 'confirm', { ok: 'again' }, audit('step:confirm'));
    expect((await store.orders.steps('7')).get('confirm')?.result).toEqual({ ok: 'again' });
    expect(await store.audit.query({ shopId: '7' })).toHaveLength(2);
  });

  it('inside a caller transaction: rolled back with it', async () => {
    await expect(
      store.transaction(async (tx) => {
        await store.orders.recordStepAudited('8', 'invoice', {}, { ...audit('step:invoice'), shopId: '8' }, tx);
        throw new Error('later failure');
      }),
    ).rejects.toThrow('later failure');
    expect((await store.orders.steps('8')).size).toBe(0);
    expect(await store.audit.query({ shopId: '8' })).toEqual([]);
  });

  it('both or neither: an audit event the store refuses leaves no step behind', async () => {
    const bad = { ...audit('step:payment'), shopId: '9', entity: null as unknown as string }; // audit.entity is NOT NULL
    await expect(store.orders.recordStepAudited('9', 'payment', {}, bad)).rejects.toThrow();
    expect((await store.orders.steps('9')).size).toBe(0);
  });
});
