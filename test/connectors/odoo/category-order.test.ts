/**
 * Categories read from Odoo come parents first: a category's parent is in an EARLIER batch (the engine links
 * a batch before it reads the next, so the child can point at its parent's shop id). Before, a clean first
 * sync Odoo → shop created children without their parent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startOdooSimulator, type OdooSimulator } from '../../../src/simulators/index.js';
import { createOdooConnector } from '../../../src/connectors/odoo/index.js';
import { OdooSettings } from '../../../src/connectors/odoo/settings.js';
import { depths } from '../../../src/connectors/odoo/category-order.js';
import { categoryScope } from '../../../src/engine/records/category-scope.js';
import type { ErpConnector, SourceRecord } from '../../../src/connectors/contract.js';

describe('Odoo categories are read parents first', () => {
  let sim: OdooSimulator;
  let c: ErpConnector;
  beforeAll(async () => {
    sim = await startOdooSimulator({ version: 17 });
    // a tree created in one second, a child written before its parent
    const shoes = sim.env.create('product.category', { name: 'Shoes' });
    const running = sim.env.create('product.category', { name: 'Running', parent_id: shoes });
    const trail = sim.env.create('product.category', { name: 'Trail', parent_id: running });
    sim.env.write('product.category', [shoes], { name: 'Shoes & Boots' });
    sim.env.create('product.template', { name: 'Trail Runner', categ_id: trail, sale_ok: true });
    const internal = sim.env.create('product.category', { name: 'Office Supplies' });
    sim.env.create('product.template', { name: 'Printer paper', categ_id: internal, sale_ok: false });
    c = createOdooConnector('erp', OdooSettings.parse({ type: 'odoo', url: sim.url, db: sim.db, user: sim.admin.login, apiKey: sim.admin.apiKey }), { log: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await c.close();
    await sim.close();
  });

  it.each([200, 2])('every parent comes in an earlier batch than its children (page size %i)', async (pageSize) => {
    const seenBefore = new Set<string>();
    const all: string[] = [];
    let batches = 0;
    for await (const batch of c.read('category', null, { pageSize })) {
      batches++;
      const recs = batch.records as SourceRecord<'category'>[];
      for (const r of recs) {
        const parent = r.data?.parentId ?? null;
        if (parent !== null) expect({ child: r.data?.name, parentEarlier: seenBefore.has(parent) }).toEqual({ child: r.data?.name, parentEarlier: true });
      }
      for (const r of recs) {
        seenBefore.add(r.id);
        all.push(r.data?.name ?? '');
      }
    }
    expect(all).toEqual(expect.arrayContaining(['Shoes & Boots', 'Running', 'Trail']));
    expect(batches).toBeGreaterThanOrEqual(3);
  });

  const names = async (categories?: 'sellable' | 'all') => {
    const out: string[] = [];
    for await (const b of c.read('category', null, { ...(categories && { categories }) })) for (const r of b.records as SourceRecord<'category'>[]) out.push(r.data?.name ?? '');
    return out.sort();
  };

  it('categories: sellable reads only categories holding a sellable product, and their parents', async () => {
    expect(await names('sellable')).toEqual(['Running', 'Shoes & Boots', 'Trail']);
  });

  it('categories: all (and the default of a plain read) reads every one, Expenses and Deliveries included', async () => {
    const all = await names('all');
    expect(all).toEqual(expect.arrayContaining(['Expenses', 'Deliveries', 'Office Supplies', 'Running', 'Shoes & Boots', 'Trail']));
    expect(await names()).toEqual(all);
  });

  it.each([
    ['erp->shop, ERP read', { entity: 'category', direction: 'erp->shop' }, 'erp', { categories: 'sellable' }],
    ['erp->shop with categories: all', { entity: 'category', direction: 'erp->shop', categories: 'all' }, 'erp', { categories: 'all' }],
    ['both: every ERP category counts', { entity: 'category', direction: 'both' }, 'erp', {}],
    ['shop->erp', { entity: 'category', direction: 'shop->erp' }, 'erp', {}],
    ['the shop side is never scoped', { entity: 'category', direction: 'erp->shop' }, 'shop', {}],
    ['other entities', { entity: 'product', direction: 'erp->shop' }, 'erp', {}],
  ] as const)('category scope: %s', (_t, flow, source, want) => {
    expect(categoryScope(flow as never, source)).toEqual(want);
  });

  it.each([
    ['a chain', [['a', null], ['b', 'a'], ['c', 'b']], {}, { a: 0, b: 1, c: 2 }],
    ['parent known from an earlier batch', [['c', 'b']], { b: 'a', a: null }, { c: 2 }],
    ['parent outside what was read: a root here', [['x', '99']], {}, { x: 0 }],
    ['a cycle does not loop', [['p', 'q'], ['q', 'p']], {}, { p: 1, q: 0 }],
  ] as const)('depths: %s', (_t, recs, known, want) => {
    const records = recs.map(([id, parentId]) => ({ id, data: { name: id, parentId } }));
    expect(Object.fromEntries(depths(records, new Map(Object.entries(known))))).toMatchObject(want);
  });
});
