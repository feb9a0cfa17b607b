/**
 * `tandem serve` as its own process (scheduler + workers + HTTP server) against the simulators of the
 * test process: a signed shop webhook becomes a job and reaches Odoo; /healthz, /readyz and /metrics
 * (jobs by state, run durations, records per entity, lag per flow, webhook deliveries accepted and
 * rejected); bad deliveries (wrong signature 401, malformed 400, over 8 MiB 413, unknown system 404)
 * never enqueue anything; SIGTERM while a job runs: the job finishes, the process exits 0.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncAll } from '../../src/engine/initial-sync.js';
import { signWebhook } from '../../src/connectors/rest-shop/webhook.js';
import { openStore } from '../../src/store/index.js';
import { newApiToken } from '../../src/server/auth/api-token.js';
import { tempDir } from '../helpers/db.js';
import { startSims, WEBHOOK_SECRET, type Sims } from './support/sims.js';
import { CATALOG_FLOWS, e2eConfig, secretEnv, writeConfigFile, type E2eConfigOptions } from './support/config.js';
import { openEngine, quietLog } from './support/engine.js';
import { productSku, seedCatalog } from './support/seed-catalog.js';
import { shopAdmin } from './support/shop-admin.js';
import { spawnTandem, until, type TandemProcess } from './support/spawn-tandem.js';
import { ensureConsoleBuilt } from './support/console-build.js';

describe('tandem serve (a real process)', () => {
  let sims: Sims;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let serve: TandemProcess;
  let url: string;
  let opts: E2eConfigOptions;

  const odooName = (sku: string) => {
    const [v] = sims.odoo.env.searchRead('product.product', [['default_code', '=', sku]], ['product_tmpl_id']);
    return String(sims.odoo.env.read('product.template', [(v!.product_tmpl_id as [number, string])[0]], ['name'])[0]!.name);
  };
  let viewerToken = '';
  const get = async (path: string, auth = true) => {
    const res = await fetch(`${url}${path}`, auth ? { headers: { authorization: `Bearer ${viewerToken}` } } : {});
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  };
  const metric = async (pattern: RegExp) => (await get('/metrics')).text.match(pattern);
  const peekStore = () => openStore(`sqlite:${tmp.dir}/tandem.db`, { log: quietLog() });
  const post = (body: Buffer | string, headers: Record<string, string>) => fetch(`${url}/webhooks/shop`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const signed = (body: string, over: Record<string, string> = {}) => {
    const ts = String(Math.floor(Date.now() / 1000));
    return { 'x-tandem-timestamp': ts, 'x-tandem-delivery': randomUUID(), 'x-tandem-signature': signWebhook(WEBHOOK_SECRET, ts, body), ...over };
  };

  beforeAll(async () => {
    sims = await startSims();
    tmp = await tempDir('tandem-serve-');
    seedCatalog(sims, { products: 10, simpleEvery: 2, customers: 5, overlapProducts: 2, odooOnlyProducts: 1, overlapCustomers: 1, odooOnlyCustomers: 1 });
    // stock polled every second by the scheduler; the record flows only on webhooks (their schedule is far away)
    opts = { storeUrl: 'sqlite:tandem.db', flows: CATALOG_FLOWS.map((f) => (f.entity === 'stock' ? { ...f, schedule: '1s' } : { ...f, schedule: '1h' })) };
    writeConfigFile(tmp.dir, sims, opts);
    const engine = await openEngine(e2eConfig(sims, { ...opts, storeUrl: `sqlite:${tmp.dir}/tandem.db` }));
    await syncAll(engine, { kind: 'initial' });
    // the token Prometheus would scrape /metrics with
    const token = newApiToken();
    await engine.store.tokens.create({ name: 'prometheus', role: 'viewer', hash: token.hash, prefix: token.prefix });
    viewerToken = token.token;
    await engine.close();
    serve = spawnTandem(['serve', '--port', '0'], { cwd: tmp.dir, env: secretEnv(sims) });
    await until(() => /listening on (http:\/\/\S+) /.test(serve.stderr()), { what: 'tandem serve to listen', process: serve });
    url = /listening on (http:\/\/\S+) /.exec(serve.stderr())![1]!;
    sims.shop.setWebhook({ url: `${url}/webhooks/shop`, secret: WEBHOOK_SECRET });
  });

  afterAll(async () => {
    if (serve && serve.child.exitCode === null) {
      serve.child.kill('SIGKILL');
      await serve.exited;
    }
    await sims?.close();
    await tmp?.cleanup();
  });

  it('/healthz and /readyz answer 200 without credentials; /metrics and the API need a token', async () => {
    expect(await get('/healthz', false)).toMatchObject({ status: 200, text: '{"ok":true}' });
    expect(await get('/readyz', false)).toMatchObject({ status: 200, text: '{"ok":true}' });
    expect((await get('/metrics', false)).status).toBe(401);
    expect((await get('/api/status', false)).status).toBe(401);
    expect((await get('/api/status')).status).toBe(200);
  });

  it('the console: its page and bundled assets from the package, no data without a session', async () => {
    ensureConsoleBuilt();
    const page = await get('/orders/1042', false);
    expect(page).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    const [script] = page.text.match(/\/assets\/[\w-]+\.js/) ?? [];
    expect(script).toBeDefined();
    const js = await get(script!, false);
    expect(js).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
    expect(js.text).toContain('/api/session');
    expect((await get('/api/orders', false)).status).toBe(401);
  });

  it('a change in the shop: signed webhook → inbox → job → Odoo, in the serve process', async () => {
    const sku = productSku(4);
    await shopAdmin(sims).updateProduct(sims.shop.state.productBySku(sku)!.id, { name: 'Renamed, served' });
    await sims.shop.flushWebhooks();
    await until(() => odooName(sku) === 'Renamed, served', { what: 'the rename in Odoo', process: serve });
    expect(sims.shop.state.deliveries.at(-1)!.attempts).toEqual([200]);
    // a delivery Tandem signs the way the shop does, sent by hand: accepted, one job
    const body = JSON.stringify({ event: 'customer.updated', data: { id: sims.shop.state.customerByEmail('customer.0002@example.com')!.id }, occurred_at: new Date().toISOString() });
    const headers = signed(body);
    const res = await post(body, headers);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, accepted: 1, duplicates: 0, ignored: 0 });
    // the shop delivers it again (same delivery id): recognised by the inbox, no second job
    const again = await post(body, headers);
    expect(await again.json()).toEqual({ ok: true, accepted: 0, duplicates: 1, ignored: 0 });
    // a deletion is acknowledged, not synced (Tandem does not delete on the other side)
    const gone = JSON.stringify({ event: 'product.deleted', data: { id: 999_999 } });
    expect(await (await post(gone, signed(gone))).json()).toEqual({ ok: true, accepted: 0, duplicates: 0, ignored: 1 });
  });

  it('bad deliveries are refused with the right status and never enqueue anything', async () => {
    const store = await peekStore();
    const counted = async () => ({
      inbox: (await store.db.selectFrom('inbox').select('id').execute()).length,
      recordJobs: (await store.db.selectFrom('jobs').select('id').where('kind', '=', 'record.sync').execute()).length,
    });
    const before = await counted();
    const body = JSON.stringify({ event: 'product.updated', data: { id: sims.shop.state.productBySku(productSku(6))!.id } });
    const wrongSig = await post(body, signed(body, { 'x-tandem-signature': signWebhook('not-the-secret', Math.floor(Date.now() / 1000), body) }));
    expect(wrongSig.status).toBe(401);
    expect(((await wrongSig.json()) as { error: string }).error).toMatch(/signature does not match/);
    const unsigned = await post(body, {});
    expect(unsigned.status).toBe(401);
    const stale = await post(body, signed(body, { 'x-tandem-timestamp': String(Math.floor(Date.now() / 1000) - 3600) }));
    expect(stale.status).toBe(401); // signature of another timestamp, and stale
    const malformed = '{"event": "product.updated", "data": ';
    expect((await post(malformed, signed(malformed))).status).toBe(400);
    const noId = JSON.stringify({ event: 'product.updated', data: {} });
    expect((await post(noId, signed(noId))).status).toBe(400);
    const huge = JSON.stringify({ event: 'product.updated', data: { id: 1, blob: 'x'.repeat(8 * 1024 * 1024) } }); // over server.webhooks.maxBodyBytes (8 MiB)
    // refused from its Content-Length: 413, or the connection closed while the client still sends (EPIPE)
    expect(String(await post(huge, signed(huge)).then((r) => r.status, () => 'reset'))).toMatch(/^(413|reset)$/);
    expect((await fetch(`${url}/webhooks/nosuchsystem`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect(await counted()).toEqual(before);
    await store.close();
    const rejected = await metric(/tandem_webhook_deliveries_total\{system="shop",result="rejected_(401|400|413)"\} \d+/g);
    expect(rejected).toEqual(expect.arrayContaining([
      'tandem_webhook_deliveries_total{system="shop",result="rejected_401"} 3',
      'tandem_webhook_deliveries_total{system="shop",result="rejected_400"} 2',
      'tandem_webhook_deliveries_total{system="shop",result="rejected_413"} 1',
    ]));
  });

  it('/metrics: jobs by state, run durations, records per entity, lag per flow, webhook deliveries accepted', async () => {
    // the scheduler's stock poll has run at least once by the time its lag is reported
    await until(async () => (await metric(/tandem_flow_lag_seconds\{flow="stock:erp->shop"\}/)) !== null, { what: 'a scheduled stock run', process: serve, timeoutMs: 15_000 });
    const m = await get('/metrics');
    expect(m.status).toBe(200);
    expect(m.type).toMatch(/^text\/plain/);
    for (const state of ['queued', 'running', 'done', 'dead']) expect(m.text).toMatch(new RegExp(`^tandem_jobs\\{state="${state}"\\} \\d+$`, 'm'));
    expect(m.text).toMatch(/^tandem_run_duration_seconds_count\{flow="stock:erp->shop",kind="poll",status="ok"\} [1-9]\d*$/m);
    expect(m.text).toMatch(/^tandem_records_total\{entity="product",direction="shop->erp",outcome="updated"\} [1-9]\d*$/m);
    expect(m.text).toMatch(/^tandem_flow_lag_seconds\{flow="stock:erp->shop"\} \d+(\.\d+)?$/m);
    expect(m.text).toMatch(/^tandem_webhook_deliveries_total\{system="shop",result="accepted"\} [2-9]\d*$/m);
    expect(m.text).toMatch(/^tandem_webhook_deliveries_total\{system="shop",result="duplicate"\} 1$/m);
    expect(m.text).toMatch(/^tandem_job_duration_seconds_count\{kind="record.sync",result="ok"\} [1-9]\d*$/m);
  });

  it('SIGTERM while a job runs: the job finishes (or is released), nothing is lost, exit code 0', async () => {
    sims.odoo.faults.latencyMs = 250; // every Odoo call of the job now takes a while
    const sku = productSku(8);
    const shopId = sims.shop.state.productBySku(sku)!.id;
    await shopAdmin(sims).updateProduct(shopId, { name: 'Renamed just before SIGTERM' });
    await sims.shop.flushWebhooks();
    // the record job of that delivery is running (seen in the store the serve process uses)
    const peek = await peekStore();
    try {
      const running = () => peek.db.selectFrom('jobs').select('id').where('kind', '=', 'record.sync').where('state', '=', 'running').where('payload', 'like', `%"ids":["${shopId}"]%`).execute();
      await until(async () => (await running()).length > 0, { what: 'the record job of that product running', process: serve, intervalMs: 10 });
    } finally {
      await peek.close();
    }
    serve.child.kill('SIGTERM');
    const exit = await serve.exited;
    sims.odoo.faults.latencyMs = 0;
    expect(exit.signal).toBeNull();
    expect(exit.code).toBe(0);
    expect(exit.stderr).not.toMatch(/\n\s+at /);
    // finished or released: never left "running" under a dead lease, never lost
    const store = await openStore(`sqlite:${tmp.dir}/tandem.db`, { log: quietLog() });
    try {
      expect(await store.db.selectFrom('jobs').select('id').where('state', '=', 'running').execute()).toEqual([]);
      const queued = await store.db.selectFrom('jobs').select('key').where('state', '=', 'queued').execute();
      expect(odooName(sku) === 'Renamed just before SIGTERM' || queued.length > 0).toBe(true);
      expect(await store.db.selectFrom('jobs').select('id').where('state', '=', 'dead').execute()).toEqual([]);
    } finally {
      await store.close();
    }
    expect(odooName(sku)).toBe('Renamed just before SIGTERM'); // with a 30 s grace period, it finished
  });
});
