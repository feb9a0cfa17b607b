/**
 * Initial sync of a seeded catalog, both ways, against the Odoo and REST shop simulators over HTTP:
 * 520 shop products (most Size × Color), 210 customers with addresses, stock in two ERP warehouses mapped
 * to two shop locations; records that already exist on both sides (same SKUs; emails in another case),
 * records only in Odoo, and one SKU that two Odoo products carry (reported, never guessed).
 * Then: nothing duplicated, reconcile finds no difference but the ambiguous SKU, and a rerun — through the
 * engine and through `tandem sync --initial` — writes nothing anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncAll, type SyncSummary } from '../../src/engine/initial-sync.js';
import { reconcile } from '../../src/engine/reconcile.js';
import { runFlow } from '../../src/engine/run-flow.js';
import type { RunningEngine } from '../../src/engine/create-engine.js';
import { run } from '../../src/cli/main.js';
import { tempDir } from '../helpers/db.js';
import { startSims, type Sims } from './support/sims.js';
import { e2eConfig, secretEnv, writeConfigFile } from './support/config.js';
import { openEngine } from './support/engine.js';
import { AMBIGUOUS_SKU, productSku, seedCatalog, variantSku, customerEmail, type SeededCatalog } from './support/seed-catalog.js';
import { duplicates, odooCensus, odooStock, shopCensus } from './support/inspect.js';
import { captureIO } from './support/cli.js';

const SPEC = { products: 520, simpleEvery: 5, customers: 210, overlapProducts: 60, odooOnlyProducts: 30, overlapCustomers: 40, odooOnlyCustomers: 12, ambiguousSku: true };

describe('initial sync of a seeded catalog, both ways', () => {
  let sims: Sims;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let storeUrl: string;
  let engine: RunningEngine;
  let catalog: SeededCatalog;
  let first: SyncSummary;

  beforeAll(async () => {
    sims = await startSims();
    tmp = await tempDir('tandem-e2e-');
    storeUrl = `sqlite:${tmp.dir}/tandem.db`;
    catalog = seedCatalog(sims, SPEC);
    engine = await openEngine(e2eConfig(sims, { storeUrl }));
    first = await syncAll(engine, { kind: 'initial', reconcile: true });
  });

  afterAll(async () => {
    await engine?.close();
    await sims?.close();
    await tmp?.cleanup();
  });

  const report = (entity: string, direction: string) => {
    const r = first.reports.find((x) => x.entity === entity && x.direction === direction);
    if (!r) throw new Error(`no report for ${entity} ${direction}`);
    return r;
  };

  it('matches existing records by natural key and creates only the missing ones', () => {
    const shopToErp = report('product', 'shop->erp');
    // + one settling pass over what erp->shop created in the shop (read again, nothing to write)
    expect(shopToErp.counts.read).toBe(SPEC.products + 1 + SPEC.odooOnlyProducts);
    expect(shopToErp.counts.unchanged).toBe(SPEC.odooOnlyProducts);
    // the 60 that Odoo already had are linked (updated where the shop's category is new to Odoo), never created
    expect(shopToErp.counts.created).toBe(SPEC.products - SPEC.overlapProducts);
    expect(shopToErp.counts.linked + shopToErp.counts.updated).toBe(SPEC.overlapProducts);
    expect(shopToErp.counts.failed).toBe(1);
    const erpToShop = report('product', 'erp->shop');
    expect(erpToShop.counts.created).toBe(SPEC.odooOnlyProducts);
    const customers = report('customer', 'shop->erp');
    expect(customers.counts.created).toBe(SPEC.customers - SPEC.overlapCustomers);
    expect(customers.counts.linked + customers.counts.updated).toBe(SPEC.overlapCustomers);
    expect(report('customer', 'erp->shop').counts.created).toBe(SPEC.odooOnlyCustomers);
    expect(report('category', 'shop->erp').counts.created).toBe(3);
    expect(first.reports.every((r) => r.problemsDropped === 0)).toBe(true);
  });

  it('duplicates nothing on either side', () => {
    const shop = shopCensus(sims);
    const odoo = odooCensus(sims);
    expect(duplicates(shop.skus)).toEqual([]);
    expect(duplicates(odoo.skus)).toEqual([AMBIGUOUS_SKU]); // seeded that way, and left alone
    expect(duplicates(shop.emails)).toEqual([]);
    expect(duplicates(odoo.emails)).toEqual([]);
    for (const sku of catalog.expectedSkus) {
      expect(shop.skus.get(sku), `shop ${sku}`).toBe(1);
      expect(odoo.skus.get(sku), `odoo ${sku}`).toBe(1);
    }
    expect(shop.skus.size).toBe(catalog.expectedSkus.length + 1);
    for (const email of [...catalog.shopEmails, ...catalog.odooOnlyEmails]) {
      expect(shop.emails.get(email), `shop ${email}`).toBe(1);
      expect(odoo.emails.get(email), `odoo ${email}`).toBe(1);
    }
    expect(odoo.emails.size).toBe(SPEC.customers + SPEC.odooOnlyCustomers);
  });

  it('carries variants, attributes, prices and addresses across', () => {
    // a variant product created in Odoo from the shop
    const tmpl = sims.odoo.env.searchRead('product.product', [['default_code', '=', variantSku(101, 'M', 'Blue')]], ['product_tmpl_id', 'lst_price', 'product_template_attribute_value_ids'])[0]!;
    const siblings = sims.odoo.env.searchRead('product.product', [['product_tmpl_id', '=', (tmpl.product_tmpl_id as [number, string])[0]]], ['default_code']);
    expect(siblings.map((s) => s.default_code).sort()).toEqual(['S', 'M'].flatMap((s) => ['Red', 'Blue'].map((c) => variantSku(101, s, c))).sort());
    expect(tmpl.lst_price).toBe(Number(sims.shop.state.productBySku(variantSku(101, 'M', 'Blue'))!.variants[0]!.price));
    // an Odoo-only product created in the shop with its variants and attributes
    const erpOnly = sims.shop.state.productBySku(catalog.odooOnlySkus.find((s) => s.includes('-'))!)!;
    expect(erpOnly.variants).toHaveLength(4);
    expect(erpOnly.attributes.map((a) => a.name).sort()).toEqual(['Color', 'Size']);
    // a customer created in Odoo has its delivery address as a child partner
    const [partner] = sims.odoo.env.searchRead('res.partner', [['email', '=ilike', customerEmail(100)], ['parent_id', '=', false]], ['child_ids', 'city']);
    const kids = sims.odoo.env.read('res.partner', partner!.child_ids as number[], ['type', 'city']);
    expect(kids.map((k) => [k.type, k.city]).sort()).toEqual([['delivery', 'Hamburg'], ['invoice', 'Berlin']]);
    // the shop customer whose email Odoo had in capitals was linked, not created twice
    expect(sims.odoo.env.search('res.partner', [['email', '=ilike', customerEmail(1)]])).toHaveLength(1);
  });

  it('stock per shop location = the mapped ERP warehouse', () => {
    for (const sku of [productSku(5), variantSku(1, 'S', 'Red'), catalog.odooOnlySkus[0]!]) {
      expect(sims.shop.state.stock(sku, 'berlin')?.quantity, `${sku}@berlin`).toBe(odooStock(sims, sku, 'WH/Stock'));
      expect(sims.shop.state.stock(sku, 'kyiv')?.quantity, `${sku}@kyiv`).toBe(odooStock(sims, sku, 'WH2/Stock'));
    }
    // products created in Odoo by the sync have no stock there: the shop sells none
    expect(sims.shop.state.stock(productSku(500), 'berlin')?.quantity).toBe(0);
  });

  it('reconciles to 0 differences but the ambiguous SKU, which is in the dead letters with a clear reason', async () => {
    const diffs = first.reconcile!.differences;
    expect(diffs.filter((d) => d.label !== AMBIGUOUS_SKU)).toEqual([]);
    expect(diffs.map((d) => [d.entity, d.kind])).toEqual([['product', 'ambiguous'], ['stock', 'ambiguous']]);
    const entities = Object.fromEntries(first.reconcile!.entities.map((e) => [e.entity, e]));
    expect(entities.product!.linked).toBe(SPEC.products + SPEC.odooOnlyProducts);
    expect(entities.customer).toMatchObject({ shop: SPEC.customers + SPEC.odooOnlyCustomers, erp: SPEC.customers + SPEC.odooOnlyCustomers, linked: SPEC.customers + SPEC.odooOnlyCustomers, differences: 0 });

    const dead = await engine.queue.list({ state: 'dead' });
    const shopDup = sims.shop.state.productBySku(AMBIGUOUS_SKU)!.id;
    const odooDups = sims.odoo.env.searchRead('product.product', [['default_code', '=', AMBIGUOUS_SKU]], ['product_tmpl_id']).map((r) => String((r.product_tmpl_id as [number, string])[0]));
    expect(dead.map((d) => d.key).sort()).toEqual([`product:shop:${shopDup}`, ...odooDups.map((id) => `product:erp:${id}`)].sort());
    for (const d of dead) {
      expect(d.lastError?.message).toMatch(new RegExp(`sku:${AMBIGUOUS_SKU} .*(matches|carried by) 2 records in erp.*does not guess`));
      expect(d.lastError?.hint).toMatch(/make the key unique in erp/);
    }
    // the dead letter of the shop product carries the payload to replay
    const shopLetter = dead.find((d) => d.key === `product:shop:${shopDup}`)!;
    expect(shopLetter.payload).toMatchObject({ entity: 'product', source: 'shop', ids: [String(shopDup)], label: AMBIGUOUS_SKU, mapped: { name: 'Duplicated in Odoo' } });
    // and the run report says so too
    expect(report('product', 'shop->erp').problems).toEqual([expect.objectContaining({ outcome: 'failed', label: AMBIGUOUS_SKU, reason: expect.stringContaining('does not guess') })]);
    expect(report('stock', 'erp->shop').problems).toEqual([expect.objectContaining({ outcome: 'skipped', label: AMBIGUOUS_SKU, reason: expect.stringContaining('on 2 erp products') })]);
  });

  it('a second run writes nothing anywhere and keeps one dead letter per record', async () => {
    const before = sims.writes();
    const deadBefore = (await engine.queue.counts()).dead;
    const second = await syncAll(engine, { kind: 'initial', reconcile: true });
    expect(sims.writes(), JSON.stringify(sims.proxy.writeLog.slice(-5))).toEqual(before);
    for (const r of second.reports) {
      expect(r.counts.created + r.counts.updated + r.counts.linked, `${r.entity} ${r.direction}`).toBe(0);
    }
    expect(second.reconcile!.differences.map((d) => d.label)).toEqual([AMBIGUOUS_SKU, AMBIGUOUS_SKU]);
    expect((await engine.queue.counts()).dead).toBe(deadBefore);
  });

  it('`tandem sync --initial` with a written tandem.yaml: same store, nothing written, the verification in the output', async () => {
    await engine.close();
    writeConfigFile(tmp.dir, sims, { storeUrl });
    const before = sims.writes();
    const io = captureIO({ cwd: tmp.dir, env: secretEnv(sims) });
    const code = await run(['node', 'tandem', 'sync', '--initial', '--json'], io);
    expect(io.stderrText()).not.toMatch(/error|at .*\.ts:\d+/i);
    // not a terminal: progress as plain lines (records done / total, rate), no redrawn bar
    expect(io.stderrText()).toMatch(/^product shop->erp\s+(\d+)\/\1 records 100%\s+\d+\/s/m);
    expect(io.stderrText()).not.toContain('\r');
    const out = JSON.parse(io.stdoutText()) as { reports: Array<{ entity: string; counts: Record<string, number> }>; reconcile: { differences: Array<{ label: string; kind: string }> }; jobs: Record<string, number> };
    expect(code).toBe(1); // the ambiguous SKU is still there: the run says so
    expect(out.reconcile.differences.map((d) => [d.label, d.kind])).toEqual([[AMBIGUOUS_SKU, 'ambiguous'], [AMBIGUOUS_SKU, 'ambiguous']]);
    expect(out.reports.reduce((n, r) => n + (r.counts.created ?? 0) + (r.counts.updated ?? 0), 0)).toBe(0);
    expect(out.jobs.dead).toBe(3);
    expect(sims.writes()).toEqual(before);
    engine = await openEngine(e2eConfig(sims, { storeUrl }));
  });

  it('after archiving the duplicate in Odoo, `tandem dlq replay --all --run` links the SKU; then 0 differences', async () => {
    const dups = sims.odoo.env.searchRead('product.template', [['default_code', '=', AMBIGUOUS_SKU]], ['name']);
    const keep = dups.find((d) => d.name === 'Duplicate A')!.id as number;
    const drop = dups.find((d) => d.name === 'Duplicate B')!.id as number;
    sims.odoo.env.write('product.template', [drop], { active: false });
    await engine.close();
    const io = captureIO({ cwd: tmp.dir, env: secretEnv(sims) });
    const code = await run(['node', 'tandem', 'dlq', 'replay', '--all', '--run'], io);
    expect(code).toBe(0);
    engine = await openEngine(e2eConfig(sims, { storeUrl }));
    const shopDup = String(sims.shop.state.productBySku(AMBIGUOUS_SKU)!.id);
    expect((await engine.store.links.get('product', 'shop', shopDup))?.erpId).toBe(String(keep));
    // the SKU is no longer ambiguous for stock either: the next stock run sells the active product's stock
    const stock = await runFlow(engine, 'stock');
    expect(stock[0]!.counts).toMatchObject({ updated: 2, skipped: 0 });
    const r = await reconcile(engine);
    expect(r.differences).toEqual([]);
    expect(await engine.queue.counts()).toMatchObject({ dead: 0, queued: 0 });
    expect(duplicates(shopCensus(sims).skus)).toEqual([]);
  });
});
