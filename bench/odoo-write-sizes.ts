/**
 * Benchmark (not a test) against a REAL Odoo: how long one product write of the Odoo connector takes per
 * size — the numbers behind the adaptive write size (src/engine/records/write-sizing.ts). For each size,
 * fresh products (unique names and SKUs per run) are written with ONE `write()` of the connector, as the
 * engine does for a group: the SKU lookup, the orphan search (variable products), one create per model
 * and 1,000 records, the variants read and the variant write. Reported: the whole write, the create calls
 * alone (summed), records per second, and the calls by method.
 *
 *   source /work/lab/env-odoo17.sh && npx tsx bench/odoo-write-sizes.ts [--sizes 250,500,1000,2000,5000] [--kinds simple,variants] [--json]
 *
 * Each run leaves its products in that Odoo (archive them by the run prefix if the database must stay small).
 */
import { loadavg } from 'node:os';
import { pino } from 'pino';
import { createOdooConnector } from '../src/connectors/odoo/index.js';
import { OdooSettings } from '../src/connectors/odoo/settings.js';
import type { WriteOp } from '../src/connectors/contract.js';
import type { Product } from '../src/model/index.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? String(process.argv[i + 1]) : fallback;
}

const SIZES = arg('sizes', '250,500,1000,2000,5000').split(',').map(Number);
const KINDS = arg('kinds', 'simple,variants').split(',') as Array<'simple' | 'variants'>;
const JSON_OUT = process.argv.includes('--json');
const log = pino({ level: 'warn' });

function product(run: string, kind: 'simple' | 'variants', i: number): Product {
  const base = { name: `${run} WS Tee ${i}`, description: '', categoryIds: [], active: true, tracksStock: true };
  const price = (p: string) => ({ amount: p, currency: process.env.TANDEM_TEST_ODOO_CURRENCY ?? 'USD' });
  const variant = { barcode: null, salePrice: null, weight: null, active: true };
  if (kind === 'simple') return { ...base, attributes: [], variants: [{ ...variant, sku: `${run}-${i}`, attributes: {}, price: price(`${10 + (i % 90)}.90`) }] };
  const sizes = ['S', 'M'];
  return { ...base, attributes: [{ name: 'WS Size', values: sizes }], variants: sizes.map((s) => ({ ...variant, sku: `${run}-${i}-${s}`, attributes: { 'WS Size': s }, price: price('39.00') })) };
}

/** model.method of an Odoo JSON-RPC or JSON-2 request. */
function callName(url: string, body: unknown): string {
  const json2 = /\/json\/2\/([^/]+)\/([^/?]+)/.exec(url);
  if (json2) return `${json2[1]}.${json2[2]}`;
  try {
    const args = (JSON.parse(String(body)) as { params?: { args?: unknown[] } }).params?.args;
    if (Array.isArray(args) && typeof args[3] === 'string') return `${args[3]}.${String(args[4])}`;
  } catch {
    /* not JSON */
  }
  return 'other';
}

async function main(): Promise<void> {
  const env = process.env;
  if (!env.TANDEM_TEST_ODOO_URL || !env.TANDEM_TEST_ODOO_USER || !env.TANDEM_TEST_ODOO_KEY) throw new Error('source the lab env first: TANDEM_TEST_ODOO_URL/_DB/_USER/_KEY');
  const calls: Array<{ name: string; ms: number }> = [];
  const timedFetch: typeof fetch = async (input, init) => {
    const started = performance.now();
    try {
      return await fetch(input, init);
    } finally {
      calls.push({ name: callName(String(input instanceof Request ? input.url : input), init?.body), ms: performance.now() - started });
    }
  };
  const settings = OdooSettings.parse({
    type: 'odoo',
    url: env.TANDEM_TEST_ODOO_URL,
    ...(env.TANDEM_TEST_ODOO_DB && { db: env.TANDEM_TEST_ODOO_DB }),
    user: env.TANDEM_TEST_ODOO_USER,
    apiKey: env.TANDEM_TEST_ODOO_KEY,
    ...(env.TANDEM_TEST_ODOO_PROTOCOL && { protocol: env.TANDEM_TEST_ODOO_PROTOCOL }),
    timeout: '600s',
  });
  const c = createOdooConnector('erp', settings, { log, fetch: timedFetch });
  const info = await c.check({ entities: { product: ['write'] } });
  const version = (info as { version?: unknown }).version ?? '?';
  const stamp = Date.now().toString(36).toUpperCase();
  const rows: Array<Record<string, unknown>> = [];
  for (const kind of KINDS) {
    for (const size of SIZES) {
      const run = `WS${stamp}${kind === 'simple' ? 'S' : 'V'}${size}`;
      const ops: WriteOp<'product'>[] = Array.from({ length: size }, (_, i) => ({ kind: 'create', key: String(i), record: product(run, kind, i) }));
      calls.length = 0;
      const load = loadavg().map((l) => Math.round(l * 100) / 100);
      const started = performance.now();
      const results = await c.write('product', ops, { lookup: () => undefined });
      const ms = performance.now() - started;
      const failed = results.filter((r) => !r.ok);
      if (failed.length > 0) throw new Error(`${failed.length} of ${size} products failed: ${JSON.stringify(failed[0])}`);
      const createMs = calls.filter((x) => x.name.endsWith('.create')).reduce((a, x) => a + x.ms, 0);
      const byMethod: Record<string, { n: number; ms: number }> = {};
      for (const x of calls) {
        const m = (byMethod[x.name] ??= { n: 0, ms: 0 });
        m.n += 1;
        m.ms = Math.round(m.ms + x.ms);
      }
      const row = {
        odoo: String(version),
        kind,
        size,
        variants: kind === 'simple' ? size : size * 2,
        writeMs: Math.round(ms),
        createMs: Math.round(createMs),
        perProductMs: Math.round((ms / size) * 100) / 100,
        productsPerS: Math.round((size / ms) * 1000),
        calls: calls.length,
        byMethod,
        load,
        at: new Date().toISOString(),
      };
      rows.push(row);
      if (JSON_OUT) console.log(JSON.stringify(row));
      else console.log(`${kind} ${size}: write ${(ms / 1000).toFixed(2)} s (creates ${(createMs / 1000).toFixed(2)} s), ${row.perProductMs} ms/product, ${row.productsPerS} products/s, ${calls.length} calls, load ${load.join(' ')} ${JSON.stringify(byMethod)}`);
    }
  }
  await c.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
