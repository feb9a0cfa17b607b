/**
 * The console with a realistic store: 10,000 orders (30 days, an ERP name and an e-mail each, one in
 * twenty with differing totals), 1,000 dead letters (800 records the ERP refused, 200 orders), 2,000 runs
 * and 5,000 audit rows in SQLite (file, as `tandem serve` uses it). Measures each console API route (median
 * and p95 of 30 calls after 3 warm-ups, as a signed-in operator) and, with /usr/bin/chromium, the page
 * load until the data shows (median of 5), plus the bundle size.
 *
 *   npm run bench:console          (TANDEM_BENCH_SCALE=0.1 for a quick run)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { chromium } from 'playwright-core';
import { Config, type ConfigInput } from '../src/config/schema.js';
import { createEngine, type RunningEngine } from '../src/engine/create-engine.js';
import { deadLetterJob, orderJob } from '../src/engine/jobs/kinds.js';
import { startHttpServer } from '../src/server/http-server.js';
import { hashPassword } from '../src/server/auth/hash-password.js';
import { CONSOLE_DIR } from '../src/server/console-assets.js';
import { SyncError } from '../src/shared/errors.js';

const scale = Number(process.env.TANDEM_BENCH_SCALE ?? '1');
const ORDERS = Math.round(10_000 * scale);
const DEAD = Math.round(1_000 * scale);
const CHROMIUM = process.env.TANDEM_CHROMIUM ?? '/usr/bin/chromium';
const DAY = 86_400_000;

function config(storeUrl: string): Config {
  return Config.parse({
    store: { url: storeUrl },
    systems: {
      shop: { type: 'rest-shop', url: 'http://127.0.0.1:9/shop', auth: { type: 'bearer', token: 'bench-token' }, webhookSecret: 'bench-secret', currency: 'EUR' },
      erp: { type: 'odoo', url: 'http://127.0.0.1:9', db: 'odoo', user: 'admin', apiKey: 'bench-key' },
    },
    flows: [
      { entity: 'product', direction: 'shop->erp' },
      { entity: 'customer', direction: 'shop->erp' },
      { entity: 'order', direction: 'both' },
    ],
  } satisfies ConfigInput);
}

async function seed(engine: RunningEngine): Promise<void> {
  const now = Date.now();
  const { store, queue } = engine;
  for (let start = 0; start < ORDERS; start += 500) {
    await store.transaction(async (tx) => {
      for (let i = start; i < Math.min(ORDERS, start + 500); i++) {
        const at = now - Math.floor((i / ORDERS) * 30 * DAY);
        const total = `${(20 + (i % 180)).toFixed(2)}`;
        await store.orders.upsert({ shopId: String(100_000 + i), number: String(5000 + i), email: `buyer.${i % 3000}@example.com`, currency: 'EUR', shopStatus: 'processing', shopTotal: total, lines: [{ sku: `SKU-${i % 400}`, quantity: 1 + (i % 3) }], orderedAt: at, erpId: String(i + 1), erpName: `S${String(i + 1).padStart(5, '0')}`, erpState: 'confirmed', erpTotal: i % 20 === 0 ? '1.00' : total, importedAt: at + 900 + (i % 7) * 300 }, tx);
      }
    });
  }
  for (let i = 0; i < DEAD; i++) {
    if (i % 5 === 4) {
      await queue.bury({ ...orderJob(engine, String(100_000 + i * 7), 'webhook:created'), maxAttempts: 1 }, new SyncError('invalid_data', `SKU SKU-${i % 40} is unknown in the ERP`, { entity: 'order', record: String(100_000 + i * 7), hint: 'sync the product first, then replay' }));
      continue;
    }
    const raw = { id: 20_000 + i, email: `jane.${i}@example.com`, first_name: 'Jane', last_name: `Doe ${i}`, billing: { city: 'Hamburg', country: 'DE' } };
    const data = { email: raw.email, firstName: 'Jane', lastName: raw.last_name, addresses: [{ name: `Jane Doe ${i}`, street: 'Elbweg 5', city: 'Hamburg', zip: '20095', country: 'DE' }] };
    const error = new SyncError('invalid_data', `res.partner refused ${raw.email}: VAT number missing`, { entity: 'customer', record: raw.email, hint: 'add the VAT number in the shop, then replay' });
    await queue.bury(deadLetterJob({ entity: 'customer', source: 'shop', sourceId: String(raw.id), label: raw.email, raw, data, error }), error);
  }
  for (let i = 0; i < 2000 * scale; i++) {
    const id = await store.runs.start({ flow: ['product:shop->erp', 'customer:shop->erp', 'order:both'][i % 3]!, kind: 'poll' });
    await store.runs.finish(id, { status: i % 50 === 0 ? 'failed' : 'ok', counts: { read: 40, created: i % 4, updated: i % 9, failed: i % 50 === 0 ? 1 : 0 }, report: null });
  }
  for (let i = 0; i < 5000 * scale; i++) await store.audit.record({ entity: 'order', shopId: String(100_000 + i), action: 'step:import', actor: null, detail: { n: i } });
}

const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
  return { median: +at(50).toFixed(1), p95: +at(95).toFixed(1), max: +s[s.length - 1]!.toFixed(1) };
};

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-console-'));
  const storeUrl = `sqlite:${join(dir, 'tandem.db')}`;
  const engine = await createEngine({ config: config(storeUrl), storeUrl, log: pino({ level: 'silent' }) });
  const t0 = Date.now();
  await seed(engine);
  process.stderr.write(`seeded ${ORDERS} orders, ${DEAD} dead letters in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  await engine.store.users.add({ name: 'bench', role: 'operator', passwordHash: await hashPassword('bench operator password') });
  const http = await startHttpServer(engine, { host: '127.0.0.1', port: 0 });
  const login = await fetch(`${http.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password: 'bench operator password' }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const routes = ['/api/overview', '/api/orders', '/api/orders?q=S00042', '/api/orders?q=buyer.42%40example.com', '/api/orders?q=5042', '/api/orders?flag=dead', '/api/orders?flag=differs', `/api/orders/${100_000 + 42}`, '/api/dead-letters?limit=1000', '/api/runs', '/api/settings', '/api/reconcile/last', '/api/audit?since=30d', '/api/status'];
  const api: Record<string, { median: number; p95: number; max: number; bytes: number }> = {};
  for (const path of routes) {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 33; i++) {
      const start = performance.now();
      const res = await fetch(`${http.url}${path}`, { headers: { cookie } });
      const body = await res.arrayBuffer();
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${Buffer.from(body).toString().slice(0, 200)}`);
      if (i >= 3) times.push(performance.now() - start);
      bytes = body.byteLength;
    }
    api[path] = { ...stats(times), bytes };
    process.stderr.write(`  ${path}: median ${api[path].median} ms, p95 ${api[path].p95} ms, ${(bytes / 1024).toFixed(0)} kB\n`);
  }

  const pages: Record<string, { median: number; max: number }> = {};
  if (existsSync(CHROMIUM)) {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    const context = await browser.newContext();
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: http.url }]);
    const page = await context.newPage();
    for (const [path, ready] of [['/', '#orders-today'], ['/orders', '#orders tbody tr'], ['/dead-letters', 'li.dl'], ['/runs', '#runs li'], [`/orders/${100_000 + 42}`, '#timeline']] as const) {
      const times: number[] = [];
      for (let i = 0; i < 6; i++) {
        const start = performance.now();
        await page.goto(`${http.url}${path}`);
        await page.locator(ready).first().waitFor();
        if (i > 0) times.push(performance.now() - start);
      }
      pages[path] = { median: stats(times).median, max: stats(times).max };
      process.stderr.write(`  page ${path}: median ${pages[path].median} ms\n`);
    }
    await browser.close();
  }
  const assets = join(CONSOLE_DIR, 'assets');
  const bundle = Object.fromEntries(readdirSync(assets).map((f) => [f, { bytes: statSync(join(assets, f)).size, gzip: gzipSync(readFileSync(join(assets, f))).length }]));
  await http.close();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
  const result = { at: new Date().toISOString(), orders: ORDERS, deadLetters: DEAD, store: 'sqlite (file)', api, pages, bundle };
  const out = join('bench', 'results', `console-${result.at.slice(0, 10)}.json`);
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\nwritten to ${out}\n`);
}

await main();
