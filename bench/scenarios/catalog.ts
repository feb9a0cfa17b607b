/**
 * Figures 1 and 3 (and 2 with `zeroLatency`): the initial catalog sync of N variants in one direction,
 * through the real engine path (`tandem sync --initial`: read → map → hash → natural-key match → batched
 * write → link + cursor in the store), then two syncs after nothing changed: the incremental one (from
 * the stored cursor, as the scheduler runs it) and a full re-read (`tandem sync --initial` again: every
 * record read, hashed and found unchanged against its link).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import type { TestStoreKind } from '../../test/helpers/db.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import type { RunReport } from '../../src/engine/report.js';
import { catalogShape } from '../lib/catalog.js';
import { modelledMs, phaseCalls, type CostSetup, type PhaseCalls } from '../lib/calls.js';
import { phase, type Phase } from '../lib/measure.js';
import { startSims, type Sims } from '../lib/sims.js';
import { startTandem, type Tandem } from '../lib/tandem.js';

export type CatalogDirection = 'shop->erp' | 'erp->shop';

export interface CatalogParams {
  direction: CatalogDirection;
  variants: number;
  store: TestStoreKind;
  /** Odoo cost model scale; null = zero-latency simulators (engine overhead). */
  odooScale: number | null;
  /** Shop round trip the run stands for (ms); the simulator waits it × odooScale. */
  shopModelMs: number;
  batchSize: number;
  /** Skip the no-change syncs (engine overhead at 1M). */
  initialOnly?: boolean;
  /** The shop: the REST shop simulator (default) or the WooCommerce simulator. */
  shop?: 'rest-shop' | 'woocommerce';
}

export interface CatalogPhase extends Phase {
  modelledMs: number | null;
  calls: PhaseCalls;
  counts: RunReport['counts'];
}

export interface CatalogMetrics {
  params: CatalogParams;
  products: number;
  variants: number;
  initial: CatalogPhase;
  noChangePoll?: CatalogPhase;
  noChangeFull?: CatalogPhase;
  /** Records found on the target after the initial sync (must equal the catalog). */
  verified: { variants: number; products: number };
  simulatorsPeakRssMb: number;
  cost: CostSetup;
}

const PREFIX = 'CAT';

/**
 * TANDEM_BENCH_CPU_PROF=<dir>: a V8 CPU profile of the measured phase alone (not the setup), written to
 * <dir>/<label>.cpuprofile; summarise it with `npx tsx bench/cpuprofile.ts <file>`.
 */
async function profiled<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const dir = process.env.TANDEM_BENCH_CPU_PROF;
  if (!dir) return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${label}-${process.pid}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

async function measured(sims: Sims, tandem: Tandem, cost: CostSetup, kind: 'initial' | 'poll', label: string): Promise<CatalogPhase> {
  await sims.call('resetStats', {});
  tandem.resetCalls();
  const p = await phase(() => profiled(label, () => syncAll(tandem.engine, { kind, entities: ['product'] })));
  const stats = await sims.call('stats', {});
  const report = p.result.reports[0];
  if (!report) throw new Error('the product flow did not run');
  const { result: _r, ...times } = p;
  return { ...times, modelledMs: modelledMs(p.wallMs, stats, cost), calls: phaseCalls(stats, tandem.calls), counts: { ...report.counts } };
}

export async function runCatalog(p: CatalogParams): Promise<CatalogMetrics> {
  const shape = catalogShape(p.variants);
  const scale = p.odooScale;
  const shopLatencyMs = scale === null ? 0 : Math.max(1, Math.round(p.shopModelMs * scale));
  const cost: CostSetup = { odooScale: scale, shopLatencyMs, shopModelMs: scale === null ? 0 : p.shopModelMs };
  const sims = await startSims({
    odoo: { version: 17, currency: 'EUR', costModel: scale !== null, costScale: scale ?? 0 },
    ...(p.shop === 'woocommerce' ? { woo: { currency: 'EUR', latencyMs: shopLatencyMs } } : { shop: { currency: 'EUR', latencyMs: shopLatencyMs } }),
  });
  let tandem: Tandem | undefined;
  try {
    if (p.direction === 'shop->erp') await sims.call('seedShop', { prefix: PREFIX, variants: p.variants });
    else await sims.call('seedErp', { prefix: PREFIX, variants: p.variants });
    await sims.call('resetPeak', {});
    tandem = await startTandem(sims.info, { store: p.store, flows: [{ entity: 'product', direction: p.direction, batchSize: p.batchSize, schedule: '15m' }] });
    const label = `catalog-${p.direction === 'shop->erp' ? 'shop2erp' : 'erp2shop'}-${p.variants}`;
    const initial = await measured(sims, tandem, cost, 'initial', `${label}-initial`);
    const verified = p.direction === 'shop->erp' ? await sims.call('countErp', { prefix: PREFIX }) : await sims.call('countShop', { prefix: PREFIX });
    const out: CatalogMetrics = {
      params: p,
      products: shape.products,
      variants: shape.variants,
      initial,
      verified: { variants: verified.variants, products: 'templates' in verified ? verified.templates : verified.products },
      simulatorsPeakRssMb: 0,
      cost,
    };
    if (verified.variants !== shape.variants) throw new Error(`after the initial sync the target has ${verified.variants} of ${shape.variants} variants (${JSON.stringify(initial.counts)})`);
    if (!p.initialOnly) {
      out.noChangePoll = await measured(sims, tandem, cost, 'poll', `${label}-poll`);
      out.noChangeFull = await measured(sims, tandem, cost, 'initial', `${label}-full`);
    }
    out.simulatorsPeakRssMb = (await sims.call('memory', {})).peakMb;
    return out;
  } finally {
    await tandem?.close();
    await sims.close();
  }
}
