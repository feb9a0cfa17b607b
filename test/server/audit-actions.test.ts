/**
 * The audit log of people's actions: every replay, payload edit, discard, fix (reconcile --fix), manual
 * sync and login (success and failure) is one row — who, when, which record, the payload before/after —
 * readable by operators at GET /api/audit with filters. Against the simulators, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testStoreUrls } from '../helpers/db.js';
import { startSims, type Sims } from '../e2e/support/sims.js';
import { e2eConfig } from '../e2e/support/config.js';
import { seedCatalog } from '../e2e/support/seed-catalog.js';
import { PASSWORD, startTestServer, type TestServer } from './support/test-server.js';
import { buryCustomer } from './support/dead-letters.js';
import type { AuditEvent } from '../../src/store/index.js';

const stores = await testStoreUrls();
let sims: Sims;
beforeAll(async () => {
  sims = await startSims();
  seedCatalog(sims, { products: 4, simpleEvery: 2, customers: 2, overlapProducts: 0, odooOnlyProducts: 0, overlapCustomers: 0, odooOnlyCustomers: 0 });
});
afterAll(async () => {
  await sims?.close();
  await Promise.all(stores.map((s) => s.cleanup()));
});

describe.each(stores)('audit of actions on $name', ({ url: storeUrl }) => {
  let t: TestServer;
  let op: { cookie: string; csrf: string };
  const asOperator = (path: string, body: unknown) => fetch(`${t.url}${path}`, { method: 'POST', headers: { cookie: op.cookie, 'x-csrf-token': op.csrf, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const last = async (action: string): Promise<AuditEvent> => (await t.engine.store.audit.query({ action })).at(-1)!;

  beforeAll(async () => {
    t = await startTestServer(storeUrl, {}, { config: e2eConfig(sims, { storeUrl }) });
    op = await t.login('operator');
  });
  afterAll(() => t?.close());

  it('replay: who, when, which record', async () => {
    const id = await buryCustomer(t.engine, '501');
    const before = Date.now();
    expect((await asOperator(`/api/dead-letters/${id}/replay`, {})).status).toBe(200);
    const row = await last('dlq:replay');
    expect(row).toMatchObject({ actor: 'user:operator', action: 'dlq:replay', entity: 'customer', shopId: '501', jobId: id });
    expect(row.at).toBeGreaterThanOrEqual(before - 5);
    expect(row.detail).toMatchObject({ kind: 'record.sync', error: expect.stringContaining('VAT number missing') });
    expect((await t.engine.queue.get(id))!.state).toBe('queued');
  });

  it('payload edit: the payload before and after', async () => {
    const id = await buryCustomer(t.engine, '502');
    const before = (await t.engine.queue.get(id))!.payload as Record<string, unknown>;
    const after = { ...before, data: { email: 'jane.502@example.com', firstName: 'Jane', lastName: 'Doe', company: 'ACME GmbH' } };
    expect((await asOperator(`/api/dead-letters/${id}/replay`, { payload: after })).status).toBe(200);
    const row = await last('dlq:edit-replay');
    expect(row).toMatchObject({ actor: 'user:operator', entity: 'customer', shopId: '502', jobId: id });
    expect(row.detail).toMatchObject({ before, after });
    expect((await t.engine.queue.get(id))!.payload).toEqual(after);
  });

  it('discard: the reason and the payload that was dropped', async () => {
    const id = await buryCustomer(t.engine, '503');
    const payload = (await t.engine.queue.get(id))!.payload;
    expect((await asOperator(`/api/dead-letters/${id}/discard`, { reason: 'test customer' })).status).toBe(200);
    expect(await t.engine.queue.get(id)).toBeUndefined();
    expect((await last('dlq:discard')).detail).toMatchObject({ reason: 'test customer', before: payload });
  });

  it('manual sync: the flow job is enqueued (one job with a queued scheduled run), and audited', async () => {
    const res = await asOperator('/api/syncs', { entity: 'product' });
    expect(res.status).toBe(202);
    const { jobId } = (await res.json()) as { jobId: string };
    expect((await t.engine.queue.get(jobId))).toMatchObject({ kind: 'flow.run', key: 'schedule:flow:product', state: 'queued' });
    expect(await last('sync:manual')).toMatchObject({ actor: 'user:operator', entity: 'product', jobId });
    const bad = await asOperator('/api/syncs', { entity: 'order' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/no enabled flow for order/);
  });

  it('fix: a reconcile with fix runs in the background, repairs, and is audited with its run', async () => {
    const res = await asOperator('/api/reconcile', { fix: true, entities: ['product'] });
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    expect(await last('reconcile:fix')).toMatchObject({ actor: 'user:operator', detail: { entities: ['product'], runId } });
    const deadline = Date.now() + 60_000;
    let run = await t.engine.store.runs.get(runId);
    while (run?.status === 'running' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      run = await t.engine.store.runs.get(runId);
    }
    expect(run).toMatchObject({ flow: 'reconcile', kind: 'fix', status: 'ok' });
    // the 4 shop products are in Odoo now
    expect(sims.odoo.env.search('product.template', []).length).toBeGreaterThanOrEqual(4);
  });

  it('logins, failed and successful; an unknown name is not written down (it may be a password)', async () => {
    await t.login('viewer');
    const wrong = (username: string) => fetch(`${t.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'not the password' }) });
    expect((await wrong('viewer')).status).toBe(401);
    expect((await wrong(PASSWORD)).status).toBe(401);
    const rows = await t.engine.store.audit.query({ action: 'login' });
    expect(rows.map((r) => `${r.action} ${r.actor}`)).toEqual(expect.arrayContaining(['login:ok user:viewer', 'login:failed user:viewer', 'login:failed anonymous']));
    expect(rows.find((r) => r.actor === 'anonymous')!.detail).toEqual({ ip: '127.0.0.1', reason: 'unknown user name' });
    expect(JSON.stringify(rows)).not.toContain(PASSWORD);
  });

  it('GET /api/audit: filters by actor, action family and time; operators only', async () => {
    const get = async (q: string, token = t.tokens.operator) => fetch(`${t.url}/api/audit${q}`, { headers: { authorization: `Bearer ${token}` } });
    const list = async (q: string) => (await (await get(q)).json()) as Array<{ actor: string; action: string; at: string; detail: unknown }>;
    const dlq = await list('?action=dlq');
    expect(dlq.map((e) => e.action).sort()).toEqual(['dlq:discard', 'dlq:edit-replay', 'dlq:replay']);
    expect((await list('?actor=anonymous')).every((e) => e.actor === 'anonymous')).toBe(true);
    expect(await list('?since=2099-01-01')).toEqual([]);
    expect((await list('?since=1h')).length).toBeGreaterThanOrEqual(8);
    // people's actions only, unless all=1
    expect((await list('')).every((e) => e.actor !== null)).toBe(true);
    expect((await get('?since=yesterday')).status).toBe(400);
    expect((await get('', t.tokens.viewer)).status).toBe(403);
  });
});
