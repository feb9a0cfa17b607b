/**
 * Benchmark (not a test): 10,000 products written through the Odoo connector into the simulator with its
 * cost model (PLATFORMS.md: ~16 ms per round trip; product create ≈ 500 ms alone, 3.7 s for 1,000 in one
 * call), against a naive baseline that creates one product per call (what n8n's Odoo node does).
 *
 *   npx tsx bench/odoo-write.ts [--n 10000] [--scale 0.005] [--baseline-n 10000] [--version 17]
 *
 * Reports per scenario: API calls used vs the floor (N / batch size create calls), the wall time at the
 * simulator's cost scale, and the modelled wall time of a real Odoo 17 (the simulator's summed cost, i.e.
 * scale 1; calls are sequential in every scenario, so modelled time = sum of call costs).
 */
import { pino } from 'pino';
import { startOdooSimulator, type OdooSimulator } from '../src/simulators/index.js';
import { createOdooConnector } from '../src/connectors/odoo/index.js';
import { OdooSettings } from '../src/connectors/odoo/settings.js';
import { OdooTransport } from '../src/connectors/odoo/transport.js';
import { traitsFor } from '../src/connectors/odoo/versions.js';
import type { WriteOp } from '../src/connectors/contract.js';
import type { Product } from '../src/model/index.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const N = arg('n', 10_000);
const SCALE = arg('scale', 0.005);
const BASELINE_N = arg('baseline-n', N);
const VERSION = arg('version', 17) as 16 | 17 | 18 | 19;
const log = pino({ level: 'warn' });

function product(run: string, i: number): Product {
  return {
    name: `${run} Bench Tee ${i}`,
    description: '',
    categoryIds: [],
    attributes: [],
    variants: [{ sku: `${run}-B-${i}`, barcode: null, attributes: {}, price: { amount: `${10 + (i % 90)}.90`, currency: 'USD' }, salePrice: null, weight: null, active: true }],
    active: true,
    tracksStock: true,
  };
}

interface Row {
  scenario: string;
  records: number;
  calls: number;
  floor: number;
  wallMs: number;
  modelledMs: number;
  byMethod: Record<string, number>;
}

async function withSim<T>(fn: (sim: OdooSimulator) => Promise<T>): Promise<T> {
  const sim = await startOdooSimulator({ version: VERSION, costModel: true, costScale: SCALE });
  try {
    return await fn(sim);
  } finally {
    await sim.close();
  }
}

async function connectorRun(batch: number): Promise<Row> {
  return withSim(async (sim) => {
    const settings = OdooSettings.parse({ type: 'odoo', url: sim.url, db: sim.db, user: sim.admin.login, apiKey: sim.admin.apiKey, timeout: '120s' });
    const c = createOdooConnector('erp', settings, { log });
    await c.check({ entities: { product: ['write'] } });
    sim.resetStats();
    const run = `T${batch}`;
    const started = performance.now();
    let failed = 0;
    for (let from = 0; from < N; from += batch) {
      const ops: WriteOp<'product'>[] = [];
      for (let i = from; i < Math.min(N, from + batch); i++) ops.push({ kind: 'create', key: String(i), record: product(run, i) });
      const res = await c.write('product', ops, { lookup: () => undefined });
      failed += res.filter((r) => !r.ok).length;
    }
    const wallMs = performance.now() - started;
    if (failed) throw new Error(`${failed} products failed`);
    const created = sim.env.search('product.product', [['default_code', '=like', `${run}-B-%`]]).length;
    if (created !== N) throw new Error(`expected ${N} products in Odoo, found ${created}`);
    await c.close();
    return { scenario: `connector, write() batches of ${batch}`, records: N, calls: sim.stats.calls, floor: Math.ceil(N / batch), wallMs, modelledMs: sim.cost.totalMs, byMethod: { ...sim.stats.byMethod } };
  });
}

async function baselineRun(): Promise<Row> {
  return withSim(async (sim) => {
    const t = new OdooTransport({ url: sim.url, db: sim.db, user: sim.admin.login, apiKey: sim.admin.apiKey, protocol: 'auto', version: 'auto', lang: 'en_US', tz: 'UTC', timeoutMs: 120_000 });
    await t.uid();
    sim.resetStats();
    const started = performance.now();
    for (let i = 0; i < BASELINE_N; i++) {
      const p = product('BASE', i);
      const v = p.variants[0]!;
      await t.call('product.template', 'create', { kwargs: { vals_list: [{ name: p.name, default_code: v.sku, list_price: Number(v.price.amount), ...traitsFor(VERSION).storable, invoice_policy: 'delivery' }] } });
    }
    const wallMs = performance.now() - started;
    return { scenario: 'baseline: one create per record', records: BASELINE_N, calls: sim.stats.calls, floor: BASELINE_N, wallMs, modelledMs: sim.cost.totalMs, byMethod: { ...sim.stats.byMethod } };
  });
}

function fmt(ms: number): string {
  return ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`;
}

async function main(): Promise<void> {
  console.log(`Odoo ${VERSION} simulator, cost model on, costScale ${SCALE}; ${N} simple products (baseline ${BASELINE_N})`);
  const rows: Row[] = [];
  for (const batch of [1000, 200]) rows.push(await connectorRun(batch));
  rows.push(await baselineRun());
  console.log('\n| scenario | records | API calls | floor (N/batch) | wall (scaled) | modelled real Odoo 17 | per product (modelled) |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.scenario} | ${r.records} | ${r.calls} | ${r.floor} | ${fmt(r.wallMs)} | ${fmt(r.modelledMs)} | ${(r.modelledMs / r.records).toFixed(1)} ms |`);
  }
  const base = rows[rows.length - 1]!;
  for (const r of rows.slice(0, -1)) {
    const perBase = base.modelledMs / base.records;
    const per = r.modelledMs / r.records;
    console.log(`\n${r.scenario}: ${(perBase / per).toFixed(0)}× faster than the baseline per product (modelled); calls by method: ${JSON.stringify(r.byMethod)}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
