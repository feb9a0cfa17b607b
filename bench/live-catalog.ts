/**
 * Benchmark (not a test) against the REAL systems: N new simple products created in a real WooCommerce
 * (batch API, unique SKUs per run, not timed), then `sync --initial` of the product flow shop → Odoo and the
 * verification after it, timed end to end, through the engine as `tandem` runs it (SQLite file store).
 *
 *   source /work/lab/env-woo.sh && source /work/lab/env-odoo17.sh
 *   npx tsx bench/live-catalog.ts [--n 1000] [--batch 200] [--write-batch 0] [--write-concurrency 1] [--read-concurrency 4] [--late-verify] [--json]
 *                                 [--keep | --keep-shop] [--run PREFIX] [--seed-only]
 *
 * At its end the run removes what it created (bench/lib/lab-cleanup.ts): its WooCommerce products deleted for
 * good, its Odoo templates unlinked (archived where Odoo refuses), so the lab stays small and runs stay
 * comparable. `--keep` (or TANDEM_TEST_KEEP=1) keeps everything; `--keep-shop` keeps the WooCommerce products
 * so that `--run PREFIX` syncs them again into an Odoo without them (a 10,000-product catalog is seeded
 * once: `--seed-only --n 10000` prints the prefix). The lab's product counts before and after are printed.
 *
 * BENCH_TRACE=1 prints every request's start, end and duration (ms since the sync started) on stderr.
 *
 * The lab's shop is shared: other runs add and delete products all the time. The shop is therefore shown
 * to Tandem as holding this run's products only (its product list requests carry `search=<run prefix>`;
 * Basic auth, so the URL is not signed); Odoo is shown as it is (the verification reads all of it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Config, type ConfigInput } from '../src/config/schema.js';
import { createEngine } from '../src/engine/create-engine.js';
import { createConnector } from '../src/connectors/registry.js';
import type { ErpConnector, ShopConnector } from '../src/connectors/contract.js';
import { syncAll } from '../src/engine/initial-sync.js';
import { reconcile } from '../src/engine/reconcile.js';
import { WooTransport } from '../src/connectors/woocommerce/transport.js';
import { WooCommerceSettings } from '../src/connectors/woocommerce/settings.js';
import { OdooTransport } from '../src/connectors/odoo/transport.js';
import { cleanUpRun, describeCleanup, keepLabRecords, odooProductCount, wooProductCount } from './lib/lab-cleanup.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const N = arg('n', 1000);
const BATCH = arg('batch', 200);
const WRITE_BATCH = arg('write-batch', 0);
const WRITE_CONCURRENCY = arg('write-concurrency', 0);
const READ_CONCURRENCY = arg('read-concurrency', 0);
const log = pino({ level: process.env.TANDEM_LOG_LEVEL ?? 'warn' });

function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: source /work/lab/env-woo.sh and env-odoo17.sh (or set the TANDEM_TEST_* variables)`);
  return v;
}

/** "model.method" of an Odoo request (JSON-RPC execute_kw or JSON-2), never its credentials. */
function odooCall(url: string, body: unknown): string {
  const json2 = /\/json\/2\/([^/?]+)\/([^/?]+)/.exec(url);
  if (json2) return `${json2[1]}.${json2[2]}`;
  try {
    const args = (JSON.parse(String(body)) as { params?: { service?: string; method?: string; args?: unknown[] } }).params;
    return args?.service === 'object' ? `${String(args.args?.[3])}.${String(args.args?.[4])}` : `${String(args?.service)}.${String(args?.method)}`;
  } catch {
    return 'odoo';
  }
}

export interface LiveCatalogResult {
  n: number;
  odoo: string;
  syncMs: number;
  verifyMs: number;
  totalMs: number;
  created: number;
  read: number;
  differences: number;
  calls: { shop: number; erp: number };
  load: number[];
  /** Products in the lab before the run and after its cleanup. */
  lab: { before: { woo: number; odoo: number }; after?: { woo: number; odoo: number } };
}

function wooApi(woo: { url: string; key: string; secret: string }): WooTransport {
  return new WooTransport(WooCommerceSettings.parse({ type: 'woocommerce', url: woo.url, consumerKey: woo.key, consumerSecret: woo.secret, timeout: '600s' }), log);
}
function odooApi(odoo: { url: string; db: string | undefined; user: string; key: string }): OdooTransport {
  return new OdooTransport({ url: odoo.url, db: odoo.db, user: odoo.user, apiKey: odoo.key, protocol: 'auto', version: 'auto', lang: 'en_US', tz: 'UTC', timeoutMs: 600_000 });
}

async function seedWoo(woo: { url: string; key: string; secret: string }, run: string): Promise<number[]> {
  const t = wooApi(woo);
  const ids: number[] = [];
  const batches: Array<Array<Record<string, unknown>>> = [];
  for (let i = 0; i < N; i += 100) {
    batches.push(Array.from({ length: Math.min(100, N - i) }, (_, k) => ({ name: `${run} Live Tee ${i + k}`, sku: `${run}-${i + k}`, type: 'simple', regular_price: `${10 + ((i + k) % 90)}.90`, status: 'publish' })));
  }
  // two batch calls at a time: the lab's PHP server has 4 workers, shared with everyone else
  for (let i = 0; i < batches.length; i += 2) {
    await Promise.all(
      batches.slice(i, i + 2).map(async (create) => {
        const { data } = await t.request<{ create?: Array<{ id?: number; error?: unknown }> }>('POST', 'products/batch', { body: { create } });
        const failed = (data.create ?? []).filter((c) => c.error);
        for (const c of data.create ?? []) if (typeof c.id === 'number' && c.id > 0) ids.push(c.id);
        if (failed.length) throw new Error(`WooCommerce refused ${failed.length} products: ${JSON.stringify(failed[0]?.error)}`);
      }),
    );
  }
  return ids;
}

export async function liveCatalog(): Promise<LiveCatalogResult> {
  const woo = { url: need('TANDEM_TEST_WOO_URL'), key: need('TANDEM_TEST_WOO_KEY'), secret: need('TANDEM_TEST_WOO_SECRET') };
  const odoo = { url: need('TANDEM_TEST_ODOO_URL'), db: process.env.TANDEM_TEST_ODOO_DB, user: need('TANDEM_TEST_ODOO_USER'), key: need('TANDEM_TEST_ODOO_KEY') };
  // --run PREFIX: products seeded by an earlier run that did not get to the sync (never synced)
  const reuse = process.argv.indexOf('--run');
  const run = reuse >= 0 ? String(process.argv[reuse + 1]) : `LC${Date.now().toString(36).toUpperCase()}`;
  const [wooT, odooT] = [wooApi(woo), odooApi(odoo)];
  const before = { woo: await wooProductCount(wooT), odoo: await odooProductCount(odooT) };
  console.error(`lab before: WooCommerce ${before.woo} products, Odoo ${before.odoo} templates (archived included)`);
  const seeded = reuse < 0 ? await seedWoo(woo, run) : undefined;
  console.error(`run ${run}: ${N} products in WooCommerce`);
  if (process.argv.includes('--seed-only')) {
    console.log(`seeded ${run}: sync it with --run ${run} [--keep-shop]`);
    process.exit(0);
  }
  const lab: LiveCatalogResult['lab'] = { before };
  // at the end, whatever happened: this run's records out of the lab (unless kept)
  const cleanUp = async () => {
    if (keepLabRecords()) return console.error(`kept run ${run}'s records (--keep / TANDEM_TEST_KEEP=1)`);
    const keepShop = process.argv.includes('--keep-shop');
    const c = await cleanUpRun({ odoo: odooT, ...(!keepShop && { woo: wooT }) }, `${run}-`, seeded ? { ids: seeded } : { search: run });
    lab.after = { woo: await wooProductCount(wooT), odoo: await odooProductCount(odooT) };
    console.error(`${describeCleanup(c)}${keepShop ? ' (WooCommerce kept: --keep-shop)' : ''}; lab after: WooCommerce ${lab.after.woo}, Odoo ${lab.after.odoo}`);
  };
  const dir = mkdtempSync(join(tmpdir(), 'tandem-live-catalog-'));
  const storeUrl = `sqlite:${join(dir, 'tandem.db')}`;
  const erpTuning = { ...(WRITE_BATCH > 0 && { writeBatchSize: WRITE_BATCH }), ...(WRITE_CONCURRENCY > 0 && { writeConcurrency: WRITE_CONCURRENCY }) };
  const config = Config.parse({
    store: { url: storeUrl },
    systems: {
      shop: { type: 'woocommerce', url: woo.url, consumerKey: woo.key, consumerSecret: woo.secret, auth: 'basic', timeout: '300s', ...(READ_CONCURRENCY > 0 && { readConcurrency: READ_CONCURRENCY }), currency: process.env.TANDEM_TEST_WOO_CURRENCY ?? 'USD' },
      erp: { type: 'odoo', url: odoo.url, ...(odoo.db && { db: odoo.db }), user: odoo.user, apiKey: odoo.key, timeout: '300s', ...erpTuning },
    },
    flows: [{ entity: 'product', direction: 'shop->erp', batchSize: BATCH }],
  } as ConfigInput);
  const calls = { shop: 0, erp: 0 };
  // BENCH_TRACE=1: every request's start and end (ms since the sync started) on stderr, to see where the time goes
  const trace = process.env.BENCH_TRACE ? [] as Array<{ sys: string; what: string; start: number; end: number }> : null;
  let t0 = performance.now();
  const traced = (sys: string, f: typeof fetch): typeof fetch => async (input, init) => {
    if (!trace) return f(input, init);
    const url = String(input instanceof Request ? input.url : input);
    const start = performance.now() - t0;
    const res = await f(input, init);
    const body = await res.text();
    const what = sys === 'odoo' ? odooCall(url, init?.body) : `${init?.method ?? 'GET'} ${url.replace(/^.*\/wc\/v3\//, '').replace(/[?&](consumer|oauth|search)[^&]*/g, '')}`;
    trace.push({ sys, what, start: Math.round(start), end: Math.round(performance.now() - t0) });
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  const onlyThisRun: typeof fetch = traced('woo', (input, init) => {
    let url = String(input instanceof Request ? input.url : input);
    if (!url.startsWith(woo.url)) return fetch(input, init);
    if ((init?.method ?? 'GET') === 'GET' && /\/wc\/v3\/products\?/.test(url)) url += `&search=${run}`;
    return fetch(url, init);
  });
  const observe = (_m: string, url: string) => (url.startsWith(odoo.url) ? (calls.erp += 1) : (calls.shop += 1));
  // the fetch wrapper for the shop only: Odoo keeps the production HTTP client
  const shop = createConnector('shop', config.systems.shop!, { log, fetch: onlyThisRun, observe }) as ShopConnector;
  const erp = createConnector('erp', config.systems.erp!, { log, observe, ...(trace && { fetch: traced('odoo', fetch) }) }) as ErpConnector;
  const engine = await createEngine({ config, storeUrl, log, systems: { shop, erp, names: { shop: 'shop', erp: 'erp' } } });
  try {
    const server = await engine.erp.check({ entities: { product: ['write'] } });
    calls.shop = 0;
    calls.erp = 0;
    const started = performance.now();
    t0 = started;
    // as `tandem sync --initial` runs it: the verification's shop listing starts once the sync has read the
    // shop (--late-verify: only after the sync, as before)
    let synced = 0;
    const late = process.argv.includes('--late-verify');
    const summary = await syncAll(engine, { kind: 'initial', entities: ['product'], reconcile: !late, onSynced: () => (synced = performance.now()) });
    const verified = late ? await reconcile(engine, { entities: ['product'] }) : summary.reconcile!;
    const done = performance.now();
    const r = summary.reports[0]!;
    if (trace) {
      console.error(`sync ends at ${Math.round(synced - started)} ms, verification at ${Math.round(done - started)} ms`);
      for (const e of trace.sort((a, b) => a.start - b.start)) console.error(`${String(e.start).padStart(6)} ${String(e.end).padStart(6)} ${String(e.end - e.start).padStart(5)} ${e.sys.padEnd(4)} ${e.what.slice(0, 110)}`);
    }
    if (process.env.BENCH_DEBUG) console.error(JSON.stringify({ counts: r.counts, problems: r.problems.slice(0, 5), differences: verified.differences.slice(0, 5) }));
    return {
      n: N,
      odoo: server.version ?? odoo.url,
      syncMs: Math.round(synced - started),
      verifyMs: Math.round(done - synced),
      totalMs: Math.round(done - started),
      created: r.counts.created ?? 0,
      read: r.counts.read ?? 0,
      differences: verified.differences.length,
      calls,
      load: loadavg().map((x) => Math.round(x * 100) / 100),
      lab,
    };
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
    await cleanUp();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await liveCatalog();
  if (process.argv.includes('--json')) console.log(JSON.stringify(r));
  else
    console.log(
      `${r.n} new simple products, real WooCommerce → real Odoo ${r.odoo}: sync ${(r.syncMs / 1000).toFixed(2)} s + verification ${(r.verifyMs / 1000).toFixed(2)} s = ${(r.totalMs / 1000).toFixed(2)} s; ` +
        `${r.read} read, ${r.created} created, ${r.differences} differences; calls shop ${r.calls.shop}, Odoo ${r.calls.erp}; load ${r.load.join(' ')}`,
    );
}
