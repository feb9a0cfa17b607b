/**
 * Issue 16 (live 1,000 products ≤ 6 s): Odoo's creates are the critical path of a WooCommerce → Odoo
 * catalog, so Odoo must start as early as possible. At the DEFAULT settings the first group of a run is one
 * source page (write-sizing.ts `first`): the first create goes out after WooCommerce's first page, not after
 * the five pages of a write of 500; the groups after it take the write size. Simulators; the create sizes
 * are read on the wire (vals_list of each product.product create).
 */
import { describe, expect, it } from 'vitest';
import { syncAll } from '../../src/engine/initial-sync.js';
import { useWooOdoo } from './support/woo-odoo.js';

const lab = useWooOdoo();

describe('the first Odoo write of a catalog starts after the first shop page', () => {
  it('1,000 WooCommerce products at default Odoo settings: creates of 100, 500, 400 (not 500, 500)', async () => {
    const { woo } = await lab.start();
    woo.seedProducts(1000, { prefix: 'FIRST' });
    const creates: number[] = [];
    const pagesDone: number[] = []; // the sync's feed pages
    const watched: typeof fetch = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      const body = typeof init?.body === 'string' ? init.body : '';
      if (body.includes('execute_kw')) {
        const args = (JSON.parse(body) as { params: { args: unknown[] } }).params.args;
        // create(vals_list): positional (args[5][0]) or named (args[6].vals_list)
        // (or web_save(vals): named, Odoo 17+)
        const named = args[6] as { vals_list?: unknown[]; vals?: unknown[] };
        const valsList = (args[4] === 'web_save' ? named.vals : ((args[5] as unknown[][] | undefined)?.[0] ?? named.vals_list)) ?? [];
        if (args[3] === 'product.product' && (args[4] === 'create' || args[4] === 'web_save')) creates.push(valsList.length);
      }
      const res = await fetch(input, init);
      if (url.includes('/wc/v3/products?') && url.includes('dates_are_gmt')) pagesDone.push(1);
      return res;
    };
    const engine = await lab.engine({ flows: [{ entity: 'product', direction: 'shop->erp', batchSize: 100 }], erp: { protocol: 'jsonrpc' }, fetch: watched });
    const result = await syncAll(engine, { kind: 'initial', reconcile: true });
    expect(result.reports[0]!.counts.created).toBe(1000);
    expect(result.reconcile!.differences).toEqual([]);
    expect(creates).toEqual([100, 500, 400]);
    expect(pagesDone.length).toBe(10);
  });
});
