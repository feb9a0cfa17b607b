/**
 * Figure 4: an order burst. 1,000 orders are placed in the REST shop, then their signed order.created
 * webhooks are POSTed to Tandem's HTTP server (the one `tandem serve` runs) evenly within 10 s, while the
 * worker pool (concurrency from config) imports each order into Odoo, confirms it, invoices it and
 * registers its payment. Latency = from the webhook's HTTP 200 to the ERP order confirmed (the audit
 * event `step:confirm`, written in the transaction that records the confirmed step).
 */
import { randomUUID } from 'node:crypto';
import type { TestStoreKind } from '../../test/helpers/db.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import { startRuntime } from '../../src/engine/runtime.js';
import { startHttpServer } from '../../src/server/http-server.js';
import { signWebhook } from '../../src/connectors/rest-shop/webhook.js';
import { catalogItems } from '../lib/catalog.js';
import { phaseCalls, type PhaseCalls } from '../lib/calls.js';
import { PeakRss, percentile, round } from '../lib/measure.js';
import { startSims } from '../lib/sims.js';
import type { PlacedOrder } from '../lib/sim-protocol.js';
import { startTandem, WEBHOOK_SECRET } from '../lib/tandem.js';
import { liveLimits } from '../../src/shared/adaptive-limit.js';

export interface OrdersParams {
  store: TestStoreKind;
  orders: number;
  windowMs: number;
  /** workers.concurrency in the config. */
  concurrency: number;
  /** Round trip of every Odoo and shop call (flat latency; no create cost model). */
  latencyMs: number;
  /** Give up waiting for confirmations after this long. */
  timeoutMs: number;
}

export interface LatencyStats {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface OrdersMetrics {
  params: OrdersParams;
  /** First POST to last HTTP 200. */
  burstMs: number;
  /** HTTP response time of the webhook POSTs. */
  accept: LatencyStats;
  /** HTTP 200 → ERP order confirmed. */
  confirm: LatencyStats;
  confirmed: number;
  /** Orders confirmed per minute, from the first webhook accepted to the last order confirmed. */
  ordersPerMinute: number;
  /** First webhook accepted → every job done (import, confirm, invoice, payment). */
  allStepsMs: number;
  calls: PhaseCalls;
  callsPerOrder: number;
  erp: { total: number; confirmed: number; duplicates: number };
  deadJobs: number;
  engineCpuMs: number;
  enginePeakRssMb: number;
  /** The ERP's adaptive concurrency limit during the burst (sampled every 20 ms while calls were in flight). */
  erpLimit?: { lowest: number; highest: number; maxInFlight: number };
}

const PREFIX = 'ORD';

export function latencyStats(values: number[]): LatencyStats {
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return { p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), max: Math.max(...values), mean: round(mean) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** POSTs every delivery at its slot in the window; resolves with each one's accept time (ms epoch). */
export async function postBurst(url: string, orders: PlacedOrder[], windowMs: number, secret: string): Promise<{ acceptedAt: Map<string, number>; sentAt: Map<string, number> }> {
  const acceptedAt = new Map<string, number>();
  const sentAt = new Map<string, number>();
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < orders.length; i++) {
    await sleep(start + (i * windowMs) / orders.length - performance.now());
    const o = orders[i] as PlacedOrder;
    const ts = String(Math.floor(Date.now() / 1000));
    sentAt.set(o.id, Date.now());
    pending.push(
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tandem-timestamp': ts, 'x-tandem-delivery': randomUUID(), 'x-tandem-signature': signWebhook(secret, ts, o.body) },
        body: o.body,
      }).then(async (res) => {
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`webhook for order ${o.id} answered ${res.status}`);
        acceptedAt.set(o.id, Date.now());
      }),
    );
  }
  await Promise.all(pending);
  return { acceptedAt, sentAt };
}

export async function runOrders(p: OrdersParams): Promise<OrdersMetrics> {
  const sims = await startSims({ odoo: { version: 17, currency: 'EUR', costModel: false, costScale: 1, latencyMs: p.latencyMs }, shop: { currency: 'EUR', latencyMs: p.latencyMs } });
  const tandem = await startTandem(sims.info, {
    store: p.store,
    workers: p.concurrency,
    flows: [
      { entity: 'product', direction: 'shop->erp', batchSize: 500 },
      { entity: 'order', direction: 'shop->erp' },
    ],
    orders: { taxes: [{ rate: '20', erpTax: 'VAT 20% incl.' }], carriers: { standard: 'Standard delivery' } },
  });
  const { engine } = tandem;
  try {
    // setup (not measured): catalog in the shop and synced to Odoo, the shop's tax in Odoo, the orders placed
    await sims.call('seedShop', { prefix: 'OC', variants: 800, stock: 1_000_000 });
    await sims.call('odooCreate', { model: 'account.tax', vals: { name: 'VAT 20% incl.', amount: 20, amount_type: 'percent', price_include: true, type_tax_use: 'sale' } });
    await syncAll(engine, { kind: 'initial', entities: ['product'] });
    const skus = [...catalogItems('OC', 800)].flatMap((i) => (i.sku ? [i.sku] : (i.sizes ?? []).map((s) => s.sku)));
    const placed = await sims.call('placeOrders', { count: p.orders, skus, prefix: PREFIX });

    const runtime = startRuntime(engine, { schedules: false }); // as `tandem serve`, without the timers
    const http = await startHttpServer(engine, { host: '127.0.0.1', port: 0 });
    await sims.call('resetStats', {});
    tandem.resetCalls();
    const rss = new PeakRss();
    const erpLimit = { lowest: Infinity, highest: 0, maxInFlight: 0 };
    const limitWatch = setInterval(() => {
      for (const l of liveLimits()) {
        if (l.system !== 'odoo' || l.inFlight === 0) continue;
        erpLimit.lowest = Math.min(erpLimit.lowest, l.limit);
        erpLimit.highest = Math.max(erpLimit.highest, l.limit);
        erpLimit.maxInFlight = Math.max(erpLimit.maxInFlight, l.inFlight);
      }
    }, 20);
    const cpu = process.cpuUsage();
    const burst = await postBurst(`${http.url}/webhooks/shop`, placed, p.windowMs, WEBHOOK_SECRET);
    const firstAccept = Math.min(...burst.acceptedAt.values());
    const lastAccept = Math.max(...burst.acceptedAt.values());
    const firstSent = Math.min(...burst.sentAt.values());

    const confirmedAt = new Map<string, number>();
    const deadline = Date.now() + p.timeoutMs;
    for (;;) {
      const rows = await engine.store.db.selectFrom('audit').select(['shop_id', 'at']).where('action', '=', 'step:confirm').execute();
      for (const r of rows) if (r.shop_id) confirmedAt.set(r.shop_id, r.at);
      if (confirmedAt.size >= p.orders || Date.now() > deadline) break;
      await sleep(100);
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([runtime.worker.drain(), new Promise((r) => (timer = setTimeout(r, Math.max(0, deadline - Date.now()))))]);
    clearTimeout(timer);
    const allDone = Date.now();
    clearInterval(limitWatch);
    const cpuUsed = process.cpuUsage(cpu);
    const enginePeakRssMb = rss.stop();
    await runtime.stop({ timeoutMs: 10_000 });
    await http.close();

    const stats = await sims.call('stats', {});
    const calls = phaseCalls(stats, tandem.calls);
    const latencies = [...confirmedAt].map(([id, at]) => at - (burst.acceptedAt.get(id) ?? NaN)).filter(Number.isFinite);
    const accepts = [...burst.acceptedAt].map(([id, at]) => at - (burst.sentAt.get(id) ?? NaN));
    const lastConfirm = Math.max(...confirmedAt.values());
    const counts = await engine.queue.counts();
    return {
      params: p,
      burstMs: lastAccept - firstSent,
      accept: latencyStats(accepts),
      confirm: latencyStats(latencies),
      confirmed: confirmedAt.size,
      ordersPerMinute: round((confirmedAt.size / (lastConfirm - firstAccept)) * 60_000),
      allStepsMs: allDone - firstAccept,
      calls,
      callsPerOrder: round(calls.total / p.orders, 1),
      erp: await sims.call('erpOrders', { prefix: PREFIX }),
      deadJobs: counts.dead ?? 0,
      engineCpuMs: round((cpuUsed.user + cpuUsed.system) / 1000),
      enginePeakRssMb,
      ...(erpLimit.highest > 0 && { erpLimit }),
    };
  } finally {
    await tandem.close();
    await sims.close();
  }
}
