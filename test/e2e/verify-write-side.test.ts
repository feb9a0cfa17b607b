/**
 * Issue 16: after a shop->erp sync the verification reads the ERP (the side the flow only writes to) by the
 * linked ids plus what the unlinked shop records' SKUs find there, not the whole ERP — and still finds
 * every difference a full read would: a field changed in Odoo behind Tandem's back, a linked product gone
 * from Odoo, a shop product never synced whose SKU Odoo has (unlinked match) and one Odoo lacks. Odoo's
 * own products, which no shop product names, are not read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import { reconcile } from '../../src/engine/reconcile.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    shop: 'woocommerce',
    storeUrl: 'sqlite::memory:',
    log: pino({ level: 'silent' }),
    webhooks: false,
    config: { flows: [{ entity: 'product', direction: 'shop->erp' }] } as never,
  });
  stack.woo!.seedProducts(12, { prefix: 'WS' });
  const odoo = stack.odoo!.env;
  for (let i = 0; i < 5; i++) odoo.create('product.product', { name: `ERP only ${i}`, default_code: `ERPONLY-${i}`, list_price: 3 });
});

afterAll(async () => {
  await stack.close();
});

describe('verification of the side a flow only writes to', () => {
  it('reads the linked ERP records and the SKU matches of unlinked shop records; every kind of difference is found', async () => {
    const first = await syncAll(stack.engine, { kind: 'initial', reconcile: true });
    expect(first.reconcile!.differences).toEqual([]);
    expect(first.reconcile!.entities).toEqual([expect.objectContaining({ entity: 'product', shop: 12, erp: 12, linked: 12 })]); // ERP-only products not read

    const odoo = stack.odoo!.env;
    const variant = (sku: string) => odoo.searchRead('product.product', [['default_code', '=', sku]], ['product_tmpl_id'])[0]!;
    const tmplOf = (sku: string) => (variant(sku).product_tmpl_id as [number, string])[0];
    odoo.write('product.template', [tmplOf('WS-3')], { list_price: 77 }); // drift in an owned field
    odoo.unlink('product.template', [tmplOf('WS-4')]); // a linked product gone from Odoo
    // two shop products never synced: Odoo has the SKU of one (created behind Tandem's back)
    stack.woo!.seedProducts(2, { prefix: 'LATE' });
    odoo.create('product.product', { name: 'Made in Odoo', default_code: 'LATE-0', list_price: 9.99 });
    const late = [...stack.woo!.store.products.values()].filter((p) => p.sku.startsWith('LATE-')).sort((a, b) => a.sku.localeCompare(b.sku));

    const result = await reconcile(stack.engine, { entities: ['product'] });
    const kinds = result.differences.map((d) => [d.kind, d.label, d.fields ?? null]).sort();
    expect(kinds).toEqual(
      [
        ['field', 'WS-3', ['variants.price']],
        ['missing_in_erp', 'WS-4', null],
        ['unlinked_match', 'LATE-0', null],
        ['missing_in_erp', 'LATE-1', null],
      ].sort(),
    );
    expect(result.differences.find((d) => d.kind === 'unlinked_match')).toMatchObject({ shopId: String(late[0]!.id), erpId: String(tmplOf('LATE-0')) });
  });
});
