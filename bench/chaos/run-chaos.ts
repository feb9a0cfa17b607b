/**
 * The seeded chaos suite. The simulators (Odoo 17, REST shop) sit behind seeded fault proxies (5xx, 429 +
 * Retry-After, dropped connections, replies lost or held past the client's timeout AFTER the system
 * executed the call); shop webhooks are dropped, duplicated, reordered and replayed by the seeded
 * deliverer; `tandem serve` runs as real processes (one on SQLite, two on PostgreSQL) and gets `kill -9`
 * during the burst of orders. Then the faults stop and the suite waits until everything converged:
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
import { spawnTandem, until, type TandemProcess } from '../../test/e2e/support/spawn-tandem.js';
import { createDeliverer } from './deliver.js';
import { countErpStock, stockMismatches, type StockMismatch } from './stock-check.js';

export interface ChaosOptions {
  seed: number;
  orders: number;
  kills: number;
  store: 'sqlite' | 'postgres';
  /** Faults per call through the proxies during the burst. */
  rates?: FaultRates;
  convergeTimeoutMs?: number;
  /** How long the faults go on after the last order (default 5 s). */
  faultTailMs?: number;
  /** An Odoo outage (every connection refused) this long, starting after half the orders (default none). */
  outageMs?: number;
  log?: (line: string) => void;
}

export interface ChaosReport {
  seed: number;
  store: string;
  serves: number;
  orders: number;
  kills: number;
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
  const serves: TandemProcess[] = [];
  const urls: string[] = [];
  try {
    const input = (direct: boolean): ConfigInput => ({
      store: { url: storeUrl },
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
      workers: { leaseTimeout: '20s' },
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

    const start = async (i: number) => {
      const p = spawnTandem(['serve', '--port', '0'], { cwd: dir, env });
      await until(() => /listening on (http:\/\/\S+) /.test(p.stderr()), { what: 'tandem serve to listen', process: p, timeoutMs: 30_000 });
      serves[i] = p;
      urls[i] = `${/listening on (http:\/\/\S+) /.exec(p.stderr())![1]!}/webhooks/shop`;
    };
    const processes = opts.store === 'postgres' ? 2 : 1;
    for (let i = 0; i < processes; i++) await start(i);
    const deliverer = createDeliverer(random, { drop: 0.05, duplicate: 0.15, delayMaxMs: 400, replay: 0.1 }, () => urls.filter(Boolean), SECRET);

    // the burst, with faults and kills
    odooProxy.setRates(opts.rates ?? DEFAULT_RATES);
    shopProxy.setRates(opts.rates ?? DEFAULT_RATES);
    const killAt = new Set(Array.from({ length: opts.kills }, (_, k) => Math.floor(((k + 1) * opts.orders) / (opts.kills + 1))));
    const numbers: string[] = [];
    const burstStart = Date.now();
    let kills = 0;
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
      if (killAt.has(n)) {
        const victim = kills % processes;
        say(`kill -9 serve #${victim} after ${n} orders`);
        urls[victim] = '';
        serves[victim]!.child.kill('SIGKILL');
        await serves[victim]!.exited;
        kills += 1;
        await start(victim);
      }
      if (n === Math.floor(opts.orders / 3)) say(`stock counted in Odoo: ${countErpStock(odoo, seededRandom(opts.seed * 2 + 3)).join(', ')}`);
      const id = await shop.placeOrder({ email: `chaos${n % 7}@example.com`, firstName: 'Chaos', lastName: `Buyer${n % 7}`, lines: [{ sku: 'SOCK-3', quantity: 1 + (n % 3) }], paid: true });
      const order = shop.state.order(id)!;
      numbers.push(order.number);
      deliverer.send('order.created', { id: Number(id) });
      await sleep(25); // a burst, not a single instant: the kills land while orders are being imported
    }
    let outageRecoveredMs: number | null | undefined;
    if (outageStart) {
      await sleep(Math.max(0, outageStart + opts.outageMs! - Date.now()));
      odooProxy.setDown(false);
      const back = Date.now();
      while (check(odoo, numbers).missing.length && Date.now() - back < 120_000) await sleep(100);
      outageRecoveredMs = check(odoo, numbers).missing.length ? null : Date.now() - back;
      say(`Odoo back: every order in Odoo ${outageRecoveredMs} ms later`);
      odooProxy.setRates(opts.rates ?? DEFAULT_RATES);
      shopProxy.setRates(opts.rates ?? DEFAULT_RATES);
    }
    deliverer.replayCaptured();
    await deliverer.flush();
    const burstMs = Date.now() - burstStart;
    if (deliverer.failures.length) say(`deliveries lost: ${deliverer.failures.slice(0, 5).join('; ')}`);
    await sleep(opts.faultTailMs ?? 5000); // the faults go on while the work of the burst runs
    odooProxy.setRates({});
    shopProxy.setRates({});
    say(`burst of ${opts.orders} orders in ${burstMs} ms; faults stop now`);

    // convergence
    const faultsStopped = Date.now();
    const state = () => check(odoo, numbers);
    let convergedMs: number | null = null;
    while (Date.now() - faultsStopped < (opts.convergeTimeoutMs ?? 120_000)) {
      const s = state();
      if (!s.missing.length && !s.duplicated.length && !s.withoutInvoice.length && !s.withoutPayment.length) {
        convergedMs = Date.now() - faultsStopped;
        break;
      }
      await sleep(250);
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
    const store = await openStore(storeUrl, { log: pino({ level: 'silent' }) });
    const jobs = await store.db.selectFrom('jobs').select(['state', 'run_at', 'locked_until', 'kind']).where('state', 'in', ['queued', 'running', 'dead']).execute();
    await store.close();
    const now = Date.now();
    const deadLetters = jobs.filter((j) => j.state === 'dead').length;
    const stuckJobs = jobs.filter((j) => (j.state === 'queued' && Number(j.run_at) < now - 30_000) || (j.state === 'running' && Number(j.locked_until) < now - 30_000)).length;
    const final = state();
    const report: ChaosReport = {
      seed: opts.seed,
      store: opts.store,
      serves: processes,
      orders: opts.orders,
      kills,
      faults: { odoo: { ...odooProxy.counts }, shop: { ...shopProxy.counts }, webhooks: { ...deliverer.counts } },
      burstMs,
      ...(outageRecoveredMs !== undefined && { outageRecoveredMs }),
      convergedMs,
      ...final,
      deadLetters,
      stuckJobs,
      stockMismatches: stock,
      stockSettledMs,
      ok: convergedMs !== null && outageRecoveredMs !== null && deadLetters === 0 && stuckJobs === 0 && !final.duplicated.length && !stock.length,
    };
    return report;
  } finally {
    for (const p of serves) if (p && p.child.exitCode === null) p.child.kill('SIGKILL');
    await Promise.allSettled(serves.map((p) => p?.exited));
    await Promise.allSettled([odooProxy.close(), shopProxy.close(), odoo.close(), shop.close()]);
    await pg?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Orders missing in Odoo, imported twice, without a posted invoice, without exactly one payment. */
function check(odoo: Awaited<ReturnType<typeof startOdooSimulator>>, numbers: string[]) {
  const missing: string[] = [];
  const duplicated: string[] = [];
  const withoutInvoice: string[] = [];
  const withoutPayment: string[] = [];
  for (const number of numbers) {
    const sos = odoo.env.searchRead('sale.order', [['client_order_ref', '=', `shop-${number}`]], ['name', 'state']);
    if (sos.length === 0) missing.push(number);
    if (sos.length > 1) duplicated.push(number);
    const so = sos[0];
    if (!so) continue;
    const invoices = odoo.env.searchRead('account.move', [['invoice_origin', '=', String(so.name)], ['move_type', '=', 'out_invoice'], ['state', '=', 'posted']], ['payment_state']);
    if (invoices.length !== 1) withoutInvoice.push(number);
    const payments = odoo.env.searchRead('account.payment', [['ref', '=like', `${number} %`]], ['id']);
    if (payments.length !== 1) withoutPayment.push(number);
  }
  return { missing, duplicated, withoutInvoice, withoutPayment };
}
