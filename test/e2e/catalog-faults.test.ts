/**
 * Bad input and faults. A record the target refuses (Odoo: a barcode another product has; the shop: a SKU
 * longer than it stores) or that cannot be mapped (a partner with a malformed email) goes to the dead
 * letters with the target's own message and the payload, and the rest of the batch is written; after the
 * cause is fixed, `tandem dlq replay --run` syncs it. Rate limits (429 + Retry-After from the shop) and
 * Odoo serialization failures are retried: nothing is lost, nothing is written twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncAll } from '../../src/engine/initial-sync.js';
import { reconcile } from '../../src/engine/reconcile.js';
import { createEngine, type RunningEngine } from '../../src/engine/create-engine.js';
import { run } from '../../src/cli/main.js';
import { tempDir } from '../helpers/db.js';
import { startSims, type Sims } from './support/sims.js';
import { e2eConfig, secretEnv, writeConfigFile, type FlowInput } from './support/config.js';
import { openEngine, quietLog } from './support/engine.js';
import { productSku, seedCatalog } from './support/seed-catalog.js';
import { duplicates, odooCensus, shopCensus } from './support/inspect.js';
import { captureIO } from './support/cli.js';

const FLOWS: FlowInput[] = [
  { entity: 'product', direction: 'both', batchSize: 50 },
  { entity: 'customer', direction: 'both' },
];
const LONG_SKU = `ERP-${'X'.repeat(70)}`;

describe('records the target refuses: dead letters with the remote message, the rest written, replay after the fix', () => {
  let sims: Sims;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let engine: RunningEngine;

  beforeAll(async () => {
    sims = await startSims();
    tmp = await tempDir('tandem-faults-');
    seedCatalog(sims, { products: 30, simpleEvery: 1, customers: 10, overlapProducts: 0, odooOnlyProducts: 0, overlapCustomers: 0, odooOnlyCustomers: 0 });
    // two shop products with one barcode: Odoo refuses the second (barcodes are unique there)
    sims.shop.seed.products([
      { name: 'Barcode first', variants: [{ sku: 'BAR-1', price: '1.00', barcode: '4006381333931' }] },
      { name: 'Barcode twin', variants: [{ sku: 'BAR-2', price: '1.00', barcode: '4006381333931' }] },
    ]);
    // an Odoo product whose SKU the shop cannot store, and a partner whose email is not one
    const storable = { detailed_type: 'product' };
    sims.odoo.env.create('product.template', { name: 'Long reference', default_code: LONG_SKU, list_price: 2, sale_ok: true, ...storable });
    sims.odoo.env.create('product.template', { name: 'Fine ERP product', default_code: 'ERP-OK-1', list_price: 2, sale_ok: true, ...storable });
    sims.odoo.env.create('res.partner', { name: 'Broken Mail', email: 'broken.mail.example.com', customer_rank: 1 });
    sims.odoo.env.create('res.partner', { name: 'Good Mail', email: 'good.mail@example.com', customer_rank: 1 });
    engine = await openEngine(e2eConfig(sims, { storeUrl: `sqlite:${tmp.dir}/tandem.db`, flows: FLOWS }));
  });

  afterAll(async () => {
    await engine?.close();
    await sims?.close();
    await tmp?.cleanup();
  });

  it('each refused record is a dead letter with the remote\'s own message and the payload; the rest is written', async () => {
    const summary = await syncAll(engine, { kind: 'initial' });
    const counts = (entity: string, direction: string) => summary.reports.find((r) => r.entity === entity && r.direction === direction)!.counts;
    expect(counts('product', 'shop->erp')).toMatchObject({ read: 32 + 1, created: 31, failed: 1 }); // + ERP-OK-1 read back once
    expect(counts('product', 'erp->shop')).toMatchObject({ created: 1, failed: 1 });
    expect(counts('customer', 'erp->shop')).toMatchObject({ created: 1, failed: 1 });
    expect(sims.odoo.env.search('product.product', [['default_code', '=', 'BAR-1']])).toHaveLength(1);
    expect(sims.odoo.env.search('product.product', [['default_code', '=', productSku(30)]])).toHaveLength(1);
    expect(sims.shop.state.productBySku('ERP-OK-1')).toBeDefined();
    expect(sims.shop.state.customerByEmail('good.mail@example.com')).toBeDefined();

    const dead = await engine.queue.list({ state: 'dead' });
    const byKey = Object.fromEntries(dead.map((d) => [d.key, d]));
    const twin = String(sims.shop.state.productBySku('BAR-2')!.id);
    const [longTmpl] = sims.odoo.env.search('product.template', [['default_code', '=', LONG_SKU]]);
    const [broken] = sims.odoo.env.search('res.partner', [['email', '=', 'broken.mail.example.com']]);
    expect(Object.keys(byKey).sort()).toEqual([`customer:erp:${broken}`, `product:erp:${longTmpl}`, `product:shop:${twin}`].sort());

    // Odoo's ValidationError about the barcode, as Odoo words it, naming the record
    const barcode = byKey[`product:shop:${twin}`]!;
    expect(barcode.lastError).toMatchObject({ kind: 'invalid_data', system: 'odoo', entity: 'product' });
    expect(barcode.lastError!.message).toMatch(/barcode/i);
    expect(barcode.lastError!.message).toMatch(/4006381333931/);
    expect(barcode.payload).toMatchObject({ entity: 'product', source: 'shop', ids: [twin], mapped: { name: 'Barcode twin', variants: [{ sku: 'BAR-2', barcode: '4006381333931' }] } });
    expect((barcode.payload as { raw: unknown }).raw).toMatchObject({ id: Number(twin) });
    // the shop's own validation message
    const long = byKey[`product:erp:${longTmpl}`]!;
    expect(long.lastError).toMatchObject({ kind: 'invalid_data', system: 'rest-shop' });
    expect(long.lastError!.message).toMatch(/sku.*(64|greater)/i);
    // and the mapping problem, naming the field
    const mail = byKey[`customer:erp:${broken}`]!;
    expect(mail.lastError).toMatchObject({ kind: 'mapping', field: 'email' });
    expect(mail.lastError!.hint).toMatch(/fix the value in erp/);
    // every problem is in the run's report too: nothing is skipped silently
    expect(summary.reports.flatMap((r) => r.problems.map((p) => p.label)).sort()).toEqual(['BAR-2', LONG_SKU, 'broken.mail.example.com'].sort());
  });

  it('after fixing the cause in the source, `tandem dlq replay --run` syncs the record', async () => {
    const twin = sims.shop.state.productBySku('BAR-2')!;
    sims.shop.seed.products([{ id: twin.id, variants: [{ sku: 'BAR-2', barcode: '4006381333948' }] }]);
    const [broken] = sims.odoo.env.search('res.partner', [['email', '=', 'broken.mail.example.com']]);
    sims.odoo.env.write('res.partner', [broken!], { email: 'broken.mail@example.com' });
    await engine.close();
    writeConfigFile(tmp.dir, sims, { storeUrl: `sqlite:${tmp.dir}/tandem.db`, flows: FLOWS });
    const ids = (await (async () => {
      const e = await openEngine(e2eConfig(sims, { storeUrl: `sqlite:${tmp.dir}/tandem.db`, flows: FLOWS }));
      try {
        return (await e.queue.list({ state: 'dead' })).filter((d) => !d.key!.startsWith('product:erp')).map((d) => d.id);
      } finally {
        await e.close();
      }
    })());
    const io = captureIO({ cwd: tmp.dir, env: secretEnv(sims) });
    const code = await run(['node', 'tandem', 'dlq', 'replay', ...ids, '--run'], io);
    expect(io.stderrText()).toBe('');
    expect(code).toBe(0);
    engine = await openEngine(e2eConfig(sims, { storeUrl: `sqlite:${tmp.dir}/tandem.db`, flows: FLOWS }));
    const [v] = sims.odoo.env.searchRead('product.product', [['default_code', '=', 'BAR-2']], ['barcode']);
    expect(v!.barcode).toBe('4006381333948');
    expect(sims.shop.state.customerByEmail('broken.mail@example.com')).toBeDefined();
    expect((await engine.queue.list({ state: 'dead' })).map((d) => d.key)).toEqual([expect.stringMatching(/^product:erp:/)]);
    const r = await reconcile(engine, { entities: ['customer'] });
    expect(r.differences).toEqual([]);
  });
});

describe('transient faults: 429 with Retry-After from the shop, serialization failures from Odoo', () => {
  let sims: Sims;
  let tmp: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    sims = await startSims();
    tmp = await tempDir('tandem-transient-');
  });

  afterAll(async () => {
    await sims?.close();
    await tmp?.cleanup();
  });

  it('are retried: nothing lost, nothing duplicated, 0 differences', async () => {
    seedCatalog(sims, { products: 60, simpleEvery: 3, customers: 30, overlapProducts: 10, odooOnlyProducts: 8, overlapCustomers: 5, odooOnlyCustomers: 5 });
    // the shop answers 429 (Retry-After: 1) to the first write and to a read in the middle
    sims.proxy.inject({ method: 'POST', status: 429, headers: { 'retry-after': '1' }, body: { message: 'Too Many Attempts.' }, times: 1 });
    sims.proxy.inject({ method: 'GET', path: /\/customers\?/, status: 429, headers: { 'retry-after': '1' }, body: { message: 'Too Many Attempts.' }, times: 1 });
    // Odoo: the first two create/write calls fail with a serialization failure (and are rolled back)
    let odooFailures = 0;
    const faultyOdoo: typeof fetch = async (input, init) => {
      const body = typeof init?.body === 'string' ? init.body : '';
      const writes = /"(create|write)"/.test(body) && String(input).startsWith(sims.odoo.url);
      if (writes && odooFailures < 2) {
        odooFailures += 1;
        sims.odoo.faults.serializationFailureRate = 1;
        try {
          return await fetch(input, init);
        } finally {
          sims.odoo.faults.serializationFailureRate = 0;
        }
      }
      return fetch(input, init);
    };
    const config = e2eConfig(sims, { storeUrl: `sqlite:${tmp.dir}/tandem.db` });
    const engine = await createEngine({ config, storeUrl: config.store.url, log: quietLog(), fetch: faultyOdoo });
    try {
      const summary = await syncAll(engine, { kind: 'initial', reconcile: true });
      expect(sims.proxy.injected).toBe(2);
      expect(odooFailures).toBe(2);
      expect(summary.reconcile!.differences).toEqual([]);
      expect(summary.reports.every((r) => r.counts.failed === 0 && r.counts.skipped === 0)).toBe(true);
      expect(await engine.queue.counts()).toMatchObject({ dead: 0, queued: 0 });
      const [shop, odoo] = [shopCensus(sims), odooCensus(sims)];
      for (const c of [shop, odoo]) {
        expect(duplicates(c.skus)).toEqual([]);
        expect(duplicates(c.emails)).toEqual([]);
      }
      expect(odoo.skus.size).toBe(shop.skus.size);
      expect(odoo.emails.size).toBe(shop.emails.size);
    } finally {
      await engine.close();
    }
  });
});
