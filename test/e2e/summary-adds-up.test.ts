/**
 * Run summaries add up (issue 11.11: "read 1 … updated 21"): for every run, read = created + updated +
 * linked + unchanged + skipped + failed — table of runs over both shops, with the unkind cases (a SKU on two
 * ERP products, an ERP location nobody sells from, a product only the ERP has, a dry run).
 */
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { startStack, DEMO_FLOWS, type Stack } from '../../src/demo/stack.js';
import { seedDemo } from '../../src/demo/seed.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import type { RunKind } from '../../src/engine/records/run-direction.js';
import type { EntityType } from '../../src/model/entities.js';

type Setup = (stack: Stack) => void;
const ambiguousSku: Setup = (s) => {
  const id = s.odoo!.env.create('product.product', { name: 'Sock copy', default_code: 'SOCK-3', detailed_type: 'product', list_price: 99 });
  s.odoo!.env.setStock(id, 3);
};
const erpOnly: Setup = (s) => s.odoo!.env.setStock(s.odoo!.env.create('product.product', { name: 'Warehouse only', default_code: 'ERP-ONLY', detailed_type: 'product', list_price: 1 }), 5);
const flows = [...DEMO_FLOWS!, { entity: 'price' as const, direction: 'erp->shop' as const, schedule: '15m' }];

describe.each(['rest-shop', 'woocommerce'] as const)('every run summary adds up: %s', (shop) => {
  it.each<[string, RunKind, EntityType[] | undefined, Setup[], boolean]>([
    ['initial sync of every flow', 'initial', undefined, [], false],
    ['plan (dry run) of every flow', 'plan', undefined, [], false],
    ['stock and prices with a SKU on two ERP products and an ERP-only product', 'initial', ['stock', 'price'], [ambiguousSku, erpOnly], true],
    ['a second poll that changes nothing', 'poll', undefined, [], true],
  ])('%s', async (_t, kind, entities, setups, syncedBefore) => {
    const stack = await startStack({ shop, storeUrl: 'sqlite::memory:', log: pino({ level: 'silent' }), config: { flows } as never });
    try {
      await seedDemo(stack);
      if (syncedBefore) await syncAll(stack.engine, { kind: 'initial' });
      for (const setup of setups) setup(stack);
      const { reports } = await syncAll(stack.engine, { kind, ...(entities && { entities }) });
      expect(reports.length).toBeGreaterThan(0);
      for (const r of reports) expect({ report: `${r.entity} ${r.direction}`, read: r.counts.read }).toEqual({ report: `${r.entity} ${r.direction}`, read: r.decided });
    } finally {
      await stack.close();
    }
  });
});
