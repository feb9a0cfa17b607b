/**
 * `tandem reconcile` after drift made behind Tandem's back: a field changed in Odoo that the shop owns, a
 * product only in the shop, one only in Odoo, one created on both sides and never linked, stock changed
 * in the shop. The report (table, --json) lists each with its kind and exits 1; `--fix` repairs through
 * the normal write path and the check after it finds 0 differences (exit 0). Also: an address changed in
 * the shop replaces the old one in Odoo (no stale second address).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncAll } from '../../src/engine/initial-sync.js';
import { reconcile } from '../../src/engine/reconcile.js';
import { run } from '../../src/cli/main.js';
import { tempDir } from '../helpers/db.js';
import { startSims, type Sims } from './support/sims.js';
import { CATALOG_FLOWS, e2eConfig, secretEnv, writeConfigFile, type E2eConfigOptions } from './support/config.js';
import { openEngine } from './support/engine.js';
import { customerEmail, productSku, seedCatalog, variantSku } from './support/seed-catalog.js';
import { duplicates, odooCensus, odooStock, shopCensus } from './support/inspect.js';
import { captureIO } from './support/cli.js';
import { startAlertReceiver } from './support/alert-sinks.js';
import { startRuntime } from '../../src/engine/runtime.js';

interface Diff {
  entity: string;
  kind: string;
  label: string;
  fields?: string[];
}

describe('reconcile: drift behind Tandem\'s back, reported and repaired', () => {
  let sims: Sims;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let opts: E2eConfigOptions;
  const cli = async (...args: string[]) => {
    const io = captureIO({ cwd: tmp.dir, env: secretEnv(sims) });
    const code = await run(['node', 'tandem', ...args], io);
    return { code, out: io.stdoutText(), err: io.stderrText() };
  };
  const storable = { detailed_type: 'product' };

  beforeAll(async () => {
    sims = await startSims();
    tmp = await tempDir('tandem-reconcile-');
    seedCatalog(sims, { products: 16, simpleEvery: 2, customers: 8, overlapProducts: 4, odooOnlyProducts: 2, overlapCustomers: 2, odooOnlyCustomers: 1 });
    opts = { storeUrl: `sqlite:${tmp.dir}/tandem.db` };
    const engine = await openEngine(e2eConfig(sims, opts));
    const first = await syncAll(engine, { kind: 'initial', reconcile: true });
    await engine.close();
    expect(first.reconcile!.differences).toEqual([]);
    writeConfigFile(tmp.dir, sims, opts);
  });

  afterAll(async () => {
    await sims?.close();
    await tmp?.cleanup();
  });

  it('the verification reads each system in its largest pages, whatever the flow\'s batch size', async () => {
    const engine = await openEngine(e2eConfig(sims, { ...opts, flows: CATALOG_FLOWS.map((f) => ({ ...f, batchSize: 3 })) }));
    try {
      sims.odoo.resetStats();
      const result = await reconcile(engine, { entities: ['product'] });
      expect(result.entities[0]!.erp).toBeGreaterThan(6); // several pages of 3, one page of 1,000
      expect(sims.odoo.stats.byMethod['product.template.search_read']).toBe(1);
    } finally {
      await engine.close();
    }
  });

  it('an address changed in the shop replaces the old one in Odoo', async () => {
    const c = sims.shop.state.customerByEmail(customerEmail(4))!;
    const delivery = c.addresses.find((a) => a.type === 'delivery')!;
    sims.shop.seed.customers([{ id: c.id, addresses: [{ type: 'invoice', name: 'First0004 Last0004', street: 'Moved Street 4', city: 'Munich', zip: '80331', country: 'DE' }, delivery] }]);
    const engine = await openEngine(e2eConfig(sims, opts));
    try {
      await syncAll(engine, { kind: 'poll', entities: ['customer'] });
      const [p] = sims.odoo.env.searchRead('res.partner', [['email', '=ilike', customerEmail(4)], ['parent_id', '=', false]], ['child_ids']);
      const kids = sims.odoo.env.read('res.partner', p!.child_ids as number[], ['type', 'city', 'active']).filter((k) => k.active !== false);
      expect(kids.map((k) => [k.type, k.city]).sort()).toEqual([['delivery', 'Hamburg'], ['invoice', 'Munich']]);
      expect((await reconcile(engine, { entities: ['customer'] })).differences).toEqual([]);
    } finally {
      await engine.close();
    }
  });

  it('reports every kind of drift (exit 1), as a table and as JSON', async () => {
    // 1. a shop-owned field changed in Odoo
    const [renamed] = sims.odoo.env.searchRead('product.product', [['default_code', '=', productSku(2)]], ['product_tmpl_id']);
    sims.odoo.env.write('product.template', [(renamed!.product_tmpl_id as [number, string])[0]], { name: 'Renamed in Odoo by hand' });
    // 2. a product added to the shop while Tandem was not running
    sims.shop.seed.products([{ name: 'Shop only', variants: [{ sku: 'SHOP-ONLY-1', price: '9.00' }] }]);
    // 3. a product added to Odoo
    sims.odoo.env.create('product.template', { name: 'Odoo only', default_code: 'ODOO-ONLY-1', list_price: 4, sale_ok: true, ...storable });
    // 4. the same product entered on both sides, never linked
    sims.shop.seed.products([{ name: 'Entered twice', variants: [{ sku: 'TWICE-1', price: '3.00' }] }]);
    sims.odoo.env.create('product.template', { name: 'Entered twice', default_code: 'TWICE-1', list_price: 3, sale_ok: true, ...storable });
    // 5. stock changed in the shop
    sims.shop.seed.stock([{ sku: variantSku(1, 'S', 'Red'), location: 'berlin', quantity: 999 }]);

    const human = await cli('reconcile');
    expect(human.code).toBe(1);
    expect(human.err).toBe('');
    expect(human.out).toMatch(/entity\s+shop\s+erp\s+linked\s+differences/);
    expect(human.out).toMatch(/5 difference\(s\):/);
    expect(human.out).toMatch(/product\s+field\s+P0002\s+\d+\s+\d+\s+name/);
    expect(human.out).toMatch(new RegExp(`stock\\s+stock\\s+${variantSku(1, 'S', 'Red')}@berlin.*shop 999 vs \\d+ from the ERP`));

    const machine = await cli('reconcile', '--json');
    expect(machine.code).toBe(1);
    const result = JSON.parse(machine.out) as { differences: Diff[] };
    expect(result.differences.map((d) => [d.entity, d.kind, d.label]).sort()).toEqual([
      ['product', 'field', productSku(2)],
      ['product', 'missing_in_erp', 'SHOP-ONLY-1'],
      ['product', 'missing_in_shop', 'ODOO-ONLY-1'],
      ['product', 'unlinked_match', 'TWICE-1'],
      ['stock', 'stock', `${variantSku(1, 'S', 'Red')}@berlin`],
    ].sort());
    expect(result.differences.find((d) => d.kind === 'field')!.fields).toEqual(['name']);
  });

  it('--fix repairs through the normal write path; the check after it finds 0 differences (exit 0)', async () => {
    const fixed = await cli('reconcile', '--fix');
    expect(fixed.err).not.toMatch(/"level":"(error|fatal)"|\n\s+at /);
    expect(fixed.out).toMatch(/repaired: [1-9]/);
    expect(fixed.out).toContain('0 differences');
    expect(fixed.code).toBe(0);
    const [v] = sims.odoo.env.searchRead('product.product', [['default_code', '=', productSku(2)]], ['product_tmpl_id']);
    expect(sims.odoo.env.read('product.template', [(v!.product_tmpl_id as [number, string])[0]], ['name'])[0]!.name).toBe(sims.shop.state.productBySku(productSku(2))!.name);
    expect(sims.shop.state.productBySku('ODOO-ONLY-1')).toBeDefined();
    expect(sims.odoo.env.search('product.product', [['default_code', '=', 'SHOP-ONLY-1']])).toHaveLength(1);
    expect(sims.shop.state.stock(variantSku(1, 'S', 'Red'), 'berlin')!.quantity).toBe(odooStock(sims, variantSku(1, 'S', 'Red'), 'WH/Stock'));
    for (const c of [shopCensus(sims), odooCensus(sims)]) expect(duplicates(c.skus)).toEqual([]);
    expect(odooCensus(sims).skus.get('TWICE-1')).toBe(1);

    const again = await cli('reconcile');
    expect(again.code).toBe(0);
    expect(again.out).toContain('0 differences');
  });

  it('the scheduled verification (daily under serve) reports drift through the alert channels and records a run', async () => {
    const receiver = await startAlertReceiver('drift-secret');
    const engine = await openEngine(e2eConfig(sims, { ...opts, extra: { alerts: { channels: [{ type: 'webhook', url: receiver.url, secret: 'drift-secret' }] } } }));
    const runtime = startRuntime(engine, { schedules: false, pollIntervalMs: 20 });
    try {
      expect(runtime.scheduler.nextRun('reconcile')?.toISOString()).toMatch(/T03:00:00\.000Z$/);
      // clean systems: a run, no alert
      await runtime.scheduler.tick('reconcile');
      await runtime.worker.drain();
      expect(receiver.alerts).toEqual([]);
      // drift behind Tandem's back
      sims.shop.seed.stock([{ sku: variantSku(3, 'M', 'Red'), location: 'kyiv', quantity: 500 }]);
      await runtime.scheduler.tick('reconcile');
      await runtime.worker.drain();
      expect(receiver.alerts.map((a) => [a.event, a.body.type, a.body.subject])).toEqual([['alert.drift', 'drift', '1 difference(s) between shop and erp']]);
      expect(receiver.alerts[0]!.body.text).toContain(`stock stock: ${variantSku(3, 'M', 'Red')}@kyiv`);
      const runs = (await engine.store.runs.list({ limit: 10 })).filter((r) => r.flow === 'reconcile');
      expect(runs.map((r) => r.status).sort()).toEqual(['differences', 'ok']);
      expect((await engine.queue.counts()).dead).toBe(0);
    } finally {
      await runtime.stop();
      await engine.close();
      await receiver.close();
    }
  });
});
