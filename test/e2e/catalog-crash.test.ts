/**
 * A crash in the middle of an initial sync: `tandem sync --initial` runs as its own process (SQLite file
 * store) against the simulators of the test process, and is killed with SIGKILL once Odoo shows that it
 * has written part of the catalog — first while products are being created, then (rerun) while customers
 * are. A last rerun finishes: nothing exists twice on either side and reconcile finds 0 differences.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/db.js';
import { startSims, type Sims } from './support/sims.js';
import { CATALOG_FLOWS, e2eConfig, secretEnv, writeConfigFile } from './support/config.js';
import { openEngine, quietLog } from './support/engine.js';
import { createEngine } from '../../src/engine/create-engine.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import { seedCatalog, type SeededCatalog } from './support/seed-catalog.js';
import { duplicates, odooCensus, shopCensus } from './support/inspect.js';
import { spawnTandem, until } from './support/spawn-tandem.js';

const SPEC = { products: 300, simpleEvery: 3, customers: 150, overlapProducts: 30, odooOnlyProducts: 20, overlapCustomers: 20, odooOnlyCustomers: 10 };

describe('initial sync killed mid-way, then rerun', () => {
  let sims: Sims;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let catalog: SeededCatalog;
  let env: Record<string, string>;
  const templates = () => sims.odoo.env.search('product.template', [], { context: { active_test: false } }).length;
  const partners = () => sims.odoo.env.search('res.partner', [['customer_rank', '>', 0], ['parent_id', '=', false]]).length;

  beforeAll(async () => {
    sims = await startSims();
    tmp = await tempDir('tandem-crash-');
    catalog = seedCatalog(sims, SPEC);
    // small batches written one at a time and a little latency per Odoo call: many commits, so a kill lands
    // between two of them (groups written at once are killed in the test below)
    sims.odoo.faults.latencyMs = 2;
    writeConfigFile(tmp.dir, sims, { storeUrl: 'sqlite:tandem.db', flows: CATALOG_FLOWS.map((f) => ({ ...f, batchSize: 25 })), erp: { writeBatchSize: 25, writeConcurrency: 1 } });
    env = secretEnv(sims);
  });

  afterAll(async () => {
    await sims?.close();
    await tmp?.cleanup();
  });

  it('SIGKILL while products are created, SIGKILL again while customers are, then a rerun: no duplicates, 0 differences', async () => {
    const templatesBefore = templates();
    const toCreate = SPEC.products - SPEC.overlapProducts;
    const first = spawnTandem(['sync', '--initial'], { cwd: tmp.dir, env });
    await until(() => templates() >= templatesBefore + toCreate / 2, { what: 'half of the products in Odoo', process: first });
    first.child.kill('SIGKILL');
    const killed1 = await first.exited;
    expect(killed1.signal).toBe('SIGKILL');
    expect(templates()).toBeLessThan(templatesBefore + toCreate); // it really died mid-way

    const partnersBefore = partners();
    const second = spawnTandem(['sync', '--initial'], { cwd: tmp.dir, env });
    await until(() => partners() >= partnersBefore + (SPEC.customers - SPEC.overlapCustomers) / 3, { what: 'a third of the customers in Odoo', process: second, timeoutMs: 45_000 });
    second.child.kill('SIGKILL');
    expect((await second.exited).signal).toBe('SIGKILL');
    expect(partners()).toBeLessThan(partnersBefore + SPEC.customers - SPEC.overlapCustomers);

    sims.odoo.faults.latencyMs = 0;
    const last = await spawnTandem(['sync', '--initial', '--json'], { cwd: tmp.dir, env }).exited;
    expect(last.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const out = JSON.parse(last.stdout) as { reports: Array<{ entity: string; direction: string; counts: Record<string, number> }>; reconcile: { differences: unknown[]; entities: Array<{ entity: string; linked: number }> }; jobs: Record<string, number> };
    expect(out.reconcile.differences).toEqual([]);
    expect(last.code, JSON.stringify(out.reports.filter((r) => r.counts.failed), null, 1)).toBe(0);
    expect(out.jobs.dead).toBe(0);
    // the resumed product run did not start over: the customers run was the one interrupted last
    const linked = Object.fromEntries(out.reconcile.entities.map((e) => [e.entity, e.linked]));
    expect(linked).toMatchObject({ product: SPEC.products + SPEC.odooOnlyProducts, customer: SPEC.customers + SPEC.odooOnlyCustomers, category: 3 });

    const shop = shopCensus(sims);
    const odoo = odooCensus(sims);
    expect(duplicates(shop.skus)).toEqual([]);
    expect(duplicates(odoo.skus)).toEqual([]);
    expect(duplicates(shop.emails)).toEqual([]);
    expect(duplicates(odoo.emails)).toEqual([]);
    for (const sku of catalog.expectedSkus) expect([shop.skus.get(sku), odoo.skus.get(sku)], sku).toEqual([1, 1]);
    expect(templates()).toBe(templatesBefore + toCreate);
    expect(sims.odoo.env.search('product.category', [['name', 'in', ['Shirts', 'Basics', 'Sale']]])).toHaveLength(3);
  });
});

describe('death between an Odoo template create and the write of its variants\' SKUs', () => {
  it('the rerun completes the half-created templates instead of creating them again', async () => {
    const sims = await startSims();
    const tmp = await tempDir('tandem-orphan-');
    try {
      seedCatalog(sims, { products: 6, simpleEvery: 1000, customers: 0, overlapProducts: 0, odooOnlyProducts: 0, overlapCustomers: 0, odooOnlyCustomers: 0 });
      const config = e2eConfig(sims, { storeUrl: `sqlite:${tmp.dir}/tandem.db`, flows: [{ entity: 'product', direction: 'shop->erp' }] });
      // the process "dies" (its connection drops) right after Odoo created the templates, before the SKUs are written
      let died = 0;
      const dying: typeof fetch = async (input, init) => {
        const body = typeof init?.body === 'string' ? init.body : '';
        if (body.includes('"product.template"') && body.includes('"write"') && body.includes('product_variant_ids')) {
          died += 1;
          throw new TypeError('fetch failed (the process died)');
        }
        return fetch(input, init);
      };
      const first = await createEngine({ config, storeUrl: config.store.url, log: quietLog(), fetch: dying });
      const interrupted = await syncAll(first, { kind: 'initial' });
      await first.close();
      expect(died).toBe(1); // the variants of the batch's 6 templates are written in one call
      // a transient failure: retried later (a queued record job), not buried in the dead letters
      const r = interrupted.reports.find((x) => x.entity === 'product')!;
      expect(r.counts).toMatchObject({ created: 0, failed: 0, skipped: 6 });
      expect(r.problems.every((p) => /fetch failed.*retried later/.test(p.reason ?? ''))).toBe(true);
      const orphans = sims.odoo.env.searchRead('product.product', [['name', 'ilike', 'Shirt'], ['default_code', '=', false]], ['id']);
      expect(orphans.length).toBe(6 * 4); // the state a crash leaves: templates and variants, no SKUs

      const rerun = await openEngine(config);
      expect(await rerun.queue.counts()).toMatchObject({ queued: 6, dead: 0 });
      const summary = await syncAll(rerun, { kind: 'initial', reconcile: true });
      await rerun.close();
      expect(summary.reconcile!.differences).toEqual([]);
      expect(sims.odoo.env.search('product.template', [['name', 'ilike', 'Shirt']])).toHaveLength(6);
      expect(duplicates(odooCensus(sims).skus)).toEqual([]);
      expect(sims.odoo.env.search('product.product', [['name', 'ilike', 'Shirt'], ['default_code', '=', false]])).toEqual([]);
    } finally {
      await sims.close();
      await tmp.cleanup();
    }
  });
});
