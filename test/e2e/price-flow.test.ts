/** Prices (keyed "<sku>@<pricelist>"): ERP → shop for both shops; a second pass writes nothing; reconcile agrees. */
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { startStack, DEMO_FLOWS } from '../../src/demo/stack.js';
import { seedDemo } from '../../src/demo/seed.js';
import { syncAll } from '../../src/engine/initial-sync.js';

describe.each(['rest-shop', 'woocommerce'] as const)('price flow ERP → %s', (shop) => {
  it('carries a changed list price to the shop, skips SKUs the shop does not sell, then stays quiet', async () => {
    const stack = await startStack({ shop, storeUrl: 'sqlite::memory:', log: pino({ level: 'silent' }), config: { flows: [...DEMO_FLOWS!, { entity: 'price', direction: 'erp->shop', schedule: '15m' }] } as never });
    try {
      await seedDemo(stack);
      await syncAll(stack.engine, { kind: 'initial', entities: ['category', 'product'] });
      const [variant] = stack.odoo!.env.search('product.product', [['default_code', '=', 'SOCK-3']]);
      stack.odoo!.env.write('product.product', [variant!], { lst_price: 14.5 });
      const first = await syncAll(stack.engine, { kind: 'poll', entities: ['price'], reconcile: true });
      const report = first.reports[0]!;
      expect(report.counts.failed).toBe(0);
      expect(report.problems.map((p) => p.id)).toEqual(['Delivery_007@default']); // Odoo's delivery product is not sold in the shop
      expect(first.reconcile!.differences).toEqual([]);
      const [price] = await stack.engine.shop.fetch('price', ['SOCK-3@default']);
      expect(price!.data!.list).toEqual({ amount: '14.50', currency: 'EUR' });
      const second = await syncAll(stack.engine, { kind: 'initial', entities: ['price'] });
      expect(second.reports[0]!.counts.updated + second.reports[0]!.counts.created).toBe(0);
    } finally {
      await stack.close();
    }
  });
});

describe('price flow on an ambiguous SKU', () => {
  it('refuses a SKU carried by two ERP products instead of writing the shop price twice per run', async () => {
    const stack = await startStack({ shop: 'woocommerce', storeUrl: 'sqlite::memory:', log: pino({ level: 'silent' }), config: { flows: [...DEMO_FLOWS!, { entity: 'price', direction: 'erp->shop', schedule: '15m' }] } as never });
    try {
      await seedDemo(stack);
      await syncAll(stack.engine, { kind: 'initial', entities: ['category', 'product'] });
      const [before] = await stack.engine.shop.fetch('price', ['SOCK-3@default']);
      // Odoo allows a second product with the same internal reference
      stack.odoo!.env.create('product.template', { name: 'Sock copy', default_code: 'SOCK-3', list_price: 99 });
      for (let run = 0; run < 2; run++) {
        const { reports } = await syncAll(stack.engine, { kind: 'initial', entities: ['price'] });
        const report = reports[0]!;
        const problem = report.problems.find((p) => p.id === 'SOCK-3@default');
        expect(problem?.reason).toMatch(/sku:SOCK-3 is carried by 2 records in erp.*does not guess/);
        expect(report.counts.updated + report.counts.created).toBe(0);
        const [after] = await stack.engine.shop.fetch('price', ['SOCK-3@default']);
        expect(after!.data!.list).toEqual(before!.data!.list);
      }
    } finally {
      await stack.close();
    }
  });
});
