/**
 * Personal data: a viewer sees dead letters, traces and audit details with names, e-mails, addresses and
 * phones redacted (operators in full); the retention purge redacts them in the store once older than
 * retention.personalData — dead letters (and an edited record, which is dropped), inbox payloads, order
 * steps, audit details, run reports — and leaves newer rows alone. On SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createEngine, type RunningEngine } from '../../src/engine/create-engine.js';
import { runRetention } from '../../src/server/run-retention.js';
import { PURGE_WATERMARK } from '../../src/store/purge-personal-data.js';
import { testStoreUrls } from '../helpers/db.js';
import { startTestServer, testConfig, type TestServer } from './support/test-server.js';
import { buryCustomer } from './support/dead-letters.js';

const stores = await testStoreUrls();
afterAll(() => Promise.all(stores.map((s) => s.cleanup())));

const DAY = 86_400_000;
const PERSONAL = /jane|doe|elbweg|hamburg|20095|\+49 40/i;

describe.each(stores)('personal data on $name', ({ url: storeUrl }) => {
  let t: TestServer;
  let dead: string;
  const get = async (path: string, token: string) => (await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).text();

  beforeAll(async () => {
    t = await startTestServer(storeUrl);
    dead = await buryCustomer(t.engine, '601');
    const store = t.engine.store;
    await store.orders.upsert({ shopId: '9001', number: 'WC-9001', currency: 'EUR', shopStatus: 'processing', shopTotal: '89.00', lines: [{ sku: 'SNK-43', quantity: 1 }], orderedAt: Date.now() });
    await store.audit.record({ entity: 'order', shopId: '9001', orderNumber: 'WC-9001', action: 'step:customer', detail: { partner: { id: 7, name: 'Jane Doe', email: 'jane@example.com' }, sku: 'SNK-43' } });
    await store.orders.recordStep('9001', 'customer', 'done', { partner_id: [7, 'Jane Doe'], email: 'jane@example.com' });
    await store.inbox.record({ system: 'shop', deliveryId: 'd-1', entity: 'order', recordId: '9001', action: 'created', payload: { id: 9001, billing: { first_name: 'Jane', last_name: 'Doe', email: 'jane@example.com' }, total: '89.00' } });
  });
  afterAll(() => t?.close());

  it('a viewer sees dead letters and traces with personal fields redacted; an operator in full', async () => {
    const viewerList = await get('/api/dead-letters', t.tokens.viewer);
    expect(viewerList).not.toMatch(PERSONAL);
    expect(viewerList).toContain('"ids":["601"]'); // what a viewer needs stays: ids, kinds, errors' gist
    expect(viewerList).toContain('VAT number missing');
    expect(await get(`/api/dead-letters/${dead}`, t.tokens.viewer)).not.toMatch(PERSONAL);
    const operatorList = await get('/api/dead-letters', t.tokens.operator);
    expect(operatorList).toContain('jane.601@example.com');
    expect(operatorList).toContain('Elbweg 5');
    const viewerTrace = await get('/api/orders/WC-9001/trace', t.tokens.viewer);
    expect(viewerTrace).toContain('SNK-43');
    expect(viewerTrace).not.toMatch(PERSONAL);
    expect(await get('/api/orders/WC-9001/trace', t.tokens.admin)).toContain('Jane Doe');
  });

  it('the purge redacts what is older than the retention period, and only that', async () => {
    // an edited dead letter and its audit row (payload before/after)
    const s = await t.login('operator');
    const edited = await buryCustomer(t.engine, '602');
    const job = await t.engine.queue.get(edited);
    await fetch(`${t.url}/api/dead-letters/${edited}/replay`, { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' }, body: JSON.stringify({ payload: { ...(job!.payload as object), data: { email: 'jane.602@example.com', firstName: 'Jane' } } }) });
    await t.engine.store.db.updateTable('jobs').set({ state: 'dead' }).where('id', '=', Number(edited)).execute(); // it failed again
    const runId = await t.engine.store.runs.start({ flow: 'reconcile', kind: 'reconcile' });
    await t.engine.store.runs.finish(runId, { status: 'differences', counts: { differences: 1 }, report: { differences: [{ entity: 'customer', label: 'jane@example.com' }] } });
    // a dead letter from within the retention period: stays as it is
    const recent = await buryCustomer(t.engine, '603');
    await t.engine.store.db.updateTable('jobs').set({ updated_at: Date.now() + 10 * DAY }).where('id', '=', Number(recent)).execute();

    // 31 days later
    const later: RunningEngine = await createEngine({ config: testConfig(storeUrl), storeUrl, log: pino({ level: 'silent' }), now: () => new Date(Date.now() + 31 * DAY) });
    try {
      const counts = await runRetention(later);
      expect(counts).toMatchObject({ jobs: 2, inbox: 1, orderSteps: 1, runs: 1 });
      expect(counts!.audit).toBeGreaterThanOrEqual(2);
      const db = t.engine.store.db;
      const rows = async (table: 'jobs' | 'inbox' | 'order_steps' | 'audit' | 'runs') => JSON.stringify(await db.selectFrom(table).selectAll().execute());
      for (const table of ['inbox', 'order_steps', 'audit', 'runs'] as const) expect(await rows(table), table).not.toMatch(PERSONAL);
      const purged = await t.engine.queue.get(dead);
      expect(JSON.stringify(purged)).not.toMatch(PERSONAL);
      expect(purged!.payload).toMatchObject({ entity: 'customer', source: 'shop', ids: ['601'], raw: { id: 601, email: '[redacted]', billing: { country: 'DE' } } });
      expect(purged!.lastError!.message).toBe('res.partner refused [redacted]: VAT number missing');
      // the edited record is dropped, so a replay reads the customer again instead of writing "[redacted]"
      expect(Object.keys((await t.engine.queue.get(edited))!.payload as object)).not.toContain('data');
      // the recent dead letter is untouched
      expect(JSON.stringify((await t.engine.queue.get(recent))!.payload)).toContain('jane.603@example.com');
      // who did what stays
      expect((await t.engine.store.audit.query({ action: 'dlq:edit-replay' })).at(-1)).toMatchObject({ actor: 'user:operator', shopId: '602' });
      // the next purge starts where this one stopped
      expect((await db.selectFrom('meta').select('value').where('key', '=', PURGE_WATERMARK).executeTakeFirst())?.value).toMatch(/^\d+$/);
      expect(await runRetention(later)).toEqual({ jobs: 0, inbox: 0, orderSteps: 0, audit: 0, runs: 0 });
    } finally {
      await later.close();
    }
  });
});
