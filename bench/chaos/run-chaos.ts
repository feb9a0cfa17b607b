/**
 * The seeded chaos suite. The simulators (Odoo 17, REST shop) sit behind seeded fault proxies (5xx, 429 +
 * Retry-After, dropped connections, replies lost or held past the client's timeout AFTER the system
 * executed the call); shop webhooks are dropped, duplicated, reordered and replayed by the seeded
 * deliverer; `tandem serve` runs as real processes (by default one on SQLite, two on PostgreSQL; `nodes`
 * for more, webhooks spread over all of them) and gets `kill -9` during the burst of orders (`killMode`:
 * evenly spaced with an immediate restart, or at seeded-random orders on random nodes, each restarted
 * after a seeded-random delay; bench/chaos/nodes.ts). Then the faults stop and the suite waits until everything converged:
 * every shop order exactly once in Odoo (by client_order_ref), one posted invoice and one payment each, no
 * job stuck, no dead letter (no bad data was injected), and every SKU's shop stock equal to what the stock
 * flow (ERP → shop, on every 3 s) derives from Odoo once it settled. Same seed → same sequence of fault decisions.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { stringify } from 'yaml';
import { Config, type ConfigInput } from '../../src/config/schema.js';
import { createEngine } from '../../src/engine/create-engine.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import { seedDemo, DEMO_TAX } from '../../src/demo/seed.js';
import type { Stack } from '../../src/demo/stack.js';
import { openStore } from '../../src/store/index.js';
import { seededRandom, startFaultProxy, startOdooSimulator, startRestShopSimulator, type FaultRates } from '../../src/simulators/index.js';
import { createTestStoreUrl } from '../../test/helpers/db.js';
import { createDeliverer } from './deliver.js';
import { countErpStock, stockMismatches, type StockMismatch } from './stock-check.js';
import { checkOrders, summarizeJobs, verdict, type JobRow } from './check.js';
import { logEvents, planKills, reapedJobs, releaseTimes, startFleet, type KillMode, type KillRecord } from './nodes.js';
import { analyzeDrain, describeKey, trackJobs, type DrainAnalysis } from './timeline.js';

export interface ChaosOptions {
  seed: number;
  orders: number;
  kills: number;
  store: 'sqlite' | 'postgres';
  /** `tandem serve` processes (default 1 on SQLite, 2 on PostgreSQL). */
  nodes?: number;
  /** How the kills are placed (default even). */
  killMode?: KillMode;
  /** Faults per call through the proxies during the burst. */
  rates?: FaultRates;
  convergeTimeoutMs?: number;
  /** How long the faults go on after the last order (default 5 s). */
  faultTailMs?: number;
  /** An Odoo outage (every connection refused) this long, starting after half the orders (default none). */
  outageMs?: number;
  /**
   * Each node's PostgreSQL pool (store.pool), its workers.concurrency then pool − 4 (default: the product's
   * defaults, 36 and 32): PostgreSQL's max_connections is shared with the lab and other benches.
   */
  pool?: number;
  log?: (line: string) => void;
}

export interface ChaosReport {
  seed: number;
  store: string;
  serves: number;
  killMode: KillMode;
  orders: number;
  kills: number;
  /** Kills not done because only one node was up, up to 30 s after the last order (reported, not failed). */
  skippedKills: number;
  /** Each kill: when (ms into the burst, after which order), which node, how long down, back after. */
  killLog: KillRecord[];
  /** Per kill: ms until another node's reaper released the killed node's running jobs (null: no reap named it). */
  releasedAfterKillMs: Array<number | null>;
  /** From the last kill to every order in the ERP once with its invoice and payment (null: never). */
  drainAfterLastKillMs: number | null;
  /** Jobs run more than once (fault retries and a killed node's jobs run again) and their extra attempts. */
  rerunJobs: number;
  extraAttempts: number;
  /** order.sync jobs left in the table (done, dead or open) by the reason they were enqueued for. */
  orderJobsByReason: Record<string, number>;
  /** The stuck jobs, each with the other open jobs of its key. */
  stuck: string[];
  /** Runs lost to a stopped worker (attempts − 1 − failed_attempts over the done jobs, migration 010), and the most of one job. */
  lostRuns: number;
  maxLostRuns: number;
  /** Running jobs of dead nodes released by the other nodes' reapers (from their logs). */
  reapedJobs: number;
  /** Where the time went after the last kill (bench/chaos/timeline.ts); only with kills. */
  drain?: DrainReport;
  faults: { odoo: Record<string, number>; shop: Record<string, number>; webhooks: Record<string, number> };
  burstMs: number;
  /** With an outage: from Odoo being back to every order placed so far being in Odoo. */
  outageRecoveredMs?: number | null;
  convergedMs: number | null;
  missing: string[];
  duplicated: string[];
  withoutInvoice: string[];
  withoutPayment: string[];
  deadLetters: number;
  stuckJobs: number;
  /** Shop stock levels that differ from the ERP's available to sell after the stock flow settled. */
  stockMismatches: StockMismatch[];
  /** From the orders converging to the shop's stock matching Odoo's (null: never within the timeout). */
  stockSettledMs: number | null;
  ok: boolean;
  /** Why not ok. */
  failures: string[];
}

export interface DrainReport extends DrainAnalysis {
  /** Orders converged (in the ERP with invoice and payment) per 5 s after the last kill: [before it, 0–5 s, 5–10 s, …]. */
  ordersDonePer5s: number[];
  /** Breakers opened after the last kill (from the nodes' logs): seconds after it, and system. */
  breakerOpens: string[];
  /** Reaps after the last kill: seconds after it and jobs released. */
  reaps: string[];
  /** The jobs of the last orders to converge, transition by transition (s after the last kill). */
  lastOrders: string[];
  /** The runner's own order checks (they share the event loop with the simulators): how many, ms in all. */
  checks: { count: number; ms: number };
}

const SECRET = 'chaos-webhook-secret';
const DEFAULT_RATES: FaultRates = { error5xx: 0.03, rateLimit: 0.02, drop: 0.02, lostReply: 0.02, timeout: 0.01 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runChaos(opts: ChaosOptions): Promise<ChaosReport> {
  const say = opts.log ?? (() => undefined);
  const random = seededRandom(opts.seed);
  const dir = mkdtempSync(join(tmpdir(), 'tandem-chaos-'));
  const pg = opts.store === 'postgres' ? await createTestStoreUrl('postgres') : undefined;
  const storeUrl = pg?.url ?? `sqlite:${join(dir, 'tandem.db')}`;
  const odoo = await startOdooSimulator({ version: 17, currency: 'EUR' });
  const shop = await startRestShopSimulator({ currency: 'EUR' });
  const odooProxy = await startFaultProxy(odoo.url, { seed: opts.seed * 2 + 1, holdMs: 4000, keyed: true });
  const shopProxy = await startFaultProxy(shop.url, { seed: opts.seed * 2 + 2, holdMs: 4000, keyed: true });
  let fleet: ReturnType<typeof startFleet> | undefined;
  let tracker: ReturnType<typeof trackJobs> | undefined;
  let trackStore: Awaited<ReturnType<typeof openStore>> | undefined;
  try {
    // the runner's own engine (setup, stock check) runs no workers: a small pool, so the nodes keep
    // PostgreSQL's connections (3 nodes × (pool 36 + listener) is most of a default max_connections 100)
    const input = (direct: boolean): ConfigInput => ({
      store: direct ? { url: storeUrl, pool: 4 } : { url: storeUrl, ...(opts.pool !== undefined && { pool: opts.pool }) },
      log: { level: 'warn' },
      systems: {
        shop: { type: 'rest-shop', url: direct ? shop.url : shopProxy.url, auth: { type: 'bearer', token: '${SHOP_TOKEN}' }, webhookSecret: '${SHOP_WEBHOOK_SECRET}', currency: 'EUR', timeout: '3s' },
        erp: { type: 'odoo', url: direct ? odoo.url : odooProxy.url, db: odoo.db, user: odoo.admin.login, apiKey: '${ODOO_API_KEY}', timeout: '3s' },
      },
      flows: [
        { entity: 'product', direction: 'shop->erp', schedule: '1h' },
        { entity: 'order', direction: 'both', schedule: '3s' },
        { entity: 'stock', direction: 'erp->shop', schedule: '3s' },
      ],
      orders: { taxes: [{ rate: '20', erpTax: DEMO_TAX }] },
      workers: direct ? { concurrency: 2, leaseTimeout: '20s' } : { leaseTimeout: '20s', ...(opts.pool !== undefined && { concurrency: opts.pool - 4 }) },
      reconcile: { schedule: null },
    });
    const env = { SHOP_TOKEN: shop.token, SHOP_WEBHOOK_SECRET: SECRET, ODOO_API_KEY: odoo.admin.apiKey };
    // the catalog, synced once without faults
    const direct = () => createEngine({ config: Config.parse(JSON.parse(JSON.stringify(input(true)).replaceAll('${SHOP_TOKEN}', shop.token).replaceAll('${SHOP_WEBHOOK_SECRET}', SECRET).replaceAll('${ODOO_API_KEY}', odoo.admin.apiKey))), storeUrl, log: pino({ level: 'silent' }) });
    const setup = await direct();
    await seedDemo({ engine: setup, odoo } as unknown as Stack);
    await syncAll(setup, { kind: 'initial' });
    await setup.erp.stock.setOnHand([{ sku: 'SOCK-3', location: 'WH/Stock', onHand: 100_000 }]);
    await syncAll(setup, { kind: 'initial', entities: ['stock'] });
    await setup.close();
    writeFileSync(join(dir, 'tandem.yaml'), stringify(input(false)));

    const nodes = opts.nodes ?? (opts.store === 'postgres' ? 2 : 1);
    const killMode = opts.killMode ?? 'even';
    trackStore = await openStore(storeUrl, { log: pino({ level: 'silent' }), poolMax: 2 });
    tracker = trackJobs(trackStore.db as never);
    fleet = startFleet({ count: nodes, dir, env });
    for (let i = 0; i < nodes; i++) await fleet.start(i);
    const urls = fleet.urls;
    const deliverer = createDeliverer(random, { drop: 0.05, duplicate: 0.15, delayMaxMs: 400, replay: 0.1 }, () => urls.filter(Boolean), SECRET);

    // the burst, with faults and kills (the kill plan has its own PRNG: the faults' decisions do not move with it)
    odooProxy.setRates(opts.rates ?? DEFAULT_RATES);
    shopProxy.setRates(opts.rates ?? DEFAULT_RATES);
    const plan = planKills(seededRandom(opts.seed * 2 + 4), { orders: opts.orders, kills: opts.kills, nodes, mode: killMode });
    const numbers: string[] = [];
    const shopIds: string[] = [];
    const burstStart = Date.now();
    let outageStart = 0;
    for (let n = 0; n < opts.orders; n++) {
      if (opts.outageMs && n === Math.floor(opts.orders / 2)) {
        say(`Odoo down for ${opts.outageMs} ms after ${n} orders`);
        odooProxy.setDown('refuse');
        // the outage is the fault now: the random faults pause until every order is in (that is what is measured)
        odooProxy.setRates({});
        shopProxy.setRates({});
        outageStart = Date.now();
      }
      // a kill whose node cannot go (only one node up) waits for the next order: kills move later, never vanish
      while (plan.length && plan[0]!.atOrder <= n) {
        const k = plan[0]!;
        const victim = killMode === 'even' ? k.victim : fleet.pickUp(k.victim);
        if (victim === undefined) break;
        plan.shift();
        say(`kill -9 serve #${victim} after ${n} orders${k.downMs ? `, back in ${k.downMs} ms` : ''}${k.atOrder < n ? ` (planned after ${k.atOrder})` : ''}`);
        await fleet.kill(victim, k.downMs, { burstStart, atOrder: n });
      }
      if (n === Math.floor(opts.orders / 3)) say(`stock counted in Odoo: ${countErpStock(odoo, seededRandom(opts.seed * 2 + 3)).join(', ')}`);
      const id = await shop.placeOrder({ email: `chaos${n % 7}@example.com`, firstName: 'Chaos', lastName: `Buyer${n % 7}`, lines: [{ sku: 'SOCK-3', quantity: 1 + (n % 3) }], paid: true });
      const order = shop.state.order(id)!;
      numbers.push(order.number);
      shopIds.push(id);
      deliverer.send('order.created', { id: Number(id) });
      await sleep(25); // a burst, not a single instant: the kills land while orders are being imported
    }
    // kills still due (their node was the last one up): while the burst's work drains, as soon as a second node is up
    for (const k of [...plan]) {
      const waitUntil = Date.now() + 30_000;
      let victim = fleet.pickUp(k.victim);
      while (victim === undefined && Date.now() < waitUntil) {
        await sleep(100);
        victim = fleet.pickUp(k.victim);
      }
      if (victim === undefined) break;
      plan.shift();
      say(`kill -9 serve #${victim} after the last order, back in ${k.downMs} ms (planned after ${k.atOrder})`);
      await fleet.kill(victim, k.downMs, { burstStart, atOrder: opts.orders });
    }
    const skippedKills = plan.length; // no second node up within 30 s
    if (skippedKills) say(`${skippedKills} kills not done: only one node was up`);
    // from the last kill (or the last order) until every order is in the ERP once with its invoice and payment
    // The checks read the simulators, which run in this process: every check takes their event loop (a
    // full check of 200 orders costs ~75 ms at load 12; two loops checking every 250 ms took ~27 % of
    // it, so the nodes' calls timed out). One poller, every 500 ms, over the orders not converged yet;
    // the verdict's check at the end is a full one (an order seen converged is not looked at again
    // until then: a late duplicate still fails the run).
    const checks = { count: 0, ms: 0 };
    const orderDoneAt = new Map<string, number>();
    const checkOpen = () => {
      const t0 = performance.now();
      const open = numbers.filter((n) => !orderDoneAt.has(n));
      const c = checkOrders(odoo.env, open);
      const now = Date.now();
      const failing = new Set([...c.missing, ...c.duplicated, ...c.withoutInvoice, ...c.withoutPayment]);
      for (const n of open) if (!failing.has(n)) orderDoneAt.set(n, now);
      checks.count += 1;
      checks.ms += performance.now() - t0;
      return orderDoneAt.size === numbers.length;
    };
    const lastKill = fleet.kills.length ? burstStart + fleet.kills[fleet.kills.length - 1]!.atMs : Date.now();
    const timeout = opts.convergeTimeoutMs ?? 120_000;
    // when each order converged (first seen in the ERP with its invoice and payment), and all of them
    let stopChecks = false;
    const drained = (async () => {
      while (!stopChecks && Date.now() - lastKill < timeout + 60_000 + (opts.outageMs ?? 0)) {
        if (checkOpen()) return Date.now();
        await sleep(500);
      }
      return null;
    })();
    let outageRecoveredMs: number | null | undefined;
    if (outageStart) {
      await sleep(Math.max(0, outageStart + opts.outageMs! - Date.now()));
      odooProxy.setDown(false);
      const back = Date.now();
      while (checkOrders(odoo.env, numbers).missing.length && Date.now() - back < 120_000) await sleep(100);
      outageRecoveredMs = checkOrders(odoo.env, numbers).missing.length ? null : Date.now() - back;
      say(`Odoo back: every order in Odoo ${outageRecoveredMs} ms later`);
      odooProxy.setRates(opts.rates ?? DEFAULT_RATES);
      shopProxy.setRates(opts.rates ?? DEFAULT_RATES);
    }
    deliverer.replayCaptured();
    await deliverer.flush();
    const burstMs = Date.now() - burstStart;
    if (deliverer.failures.length) say(`deliveries lost: ${deliverer.failures.slice(0, 5).join('; ')}`);
    await sleep(opts.faultTailMs ?? 5000); // the faults go on while the work of the burst runs
    await fleet.settled(); // every killed node is up again
    odooProxy.setRates({});
    shopProxy.setRates({});
    say(`burst of ${opts.orders} orders in ${burstMs} ms; faults stop now`);

    // convergence
    const faultsStopped = Date.now();
    let convergedMs: number | null = null;
    const drainedAt = await Promise.race([drained, sleep(timeout).then(() => null)]);
    stopChecks = true;
    if (drainedAt !== null) convergedMs = Math.max(0, drainedAt - faultsStopped);
    const drainAfterLastKillMs = drainedAt === null ? null : drainedAt - lastKill;
    if (fleet.kills.length) say(`every order in the ERP with its invoice and payment ${drainAfterLastKillMs} ms after the last kill`);
    await tracker.stop();
    let drain: DrainReport | undefined;
    if (fleet.kills.length) {
      const killed = fleet.kills.map((k) => ({ pid: k.pid, at: burstStart + k.atMs }));
      const deadWorker = (lockedBy: string, t: number) => killed.some((k) => lockedBy.split(':')[1] === String(k.pid) && k.at <= t);
      const until = drainedAt ?? Date.now();
      const per5s: number[] = [];
      for (const at of orderDoneAt.values()) {
        const b = at < lastKill ? 0 : 1 + Math.floor((at - lastKill) / 5000);
        while (per5s.length <= b) per5s.push(0);
        per5s[b]! += 1;
      }
      const last = [...orderDoneAt.entries()].sort((a, b) => b[1] - a[1]).slice(0, 2);
      const secs = (t: number) => `${((t - lastKill) / 1000).toFixed(1)}s`;
      if (process.env.CHAOS_TIMELINE_DUMP) writeFileSync(process.env.CHAOS_TIMELINE_DUMP, JSON.stringify({ lastKill, burstStart, kills: killed, orderDoneAt: [...orderDoneAt], histories: [...tracker.histories.values()] }));
      drain = {
        ...analyzeDrain(tracker.histories, lastKill, until, deadWorker),
        ordersDonePer5s: per5s,
        breakerOpens: logEvents(fleet.all, 'looks down').filter((e) => e.t >= lastKill).map((e) => `${secs(e.t)} ${String(e.line.system)}`),
        reaps: logEvents(fleet.all, 'are gone').filter((e) => e.t >= lastKill - 20_000).map((e) => `${secs(e.t)} ${String(e.line.jobs)} jobs`),
        checks: { count: checks.count, ms: Math.round(checks.ms) },
        lastOrders: last.flatMap(([n, at]) => [`order ${n} converged ${secs(at)}:`, ...describeKey(tracker!.histories, `order:${shopIds[numbers.indexOf(n)]}`, lastKill)]),
      };
    }
    // stock: the serves' stock flow (every 3 s) settles the shop to Odoo's available quantities
    const checker = await direct();
    const stockStart = Date.now();
    let stock = await stockMismatches(checker);
    while (stock.length && Date.now() - stockStart < 30_000) {
      await sleep(500);
      stock = await stockMismatches(checker);
    }
    const stockSettledMs = stock.length ? null : Date.now() - stockStart;
    await checker.close();
    say(`stock ${stock.length ? `${stock.length} mismatches` : `settled ${stockSettledMs} ms after the orders`}`);
    const store = await openStore(storeUrl, { log: pino({ level: 'silent' }), poolMax: 2 });
    const jobs = (await store.db.selectFrom('jobs').select(['id', 'kind', 'key', 'state', 'run_at', 'locked_until', 'locked_by', 'attempts', 'failed_attempts']).execute()) as (JobRow & {
      id: number;
      kind: string;
      key: string | null;
      locked_by: string | null;
      failed_attempts: number;
    })[];
    const checkedAt = Date.now();
    // order jobs by why they were enqueued (payload.reason: webhook:created, poll:shop, poll:erp, follow-up, …)
    const reasons = await store.db.selectFrom('jobs').select('payload').where('kind', '=', 'order.sync').execute();
    const orderJobsByReason: Record<string, number> = {};
    for (const r of reasons) {
      const payload = (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as { reason?: string } | null;
      const why = payload?.reason ?? 'unknown';
      orderJobsByReason[why] = (orderJobsByReason[why] ?? 0) + 1;
    }
    // the jobs the verdict calls stuck, and what their key's other open jobs do (summarizeJobs' rule)
    const stuck = jobs
      .filter((j) => (j.state === 'queued' && Number(j.run_at) < checkedAt - 30_000) || (j.state === 'running' && Number(j.locked_until) < checkedAt - 30_000))
      .map((j) => {
        const others = jobs.filter((o) => o.key !== null && o.key === j.key && o.id !== j.id && (o.state === 'queued' || o.state === 'running'));
        const what = (x: typeof j) =>
          `${x.id} ${x.state}#${x.attempts} ${x.state === 'running' ? `lease ${((Number(x.locked_until) - checkedAt) / 1000).toFixed(0)} s on ${x.locked_by}` : `due ${((checkedAt - Number(x.run_at)) / 1000).toFixed(0)} s ago`}`;
        return `${j.kind} ${j.key ?? ''}: ${what(j)}${others.length ? `; its key: ${others.map(what).join(', ')}` : ''}`;
      });
    const lost = jobs.filter((j) => j.state === 'done').map((j) => Math.max(0, Number(j.attempts) - 1 - Number(j.failed_attempts)));
    await store.close();
    const js = summarizeJobs(jobs, checkedAt);
    const final = checkOrders(odoo.env, numbers);
    const restartFailures = fleet.kills.filter((k) => k.restartError).map((k) => `node ${k.node} did not come back: ${k.restartError}`);
    const failures = [...restartFailures, ...verdict({ orders: final, jobs: js, convergedMs, outageRecoveredMs, stockMismatches: stock, kills: { planned: killMode === 'even' ? opts.kills : fleet.kills.length, done: fleet.kills.length } })];
    return {
      seed: opts.seed,
      store: opts.store,
      serves: nodes,
      killMode,
      orders: opts.orders,
      kills: fleet.kills.length,
      skippedKills,
      killLog: fleet.kills,
      releasedAfterKillMs: releaseTimes(fleet.kills, burstStart, logEvents(fleet.all, 'are gone')),
      drainAfterLastKillMs,
      rerunJobs: js.rerunJobs,
      extraAttempts: js.extraAttempts,
      lostRuns: lost.reduce((a, b) => a + b, 0),
      maxLostRuns: Math.max(0, ...lost),
      reapedJobs: reapedJobs(fleet.all),
      ...(drain && { drain }),
      faults: { odoo: { ...odooProxy.counts }, shop: { ...shopProxy.counts }, webhooks: { ...deliverer.counts } },
      burstMs,
      ...(outageRecoveredMs !== undefined && { outageRecoveredMs }),
      convergedMs,
      ...final,
      deadLetters: js.deadLetters,
      stuckJobs: js.stuckJobs,
      stuck,
      orderJobsByReason,
      stockMismatches: stock,
      stockSettledMs,
      ok: failures.length === 0,
      failures,
    };
  } finally {
    await tracker?.stop();
    await trackStore?.close();
    await fleet?.stop();
    await Promise.allSettled([odooProxy.close(), shopProxy.close(), odoo.close(), shop.close()]);
    await pg?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}
