/**
 * The console's API over a real store (SQLite and PostgreSQL): order search by shop number, ERP name (any
 * case) and e-mail with the flags waiting / dead / differs, one order's page with the ERP admin link, a
 * resync that is queued and audited, the settings' redacted config for admins only, the overview's
 * counts, and a live update over server-sent events when the store changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notify } from '../../src/engine/alerts/notify.js';
import { orderJob } from '../../src/engine/jobs/kinds.js';
import { SyncError } from '../../src/shared/errors.js';
import { backfillErpNames } from '../../src/store/migrations/007_order_search.js';
import { testStoreUrls } from '../helpers/db.js';
import { startTestServer, testConfig, type TestServer } from './support/test-server.js';
import { startWooSimulator } from '../../src/simulators/index.js';
import { createTestStoreUrl } from '../helpers/db.js';

const stores = await testStoreUrls();
afterAll(() => Promise.all(stores.map((s) => s.cleanup())));

describe.each(stores)('console API on $name', ({ url: storeUrl }) => {
  let t: TestServer;
  const get = async (path: string, role: 'viewer' | 'operator' | 'admin' = 'operator') => {
    const res = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${t.tokens[role]}` } });
    return { status: res.status, body: (await res.json()) as never };
  };

  beforeAll(async () => {
    t = await startTestServer(storeUrl);
    const { orders } = t.engine.store;
    const now = Date.now();
    await orders.upsert({ shopId: '501', number: '1042', email: 'ann@example.com', currency: 'EUR', shopStatus: 'processing', shopTotal: '89.00', lines: [], orderedAt: now - 60_000, erpId: '42', erpName: 'S00042', erpState: 'sale', erpTotal: '89.00', importedAt: now - 59_000 });
    await orders.upsert({ shopId: '502', number: '1043', email: 'bob@example.com', currency: 'EUR', shopStatus: 'processing', shopTotal: '10.00', lines: [], orderedAt: now - 50_000, erpId: '43', erpName: 'S00043', erpState: 'sale', erpTotal: '10.50' });
    await orders.upsert({ shopId: '503', number: '1044', email: 'cy@example.com', currency: 'EUR', shopStatus: 'processing', shopTotal: '5.00', lines: [], orderedAt: now - 3 * 86_400_000 });
    await t.engine.queue.bury({ ...orderJob(t.engine, '503', 'webhook:created'), maxAttempts: 1 }, new SyncError('invalid_data', 'SKU CAP-7 is unknown in the ERP', { entity: 'order', record: '503', system: 'odoo' }));
  });
  afterAll(() => t?.close());

  it('finds an order by shop number, ERP name in any case, and e-mail; a viewer sees no e-mail', async () => {
    for (const q of ['1042', 'S00042', 's00042', 'ANN@example.com', '501']) {
      const r = await get(`/api/orders?q=${encodeURIComponent(q)}`);
      expect((r.body as Array<{ shopId: string }>).map((o) => o.shopId), q).toEqual(['501']);
    }
    expect((await get('/api/orders?q=S00099')).body).toEqual([]);
    const viewer = (await get('/api/orders?q=S00042', 'viewer')).body as Array<{ email: string }>;
    expect(viewer[0]!.email).toBe('[redacted]');
    expect((await get('/api/orders')).body).toHaveLength(3);
  });

  it('flags: dead (a dead letter), differs (totals or not in the ERP), waiting; an unknown flag is refused', async () => {
    const ids = async (flag: string) => ((await get(`/api/orders?flag=${flag}`)).body as Array<{ shopId: string }>).map((o) => o.shopId);
    expect(await ids('dead')).toEqual(['503']);
    expect(await ids('differs')).toEqual(['502', '503']);
    expect(await ids('waiting')).toEqual([]);
    expect((await get('/api/orders?flag=odd')).status).toBe(400);
    const all = (await get('/api/orders')).body as Array<{ shopId: string; flags: string[] }>;
    expect(Object.fromEntries(all.map((o) => [o.shopId, o.flags.sort()]))).toEqual({ '501': [], '502': ['differs'], '503': ['dead', 'differs'] });
  });

  it('one order: both sides, the ERP admin link, its differences and dead letter; unknown → 404', async () => {
    const r = (await get('/api/orders/S00043')).body as { order: { shopId: string }; links: { erp: string }; differences: Array<{ what: string }> };
    expect(r.order.shopId).toBe('502');
    expect(r.links.erp).toBe('http://127.0.0.1:9/web#id=43&model=sale.order&view_type=form');
    expect(r.differences.map((d) => d.what)).toEqual(['order total']);
    const dead = (await get('/api/orders/1044')).body as { deadLetter: { error: { message: string } } };
    expect(dead.deadLetter.error.message).toBe('SKU CAP-7 is unknown in the ERP');
    expect((await get('/api/orders/nope')).status).toBe(404);
  });

  it('resync queues the order and is audited with its actor', async () => {
    const res = await fetch(`${t.url}/api/orders/S00042/resync`, { method: 'POST', headers: { authorization: `Bearer ${t.tokens.operator}` } });
    expect(res.status).toBe(202);
    expect(await t.engine.queue.list({ key: 'order:501', state: 'queued' })).toHaveLength(1);
    expect((await t.engine.store.audit.query({ action: 'sync:order' })).at(-1)).toMatchObject({ actor: 'token:operator-token', shopId: '501', orderNumber: '1042' });
    expect(((await get('/api/orders?flag=waiting')).body as Array<{ shopId: string }>).map((o) => o.shopId)).toEqual(['501']);
  });

  it('overview: orders today, queue by kind; settings: the config for admins only, secrets redacted', async () => {
    const o = (await get('/api/overview', 'viewer')).body as { ordersToday: number; queue: Record<string, { dead: number }>; series: unknown[]; systems: Array<{ side: string; errors24h: number; deadLetters24h: number }> };
    expect(o.systems.map((s) => [s.side, s.errors24h, s.deadLetters24h])).toEqual([['shop', 0, 0], ['erp', 1, 1]]);
    expect(o.ordersToday).toBeGreaterThanOrEqual(2);
    expect(o.queue['order.sync']!.dead).toBe(1);
    expect(o.series).toHaveLength(24);
    // The REST shop has its webhooks set up on its side: no registrations to read.
    expect((o as unknown as { webhooks: { registrations: unknown } }).webhooks.registrations).toBeNull();
    const states = (o as unknown as { flows: Array<{ entity: string; direction: string; webhookState: string }> }).flows.map((f) => `${f.entity} ${f.direction}: ${f.webhookState}`);
    expect(states).toEqual(['product shop->erp: on', 'customer shop->erp: on']);
    const settingsFlows = ((await get('/api/settings', 'viewer')).body as { flows: Array<{ entity: string; webhookState: string }> }).flows;
    expect(settingsFlows.map((f) => `${f.entity}: ${f.webhookState}`)).toEqual(['product: on', 'customer: on']);
    expect(((await get('/api/settings', 'operator')).body as { config: unknown }).config).toBeNull();
    const admin = JSON.stringify((await get('/api/settings', 'admin')).body);
    expect(admin).toContain('[redacted]');
    for (const secret of ['odoo-key', 'shop-token', 'hook-secret']) expect(admin).not.toContain(secret);
  });

  it('runs and logs: recent problems with the remote message, and the alerts sent (without their data)', async () => {
    await notify(t.engine, { type: 'dead_letters', subject: '1 new dead letter', text: 'order 1044', data: { email: 'cy@example.com' }, at: new Date().toISOString() });
    const r = (await get('/api/runs', 'viewer')).body as { problems: Array<{ kind: string; level: string; message: string }>; alerts: Array<{ subject: string; channels: unknown[] }> };
    expect(r.problems).toContainEqual(expect.objectContaining({ kind: 'order.sync', level: 'error', message: 'SKU CAP-7 is unknown in the ERP' }));
    expect(r.alerts[0]).toMatchObject({ type: 'dead_letters', subject: '1 new dead letter', channels: [] });
    expect(JSON.stringify(r.alerts)).not.toContain('cy@example.com');
  });

  it('runs filtered by an entity include its directions', async () => {
    for (const flow of ['product:shop->erp', 'product:erp->shop', 'productx:shop->erp', 'customer:shop->erp']) await t.engine.store.runs.finish(await t.engine.store.runs.start({ flow, kind: 'poll' }), { status: 'ok', counts: { updated: 1 }, report: null });
    const flows = async (q: string) => ((await get(`/api/runs?flow=${encodeURIComponent(q)}`)).body as { runs: Array<{ flow: string }> }).runs.map((r) => r.flow).sort();
    expect(await flows('product')).toEqual(['product:erp->shop', 'product:shop->erp']);
    expect(await flows('product:erp->shop')).toEqual(['product:erp->shop']);
  });

  it('migration 007 fills the ERP name of orders imported before it from their import step', async () => {
    const { orders, db } = t.engine.store;
    await orders.upsert({ shopId: '599', number: '999', currency: 'EUR', shopStatus: 'processing', shopTotal: '1.00', lines: [], orderedAt: Date.now() - 86_400_000 * 40, erpId: '99' });
    await orders.recordStep('599', 'import', 'done', { erpId: '99', name: 'S00099', created: true });
    expect((await orders.get('599'))!.erpName).toBeNull();
    await backfillErpNames(db as never);
    expect((await orders.get('599'))!.erpName).toBe('S00099');
    expect((await orders.get('501'))!.erpName).toBe('S00042'); // a name already there is kept
  });

  it('a fix without such a difference in the last verification is refused with 404', async () => {
    const res = await fetch(`${t.url}/api/reconcile/fix`, { method: 'POST', headers: { authorization: `Bearer ${t.tokens.operator}`, 'content-type': 'application/json' }, body: JSON.stringify({ entity: 'product' }) });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toMatch(/run a new verification/);
  });

  it('live updates: a change in the store arrives as a server-sent event naming its topic', async () => {
    const ac = new AbortController();
    const res = await fetch(`${t.url}/api/events`, { headers: { authorization: `Bearer ${t.tokens.viewer}` }, signal: ac.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    const read = async (until: RegExp) => {
      const deadline = Date.now() + 8000;
      while (!until.test(text) && Date.now() < deadline) text += new TextDecoder().decode((await reader.read()).value);
      return text;
    };
    await read(/retry: 3000/);
    await t.engine.store.audit.record({ entity: 'order', action: 'note', actor: 'test', detail: null });
    expect(await read(/event: change\ndata: audit/)).toMatch(/event: change\ndata: audit/);
    ac.abort();
  });
});

describe('overview: the WooCommerce webhook registrations, read from the shop', () => {
  it('lists each expected topic with its state (disabled, missing, active) once server.publicUrl is set', async () => {
    const sim = await startWooSimulator();
    const store = await createTestStoreUrl('sqlite');
    const shop = { type: 'woocommerce' as const, url: sim.url, consumerKey: sim.consumerKey, consumerSecret: sim.consumerSecret, webhookSecret: 'hook-secret', currency: 'EUR' };
    const erp = { type: 'odoo' as const, url: 'http://127.0.0.1:9', db: 'odoo', user: 'admin', apiKey: 'odoo-key' };
    const config = testConfig(store.url, { server: { publicUrl: 'https://tandem.example.com' }, systems: { shop, erp } });
    const t = await startTestServer(store.url, {}, { config });
    try {
      const url = 'https://tandem.example.com/webhooks/shop';
      await t.engine.shop.webhooks!.ensure(url);
      const hooks = [...sim.store.webhooks.values()];
      hooks.find((w) => w.topic === 'order.updated')!.status = 'disabled';
      sim.store.webhooks.delete(hooks.find((w) => w.topic === 'order.deleted')!.id);
      const res = await fetch(`${t.url}/api/overview`, { headers: { authorization: `Bearer ${t.tokens.viewer}` } });
      const regs = ((await res.json()) as { webhooks: { registrations: { items: Array<{ topic: string; state: string; remoteId: string | null; deliveryUrl: string }>; error: null } } }).webhooks.registrations;
      expect(regs.error).toBeNull();
      const byTopic = Object.fromEntries(regs.items.map((r) => [r.topic, r.state]));
      expect(byTopic).toMatchObject({ 'order.created': 'active', 'order.updated': 'disabled', 'order.deleted': 'missing', 'product.updated': 'active' });
      expect(regs.items.filter((r) => r.state === 'active')).toHaveLength(6);
      expect(regs.items.every((r) => r.deliveryUrl === url && (r.state === 'missing') === (r.remoteId === null))).toBe(true);
    } finally {
      await t.close();
      await sim.close();
      await store.cleanup();
    }
  });
});
