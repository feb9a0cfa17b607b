/**
 * `tandem plan`: a dry run over both systems. It shows what a sync would create / update / link / skip per
 * entity and direction, with examples — and writes nothing: no write call reaches either simulator and
 * the store (links, cursors, jobs, runs, …) is unchanged. On SQLite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncAll } from '../../src/engine/initial-sync.js';
import type { RunningEngine } from '../../src/engine/create-engine.js';
import { run } from '../../src/cli/main.js';
import { createTestStoreUrl, tempDir, testStoreKinds, type TestStoreUrl } from '../helpers/db.js';
import { startSims, type Sims } from './support/sims.js';
import { e2eConfig, secretEnv, writeConfigFile } from './support/config.js';
import { openEngine } from './support/engine.js';
import { AMBIGUOUS_SKU, productSku, seedCatalog, type SeededCatalog } from './support/seed-catalog.js';
import { storeSnapshot } from './support/inspect.js';
import { captureIO } from './support/cli.js';

const BARCODE_40 = '4000400000001'; // the seeded barcode of P0040
const SPEC = { products: 40, simpleEvery: 4, customers: 20, overlapProducts: 8, odooOnlyProducts: 5, overlapCustomers: 6, odooOnlyCustomers: 3, ambiguousSku: true };

describe.each(testStoreKinds())('tandem plan (%s)', (kind) => {
  let sims: Sims;
  let store: TestStoreUrl;
  let engine: RunningEngine;
  let catalog: SeededCatalog;
  let tmp: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    sims = await startSims();
    store = await createTestStoreUrl(kind);
    tmp = await tempDir('tandem-plan-');
    catalog = seedCatalog(sims, SPEC);
    // Odoo has the shop's P0040 under an older SKU, with the same barcode: matched by barcode, not created again
    sims.odoo.env.create('product.template', { name: 'Simple product 0040', default_code: 'OLD-0040', barcode: BARCODE_40, list_price: 10, detailed_type: 'product', sale_ok: true });
    engine = await openEngine(e2eConfig(sims, { storeUrl: store.url }));
  });

  afterAll(async () => {
    await engine?.close();
    await sims?.close();
    await store?.cleanup();
    await tmp?.cleanup();
  });

  const counts = (reports: Awaited<ReturnType<typeof syncAll>>['reports'], entity: string, direction: string) => reports.find((r) => r.entity === entity && r.direction === direction)!.counts;

  it('before the first sync: what would be created and linked, per entity and direction — and nothing written', async () => {
    const writes = sims.writes();
    const snapshot = await storeSnapshot(engine);
    const { reports } = await syncAll(engine, { kind: 'plan' });
    expect(sims.writes()).toEqual(writes);
    expect(await storeSnapshot(engine)).toEqual(snapshot);

    expect(counts(reports, 'category', 'shop->erp')).toMatchObject({ read: 3, created: 3 });
    const products = counts(reports, 'product', 'shop->erp');
    expect(products).toMatchObject({ read: SPEC.products + 1, created: SPEC.products - SPEC.overlapProducts - 1, failed: 1 });
    expect(products.linked + products.updated).toBe(SPEC.overlapProducts + 1);
    // the other way: the Odoo-only products would be created in the shop, the shared ones are found there
    const back = counts(reports, 'product', 'erp->shop');
    expect(back.created).toBe(SPEC.odooOnlyProducts);
    expect(back.linked + back.updated).toBe(SPEC.overlapProducts + 1);
    expect(counts(reports, 'customer', 'shop->erp')).toMatchObject({ created: SPEC.customers - SPEC.overlapCustomers });
    expect(counts(reports, 'customer', 'erp->shop')).toMatchObject({ created: SPEC.odooOnlyCustomers });
    expect(counts(reports, 'stock', 'erp->shop').updated).toBeGreaterThan(0);
    // first examples name the records
    const productReport = reports.find((r) => r.entity === 'product' && r.direction === 'shop->erp')!;
    expect(productReport.examples.created!.map((e) => e.label)).toContain(productSku(SPEC.overlapProducts + 4));
    expect(productReport.problems).toEqual([expect.objectContaining({ label: AMBIGUOUS_SKU, reason: expect.stringContaining('does not guess') })]);
  });

  it('`tandem plan` prints the table, examples and the refused record; `--json` the same as data; nothing written', async () => {
    writeConfigFile(tmp.dir, sims, { storeUrl: store.url });
    const writes = sims.writes();
    const snapshot = await storeSnapshot(engine);
    const human = captureIO({ cwd: tmp.dir, env: secretEnv(sims) });
    expect(await run(['node', 'tandem', 'plan'], human)).toBe(0);
    const text = human.stdoutText();
    expect(text).toContain('plan (dry run: nothing is written anywhere)');
    expect(text).toMatch(new RegExp(`product\\s+shop->erp\\s+${SPEC.products + 1}\\s+${SPEC.products - SPEC.overlapProducts - 1}\\s`));
    expect(text).toMatch(/product shop->erp created: P\d{4}/);
    expect(text).toContain(`failed product ${AMBIGUOUS_SKU} (shop->erp)`);

    const machine = captureIO({ cwd: tmp.dir, env: secretEnv(sims) });
    expect(await run(['node', 'tandem', 'plan', 'customer', '--json'], machine)).toBe(0);
    const plan = JSON.parse(machine.stdoutText()) as { dryRun: boolean; reports: Array<{ entity: string; direction: string; counts: Record<string, number> }> };
    expect(plan.dryRun).toBe(true);
    expect(plan.reports.map((r) => [r.entity, r.direction, r.counts.created])).toEqual([
      ['customer', 'shop->erp', SPEC.customers - SPEC.overlapCustomers],
      ['customer', 'erp->shop', SPEC.odooOnlyCustomers],
    ]);
    expect(sims.writes()).toEqual(writes);
    expect(await storeSnapshot(engine)).toEqual(snapshot);
  });

  it('after a sync: a change on each side shows as one update, still writing nothing', async () => {
    const initial = await syncAll(engine, { kind: 'initial' });
    const byBarcode = initial.reports.find((r) => r.entity === 'product' && r.direction === 'shop->erp')!;
    expect(sims.odoo.env.searchRead('product.product', [['barcode', '=', BARCODE_40]], ['default_code'])).toEqual([expect.objectContaining({ default_code: productSku(40) })]);
    expect(byBarcode.counts.created).toBe(SPEC.products - SPEC.overlapProducts - 1);
    const shopProduct = sims.shop.state.productBySku(productSku(12))!;
    sims.shop.seed.products([{ id: shopProduct.id, name: 'Renamed in the shop' }]);
    const [partner] = sims.odoo.env.search('res.partner', [['email', '=', catalog.odooOnlyEmails[0]!]]);
    sims.odoo.env.write('res.partner', [partner!], { name: 'Renamed Inodoo' });
    const writes = sims.writes();
    const snapshot = await storeSnapshot(engine);
    const { reports } = await syncAll(engine, { kind: 'plan', entities: ['product', 'customer'] });
    expect(sims.writes()).toEqual(writes);
    expect(await storeSnapshot(engine)).toEqual(snapshot);
    // incremental: only what changed since the sync's cursor is read (the dead-lettered SKU waits in the DLQ)
    expect(counts(reports, 'product', 'shop->erp')).toMatchObject({ created: 0, updated: 1, failed: 0 });
    expect(reports.find((r) => r.entity === 'product' && r.direction === 'shop->erp')!.examples.updated!.map((e) => e.label)).toEqual([productSku(12)]);
    // the customer flow is two-way with the shop owning every field: an ERP rename is not written back
    expect(counts(reports, 'customer', 'erp->shop')).toMatchObject({ created: 0, updated: 0 });
    expect(counts(reports, 'customer', 'shop->erp')).toMatchObject({ created: 0, updated: 0 });
  });
});
