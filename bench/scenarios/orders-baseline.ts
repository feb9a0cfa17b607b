/**
 * Baseline of figure 4: the same burst of 1,000 order.created webhooks, received by the naive n8n-style
 * flow of bench/baseline-naive.ts (answer at once, then customer → products → create → confirm, every
 * delivery in parallel). Same simulators, same latency.
 */
import { startNaiveOrderReceiver } from '../baseline-naive.js';
import { phaseCalls, type PhaseCalls } from '../lib/calls.js';
import { PeakRss, round } from '../lib/measure.js';
import { startSims } from '../lib/sims.js';
import { catalogItems } from '../lib/catalog.js';
import { latencyStats, postBurst, type LatencyStats } from './orders.js';

export interface OrdersBaselineParams {
  orders: number;
  windowMs: number;
  latencyMs: number;
}

export interface OrdersBaselineMetrics {
  params: OrdersBaselineParams;
  burstMs: number;
  confirm: LatencyStats;
  confirmed: number;
  ordersPerMinute: number;
  errors: number;
  firstErrors: string[];
  calls: PhaseCalls;
  callsPerOrder: number;
  erp: { total: number; confirmed: number; duplicates: number };
  cpuMs: number;
  peakRssMb: number;
}

export async function runOrdersBaseline(p: OrdersBaselineParams): Promise<OrdersBaselineMetrics> {
  const sims = await startSims({ odoo: { version: 17, currency: 'EUR', costModel: false, costScale: 1, latencyMs: p.latencyMs }, shop: { currency: 'EUR', latencyMs: p.latencyMs } });
  try {
    await sims.call('seedShop', { prefix: 'OC', variants: 800, stock: 1_000_000 });
    await sims.call('seedErp', { prefix: 'OC', variants: 800 });
    const skus = [...catalogItems('OC', 800)].flatMap((i) => (i.sku ? [i.sku] : (i.sizes ?? []).map((s) => s.sku)));
    const placed = await sims.call('placeOrders', { count: p.orders, skus, prefix: 'ORD' });
    const receiver = await startNaiveOrderReceiver(sims.info);
    await sims.call('resetStats', {});
    const rss = new PeakRss();
    const cpu = process.cpuUsage();
    const burst = await postBurst(receiver.url, placed, p.windowMs, 'unused: the flow checks no signature');
    await receiver.idle();
    const used = process.cpuUsage(cpu);
    const peakRssMb = rss.stop();
    await receiver.close();
    const stats = await sims.call('stats', {});
    const calls = phaseCalls(stats, { shop: {} });
    const latencies = [...receiver.confirmedAt].map(([id, at]) => at - (burst.acceptedAt.get(id) ?? NaN)).filter(Number.isFinite);
    const firstAccept = Math.min(...burst.acceptedAt.values());
    const lastConfirm = Math.max(...receiver.confirmedAt.values());
    return {
      params: p,
      burstMs: Math.max(...burst.acceptedAt.values()) - Math.min(...burst.sentAt.values()),
      confirm: latencyStats(latencies),
      confirmed: receiver.confirmedAt.size,
      ordersPerMinute: round((receiver.confirmedAt.size / (lastConfirm - firstAccept)) * 60_000),
      errors: receiver.errors.length,
      firstErrors: receiver.errors.slice(0, 3),
      calls,
      callsPerOrder: round(calls.total / p.orders, 1),
      erp: await sims.call('erpOrders', { prefix: 'ORD' }),
      cpuMs: round((used.user + used.system) / 1000),
      peakRssMb,
    };
  } finally {
    await sims.close();
  }
}
