/** Which scenario processes a benchmark run starts, for `npm run bench` and `npm run bench -- --quick`. */
import type { BaselineParams } from '../scenarios/baseline.js';
import type { CatalogParams } from '../scenarios/catalog.js';
import type { OrdersParams } from '../scenarios/orders.js';
import type { OrdersBaselineParams } from '../scenarios/orders-baseline.js';
import { DEFAULT_WORKERS } from '../../src/config/schema.js';
import type { NodesParams } from '../scenarios/nodes.js';

export interface Options {
  quick: boolean;
  /** Only the steps whose group or id contains one of these words (`=<id>`: exactly that step). */
  only: string[];
  /** Odoo cost model scale for Tandem's catalog runs. */
  scale: number;
  /** Scale for the naive baseline (one call per record: the sleeps stay above 1 ms anyway). */
  baselineScale: number;
  out: string | null;
  /** Also the runs against the real systems of the environment (bench/lib/live.ts). */
  live: boolean;
}

export type Step =
  | { id: string; group: 'catalog' | 'stores'; scenario: 'catalog'; params: CatalogParams }
  | { id: string; group: 'overhead'; scenario: 'catalog'; params: CatalogParams }
  | { id: string; group: 'baseline'; scenario: 'baseline'; params: BaselineParams & { secondRun: boolean } }
  | { id: string; group: 'orders' | 'stores'; scenario: 'orders'; params: OrdersParams }
  | { id: string; group: 'orders'; scenario: 'orders-baseline'; params: OrdersBaselineParams }
  | { id: string; group: 'nodes'; scenario: 'nodes'; params: NodesParams };

export const SHOP_MODEL_MS = 16;
export const BATCH_SIZE = 500;

export function plan(o: Options): Step[] {
  const n = o.quick ? 10_000 : 100_000;
  const orders = o.quick ? 100 : 1_000;
  const windowMs = o.quick ? 1_000 : 10_000;
  const cat = (direction: CatalogParams['direction'], store: CatalogParams['store']): CatalogParams => ({ direction, variants: n, store, odooScale: o.scale, shopModelMs: SHOP_MODEL_MS, batchSize: BATCH_SIZE });
  const ord = (store: OrdersParams['store'], concurrency: number): OrdersParams => ({ store, orders, windowMs, concurrency, latencyMs: 16, timeoutMs: 20 * 60_000 });
  // the first aim: 100 orders in 1 s at the default settings (workers and per-system concurrency)
  const burst100 = (store: OrdersParams['store']): OrdersParams => ({ store, orders: 100, windowMs: 1_000, concurrency: DEFAULT_WORKERS, latencyMs: 16, timeoutMs: 5 * 60_000 });
  const steps: Step[] = [
    { id: 'catalog:shop->erp:sqlite', group: 'catalog', scenario: 'catalog', params: cat('shop->erp', 'sqlite') },
    { id: 'catalog:erp->shop:sqlite', group: 'catalog', scenario: 'catalog', params: cat('erp->shop', 'sqlite') },
    // WooCommerce in full runs only (--quick must stay under 3 minutes on 2 cores)
    ...(o.quick
      ? []
      : ([
          { id: 'catalog:woocommerce:shop->erp:sqlite', group: 'catalog', scenario: 'catalog', params: { ...cat('shop->erp', 'sqlite'), shop: 'woocommerce' } },
          { id: 'catalog:woocommerce:erp->shop:sqlite', group: 'catalog', scenario: 'catalog', params: { ...cat('erp->shop', 'sqlite'), shop: 'woocommerce' } },
        ] satisfies Step[])),
    { id: 'baseline:shop->erp', group: 'baseline', scenario: 'baseline', params: { direction: 'shop->erp', variants: n, odooScale: o.baselineScale, shopModelMs: SHOP_MODEL_MS, secondRun: !o.quick } },
    { id: 'baseline:erp->shop', group: 'baseline', scenario: 'baseline', params: { direction: 'erp->shop', variants: n, odooScale: o.baselineScale, shopModelMs: SHOP_MODEL_MS, secondRun: false } },
  ];
  for (const size of o.quick ? [10_000] : [10_000, 100_000, 1_000_000]) {
    steps.push({ id: `overhead:${size}`, group: 'overhead', scenario: 'catalog', params: { direction: 'shop->erp', variants: size, store: 'sqlite', odooScale: null, shopModelMs: 0, batchSize: BATCH_SIZE, initialOnly: size > 100_000 } });
  }
  steps.push(
    { id: 'orders:sqlite:100in1s', group: 'orders', scenario: 'orders', params: burst100('sqlite') },
    { id: 'orders:sqlite:c4', group: 'orders', scenario: 'orders', params: ord('sqlite', 4) },
    { id: 'orders:sqlite:c8', group: 'orders', scenario: 'orders', params: ord('sqlite', 8) },
    // the default workers.concurrency (DEFAULT_WORKERS)
    { id: 'orders:sqlite:c32', group: 'orders', scenario: 'orders', params: ord('sqlite', 32) },
    { id: 'orders:baseline', group: 'orders', scenario: 'orders-baseline', params: { orders, windowMs, latencyMs: 16 } },
    { id: 'catalog:shop->erp:postgres', group: 'stores', scenario: 'catalog', params: cat('shop->erp', 'postgres') },
    ...(o.quick ? [] : [{ id: 'catalog:erp->shop:postgres', group: 'stores' as const, scenario: 'catalog' as const, params: cat('erp->shop', 'postgres') }]),
    { id: 'orders:postgres:100in1s', group: 'stores', scenario: 'orders', params: burst100('postgres') },
    { id: 'orders:postgres:c4', group: 'stores', scenario: 'orders', params: ord('postgres', 4) },
    ...(o.quick ? [] : [{ id: 'orders:postgres:c8', group: 'stores' as const, scenario: 'orders' as const, params: ord('postgres', 8) }]),
    { id: 'orders:postgres:c32', group: 'stores', scenario: 'orders', params: ord('postgres', 32) },
  );
  // issue 17: the same burst on 1, 2 and 3 nodes (own processes) on PostgreSQL, and 1 node on SQLite, default workers
  const nod = (store: NodesParams['store'], nodes: number): NodesParams => ({ store, nodes, orders, windowMs, latencyMs: 16, timeoutMs: 20 * 60_000 });
  // not in --quick (which must stay under 3 minutes) unless asked for: `--quick --only nodes`
  if (!o.quick || o.only.includes('nodes'))
    steps.push(
    { id: 'nodes:sqlite:n1', group: 'nodes', scenario: 'nodes', params: nod('sqlite', 1) },
    ...[1, 2, 3].map((n) => ({ id: `nodes:postgres:n${n}`, group: 'nodes' as const, scenario: 'nodes' as const, params: nod('postgres', n) })),
  );
  if (o.only.length === 0) return steps;
  return steps.filter((s) => o.only.some((w) => (w.startsWith('=') ? s.id === w.slice(1) : s.group === w || s.id.includes(w))));
}
