/**
 * Issue 17: orders/min with 1, 2 and 3 Tandem nodes on one store. The order burst of figure 4 (bench/
 * scenarios/orders.ts: 1,000 paid orders, their signed order.created webhooks POSTed evenly within 10 s,
 * 16 ms on every Odoo and shop call) — but each node is its own process (bench/lib/node-child.ts: engine,
 * worker pool, heartbeat, LISTEN wake-up, HTTP server, no schedule timers) and the webhooks go round-robin
 * to the nodes (any node accepts). Latency = webhook HTTP 200 → ERP order confirmed (audit `step:confirm`).
 * All steps done = no job queued or running any more. Engine CPU = the nodes' CPU summed, from the first
 * webhook to the end; store statements counted by each node (BEGIN/COMMIT included).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ConfigInput } from '../../src/config/schema.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import { Queue } from '../../src/queue/index.js';
import { openStore } from '../../src/store/index.js';
import { catalogItems } from '../lib/catalog.js';
import { round } from '../lib/measure.js';
import type { NodeReport } from '../lib/node-child.js';
import { startSims } from '../lib/sims.js';
import { startTandem, WEBHOOK_SECRET } from '../lib/tandem.js';
import { latencyStats, postBurst, type LatencyStats, type OrdersParams } from './orders.js';

export interface NodesParams extends Omit<OrdersParams, 'concurrency'> {
  nodes: number;
  /** workers.concurrency per node; undefined: the config's default. */
  concurrency?: number;
}

export interface NodesMetrics {
  params: NodesParams;
  /** workers.concurrency each node ran with. */
  concurrency: number;
  confirm: LatencyStats;
  accept: LatencyStats;
  confirmed: number;
  ordersPerMinute: number;
  /** First webhook accepted → no job queued or running. */
  allStepsMs: number;
  /** Orders fully done (all steps) per minute: orders ÷ allStepsMs. */
  allStepsPerMinute: number;
  erp: { total: number; confirmed: number; duplicates: number };
  deadJobs: number;
  /** Sum over the nodes; per order = ÷ orders. */
  engineCpuMs: number;
  engineCpuMsPerOrder: number;
  /** CPU of every `postgres` process on the machine over the same time (other work on the server included). */
  postgresCpuMs: number | null;
  statementsPerOrder: number;
  /** The most frequent statements, per order, summed over the nodes. */
  topStatements: Array<{ statement: string; perOrder: number }>;
  nodes: Array<Pick<NodeReport, 'cpuMs' | 'peakRssMb' | 'statements'>>;
}

const PREFIX = 'NOD';
const CHILD = fileURLToPath(new URL('../lib/node-child.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const TICK_MS = 10; // USER_HZ = 100 on Linux

/** utime + stime of every process named postgres, in ms (null without /proc). */
function postgresCpuMs(): number | null {
  try {
    let ticks = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        if (!stat.includes('(postgres)')) continue;
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks += Number(f[11]) + Number(f[12]);
      } catch {
        /* gone meanwhile */
      }
    }
    return ticks * TICK_MS;
  } catch {
    return null;
  }
}

interface NodeProc {
  child: ChildProcess;
  url: Promise<string>;
  report: Promise<NodeReport>;
}

function startNode(config: ConfigInput, storeUrl: string): NodeProc {
  const child = fork(CHILD, [JSON.stringify(config), storeUrl], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<never>((_, reject) => child.on('exit', (code) => reject(new Error(`node process exited with code ${String(code)}`))));
  const message = <T>(key: string) => Promise.race([new Promise<T>((resolve) => child.on('message', (m: Record<string, T>) => key in m && resolve(m[key] as T))), exited]);
  const url = message<string>('url');
  const report = message<NodeReport>('report');
  report.catch(() => undefined);
  url.catch(() => undefined);
  return { child, url, report };
}

export async function runNodes(p: NodesParams): Promise<NodesMetrics> {
  const sims = await startSims({ odoo: { version: 17, currency: 'EUR', costModel: false, costScale: 1, latencyMs: p.latencyMs }, shop: { currency: 'EUR', latencyMs: p.latencyMs } });
  const flows: ConfigInput['flows'] = [
    { entity: 'product', direction: 'shop->erp', batchSize: 500 },
    { entity: 'order', direction: 'shop->erp' },
  ];
  const orders: ConfigInput['orders'] = { taxes: [{ rate: '20', erpTax: 'VAT 20% incl.' }], carriers: { standard: 'Standard delivery' } };
  // the setup engine (catalog sync, the queries at the end) is not one of the measured nodes
  const tandem = await startTandem(sims.info, { store: p.store, flows, orders, ...(p.concurrency && { workers: p.concurrency }) });
  const { engine } = tandem;
  const storeUrl = engine.config.store.url;
  const nodes: NodeProc[] = [];
  let watch: Awaited<ReturnType<typeof openStore>> | undefined;
  try {
    await sims.call('seedShop', { prefix: 'OC', variants: 800, stock: 1_000_000 });
    await sims.call('odooCreate', { model: 'account.tax', vals: { name: 'VAT 20% incl.', amount: 20, amount_type: 'percent', price_include: true, type_tax_use: 'sale' } });
    await syncAll(engine, { kind: 'initial', entities: ['product'] });
    const skus = [...catalogItems('OC', 800)].flatMap((i) => (i.sku ? [i.sku] : (i.sizes ?? []).map((s) => s.sku)));
    const placed = await sims.call('placeOrders', { count: p.orders, skus, prefix: PREFIX });

    const concurrency = engine.config.workers.concurrency;
    // PostgreSQL's connections are few on a shared server: the setup engine's pool goes, 2 connections watch the burst
    await engine.close();
    watch = await openStore(storeUrl, { poolMax: 2 });
    const queue = new Queue(watch);
    const { shop, odoo } = sims.info;
    const config: ConfigInput = {
      store: { url: storeUrl },
      log: { level: 'warn' },
      systems: {
        shop: { type: 'rest-shop', url: shop!.url, auth: { type: 'bearer', token: shop!.token }, webhookSecret: WEBHOOK_SECRET, currency: 'EUR', timeout: '300s' },
        erp: { type: 'odoo', url: odoo!.url, db: odoo!.db, user: odoo!.login, apiKey: odoo!.apiKey, timeout: '300s' },
      },
      flows,
      orders,
      ...(p.concurrency && { workers: { concurrency: p.concurrency } }),
    };
    for (let i = 0; i < p.nodes; i++) nodes.push(startNode(config, storeUrl));
    const urls = await Promise.all(nodes.map((n) => n.url));
    await sleep(1000); // every node has beaten and listens
    for (const n of nodes) n.child.send({ op: 'start' });
    const pgCpu = p.store === 'postgres' ? postgresCpuMs() : null;
    // round-robin: node k gets orders k, k + n, …, each share evenly within the window (all nodes at once)
    const shares = urls.map((_, k) => placed.filter((_, i) => i % urls.length === k));
    const bursts = await Promise.all(shares.map((share, k) => postBurst(urls[k]!, share, p.windowMs, WEBHOOK_SECRET)));
    const acceptedAt = new Map(bursts.flatMap((b) => [...b.acceptedAt]));
    const sentAt = new Map(bursts.flatMap((b) => [...b.sentAt]));
    const firstAccept = Math.min(...acceptedAt.values());

    const confirmedAt = new Map<string, number>();
    const deadline = Date.now() + p.timeoutMs;
    let allDone = 0;
    for (;;) {
      const rows = await watch.db.selectFrom('audit').select(['shop_id', 'at']).where('action', '=', 'step:confirm').execute();
      for (const r of rows) if (r.shop_id) confirmedAt.set(r.shop_id, r.at);
      const counts = await queue.counts();
      if (confirmedAt.size >= p.orders && !counts.queued && !counts.running) {
        allDone = Date.now();
        break;
      }
      if (Date.now() > deadline) break;
      await sleep(100);
    }
    const pgCpuEnd = p.store === 'postgres' ? postgresCpuMs() : null;
    for (const n of nodes) n.child.send({ op: 'stop' });
    const reports = await Promise.all(nodes.map((n) => n.report));

    const latencies = [...confirmedAt].map(([id, at]) => at - (acceptedAt.get(id) ?? NaN)).filter(Number.isFinite);
    const accepts = [...acceptedAt].map(([id, at]) => at - (sentAt.get(id) ?? NaN));
    const lastConfirm = Math.max(...confirmedAt.values());
    const cpuMs = reports.reduce((a, r) => a + r.cpuMs, 0);
    const statements = reports.reduce((a, r) => a + r.statements, 0);
    const byStatement = new Map<string, number>();
    for (const r of reports) for (const [k, v] of Object.entries(r.byStatement)) byStatement.set(k, (byStatement.get(k) ?? 0) + v);
    const allStepsMs = allDone ? allDone - firstAccept : NaN;
    return {
      params: p,
      concurrency,
      confirm: latencyStats(latencies),
      accept: latencyStats(accepts),
      confirmed: confirmedAt.size,
      ordersPerMinute: round((confirmedAt.size / (lastConfirm - firstAccept)) * 60_000),
      allStepsMs,
      allStepsPerMinute: round((p.orders / allStepsMs) * 60_000),
      // the Odoo connector stores the number as `shop-<number>` in client_order_ref
      erp: await sims.call('erpOrders', { prefix: `shop-${PREFIX}` }),
      deadJobs: (await queue.counts()).dead ?? 0,
      engineCpuMs: round(cpuMs),
      engineCpuMsPerOrder: round(cpuMs / p.orders, 1),
      postgresCpuMs: pgCpu !== null && pgCpuEnd !== null ? pgCpuEnd - pgCpu : null,
      statementsPerOrder: round(statements / p.orders, 1),
      topStatements: [...byStatement].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([statement, n]) => ({ statement, perOrder: round(n / p.orders, 2) })),
      nodes: reports.map((r) => ({ cpuMs: r.cpuMs, peakRssMb: r.peakRssMb, statements: r.statements })),
    };
  } finally {
    for (const n of nodes) if (n.child.exitCode === null) n.child.kill('SIGKILL');
    await watch?.close();
    await tandem.close();
    await sims.close();
  }
}
