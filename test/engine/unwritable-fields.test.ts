/**
 * Fields a target cannot hold (connector `unsupportedFields`, e.g. the barcode on WooCommerce 7.9) are said
 * once in plan/sync output instead of silently dropped (issue 11.10).
 */
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { unwritableFields } from '../../src/engine/records/direction.js';
import { startStack } from '../../src/demo/stack.js';
import { seedDemo } from '../../src/demo/seed.js';
import { syncAll } from '../../src/engine/initial-sync.js';
import { printReports } from '../../src/cli/summary.js';

describe('unwritableFields: source-owned fields the target cannot store', () => {
  const woo = { unsupportedFields: { product: ['variants.barcode'] } };
  it.each([
    ['the whole variants owned', ['name', 'variants'], ['variants.barcode']],
    ['the barcode owned alone', ['name', 'variants.barcode'], ['variants.barcode']],
    ['the barcode not owned by the source', ['name', 'variants.price'], []],
    ['nothing owned', [], []],
  ])('%s', (_t, owned, expected) => {
    expect(unwritableFields('product', owned, woo)).toEqual(expected);
  });
  it('a target without unsupported fields', () => {
    expect(unwritableFields('product', ['variants'], {})).toEqual([]);
  });
});

describe('plan and sync ERP → WooCommerce say once that the barcode cannot reach the shop', () => {
  it.each(['plan', 'initial'] as const)('%s', async (kind) => {
    const stack = await startStack({ shop: 'woocommerce', storeUrl: 'sqlite::memory:', log: pino({ level: 'silent' }), config: { flows: [{ entity: 'product', direction: 'erp->shop', schedule: '15m' }] } as never });
    try {
      await seedDemo(stack);
      const { reports } = await syncAll(stack.engine, { kind, entities: ['product'] });
      const lines: string[] = [];
      printReports({ out: (s: string) => lines.push(s) } as never, reports);
      const said = lines.filter((l) => l.includes('variants.barcode'));
      expect(said).toEqual(['note: shop cannot hold product field variants.barcode: changes of it in erp are not synced to shop']);
      expect(reports[0]!.toJSON().notes).toEqual([said[0]!.slice('note: '.length)]);
    } finally {
      await stack.close();
    }
  });
});
