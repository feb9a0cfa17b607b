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
import type { ErpConnector, SourceRecord } from '../../../src/connectors/contract.js';

describe('Odoo categories are read parents first', () => {
  let sim: OdooSimulator;
  let c: ErpConnector;
  beforeAll(async () => {
    sim = await startOdooSimulator({ version: 17 });
    // a tree created in one second, a child written before its parent
    const shoes = sim.env.create('product.category', { name: 'Shoes' });
    const running = sim.env.create('product.category', { name: 'Running', parent_id: shoes });
    sim.env.create('product.category', { name: 'Trail', parent_id: running });
    sim.env.write('product.category', [shoes], { name: 'Shoes & Boots' });
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
