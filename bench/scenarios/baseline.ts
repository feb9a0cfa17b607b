/**
 * Figure 5: the naive one-call-per-record sync (bench/baseline-naive.ts) on the same simulators and cost
 * model as Tandem, run twice: the initial sync, then the "no-change" second run (a script without state
 * does it all again).
 */
import { naiveErpToShop, naiveShopToErp, type NaiveRun } from '../baseline-naive.js';
import { catalogShape } from '../lib/catalog.js';
import { modelledMs, phaseCalls, type CostSetup, type PhaseCalls } from '../lib/calls.js';
import { phase, type Phase } from '../lib/measure.js';
import { startSims } from '../lib/sims.js';
import type { CatalogDirection } from './catalog.js';

export interface BaselineParams {
  direction: CatalogDirection;
  variants: number;
  /** Odoo cost model scale for this run (its modelled time does not depend on it). */
  odooScale: number;
  shopModelMs: number;
  /** Run the script a second time (the no-change sync of a script without state). */
  secondRun: boolean;
}

export interface BaselinePhase extends Phase {
  modelledMs: number;
  calls: PhaseCalls;
  run: NaiveRun;
}

export interface BaselineMetrics {
  params: BaselineParams;
  products: number;
  variants: number;
  first: BaselinePhase;
  second?: BaselinePhase;
  /** Target records after the run(s): duplicates the second run left behind. */
  after: { variants: number; duplicates: number };
  cost: CostSetup;
}

const PREFIX = 'CAT';

export async function runBaseline(p: BaselineParams): Promise<BaselineMetrics> {
  const shape = catalogShape(p.variants);
  const shopLatencyMs = Math.max(1, Math.round(p.shopModelMs * p.odooScale));
  const cost: CostSetup = { odooScale: p.odooScale, shopLatencyMs, shopModelMs: p.shopModelMs };
  const sims = await startSims({ odoo: { version: 17, currency: 'EUR', costModel: true, costScale: p.odooScale }, shop: { currency: 'EUR', latencyMs: shopLatencyMs } });
  try {
    if (p.direction === 'shop->erp') await sims.call('seedShop', { prefix: PREFIX, variants: p.variants });
    else await sims.call('seedErp', { prefix: PREFIX, variants: p.variants });
    const once = async (): Promise<BaselinePhase> => {
      await sims.call('resetStats', {});
      const m = await phase(() => (p.direction === 'shop->erp' ? naiveShopToErp(sims.info, PREFIX) : naiveErpToShop(sims.info, PREFIX)));
      const stats = await sims.call('stats', {});
      const { result, ...times } = m;
      return { ...times, run: result, modelledMs: modelledMs(m.wallMs, stats, cost) ?? NaN, calls: phaseCalls(stats, { shop: { [p.direction === 'shop->erp' ? 'GET' : 'POST']: stats.shop?.calls ?? 0 } }) };
      // the script only reads the shop (shop→ERP) or only POSTs to it (ERP→shop)
    };
    const first = await once();
    if (first.run.written !== shape.variants) throw new Error(`baseline wrote ${first.run.written} of ${shape.variants} variants`);
    const second = p.secondRun ? await once() : undefined;
    const found = p.direction === 'shop->erp' ? (await sims.call('countErp', { prefix: PREFIX })).variants : (await sims.call('countShop', { prefix: PREFIX })).variants;
    return { params: p, products: shape.products, variants: shape.variants, first, ...(second && { second }), after: { variants: found, duplicates: found - shape.variants }, cost };
  } finally {
    await sims.close();
  }
}
