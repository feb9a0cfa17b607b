/**
 * Keyset change feeds against an in-memory table that behaves like Odoo 17's write_date: stored with
 * microseconds, shown in whole seconds, compared on the stored value (03_incremental_sync), and stamped
 * with the transaction start (a late commit carries an older write_date).
 */
import { describe, it, expect } from 'vitest';
import { readFeed } from '../../../src/connectors/odoo/feed.js';
import { readChanges, snapshot, type ChangeCursor } from '../../../src/connectors/odoo/changes.js';
import type { OdooTransport } from '../../../src/connectors/odoo/transport.js';
import type { Json, SourceRecord } from '../../../src/connectors/contract.js';

interface Row {
  id: number;
  stored: string; // "YYYY-MM-DD HH:MM:SS.ffffff"
  name: string;
}

class FakeOdoo {
  rows: Row[] = [];
  calls = 0;
  call(_model: string, method: string, opts: { kwargs: { domain: Json[]; order: string; limit: number } }): Promise<unknown> {
    if (method !== 'search_read') throw new Error(method);
    this.calls += 1;
    const { domain, order, limit } = opts.kwargs;
    let rows = this.rows.filter((r) =>
      domain.every((leaf) => {
        const [f, op, v] = leaf as [string, string, string | number];
        const left = f === 'write_date' ? r.stored : f === 'id' ? r.id : undefined;
        if (left === undefined) return true;
        if (op === '>=') return left >= v;
        if (op === '<') return left < v;
        if (op === '>') return left > v;
        throw new Error(op);
      }),
    );
    rows = [...rows].sort(order.startsWith('id') ? (a, b) => a.id - b.id : (a, b) => (a.stored < b.stored ? -1 : a.stored > b.stored ? 1 : a.id - b.id));
    return Promise.resolve(rows.slice(0, limit).map((r) => ({ id: r.id, write_date: r.stored.slice(0, 19), name: r.name })));
  }
  asTransport(): OdooTransport {
    return this as unknown as OdooTransport;
  }
}

function micro(second: string, us: number): string {
  return `${second}.${String(us).padStart(6, '0')}`;
}

async function collect(t: OdooTransport, start: string | null, pageSize: number): Promise<number[]> {
  const out: number[] = [];
  for await (const page of readFeed(t, { model: 'm', domain: [], fields: ['name'] }, start, pageSize)) out.push(...page.rows.map((r) => r.id));
  return out;
}

describe('odoo change feed (keyset on write_date, id)', () => {
  it('reads 2,500 records written in ONE second (one batch create) exactly once, pages of 1,000', async () => {
    const db = new FakeOdoo();
    // microseconds NOT in id order: a page cut inside the second must not rely on id order of write_date
    for (let i = 1; i <= 2500; i++) db.rows.push({ id: i, stored: micro('2026-11-26 14:00:03', (i * 7919) % 1_000_000), name: `p${i}` });
    const ids = await collect(db.asTransport(), null, 1000);
    expect(ids).toHaveLength(2500);
    expect(new Set(ids).size).toBe(2500);
    expect(db.calls).toBeLessThanOrEqual(6);
  });

  it('reads records spread over seconds with page cuts inside seconds, once each, oldest first', async () => {
    const db = new FakeOdoo();
    let id = 0;
    for (let s = 0; s < 30; s++) for (let k = 0; k < 37; k++) db.rows.push({ id: ++id, stored: micro(`2026-11-26 14:00:${String(s).padStart(2, '0')}`, (k * 104729) % 1_000_000), name: 'x' });
    const ids = await collect(db.asTransport(), null, 50);
    expect(new Set(ids).size).toBe(id);
    expect(ids).toHaveLength(id);
    const seconds = ids.map((i) => db.rows[i - 1]!.stored.slice(0, 19));
    expect([...seconds].sort()).toEqual(seconds);
  });

  it('starts at a second inclusively (17: `>=` on the shown second matches the stored microseconds)', async () => {
    const db = new FakeOdoo();
    db.rows.push({ id: 1, stored: micro('2026-11-26 14:00:02', 999_999), name: 'a' }, { id: 2, stored: micro('2026-11-26 14:00:03', 1), name: 'b' });
    expect(await collect(db.asTransport(), '2026-11-26 14:00:03', 10)).toEqual([2]);
  });
});

describe('odoo incremental read (overlap window + content de-duplication)', () => {
  const load = (db: FakeOdoo) => async (ids: string[]): Promise<SourceRecord<'category'>[]> =>
    ids.map((id) => db.rows.find((r) => String(r.id) === id)!).map((r) => ({ entity: 'category', id: String(r.id), updatedAt: null, data: { name: r.name, parentId: null }, raw: { name: r.name } }));

  async function readAll(db: FakeOdoo, cursor: Json | null, overlapSeconds = 60) {
    const records: string[] = [];
    let last: Json | null = cursor;
    for await (const b of readChanges<'category'>({ transport: db.asTransport(), feeds: [{ key: 'c', spec: { model: 'm', domain: [], fields: ['id'] }, outIds: (rows) => rows.map((r) => String(r.id)) }], cursor, overlapSeconds, pageSize: 100, load: load(db) })) {
      records.push(...b.records.map((r) => r.id));
      last = b.cursor;
    }
    return { records, cursor: last };
  }

  it('re-reads the overlap but delivers only what changed — even a change within the same shown second', async () => {
    const db = new FakeOdoo();
    for (let i = 1; i <= 5; i++) db.rows.push({ id: i, stored: micro('2026-11-26 14:00:03', i * 1000), name: `c${i}` });
    const first = await readAll(db, null);
    expect(first.records).toEqual(['1', '2', '3', '4', '5']);
    expect((await readAll(db, first.cursor)).records).toEqual([]);
    // changed 0.2 s later: same shown write_date "14:00:03", different content
    db.rows[2] = { id: 3, stored: micro('2026-11-26 14:00:03', 900_000), name: 'c3 v2' };
    const second = await readAll(db, first.cursor);
    expect(second.records).toEqual(['3']);
    expect((await readAll(db, second.cursor)).records).toEqual([]);
  });

  it('picks up a late commit stamped before the cursor (transaction start), within the overlap window', async () => {
    const db = new FakeOdoo();
    db.rows.push({ id: 1, stored: micro('2026-11-26 14:10:00', 0), name: 'a' });
    const first = await readAll(db, null, 120);
    db.rows.push({ id: 2, stored: micro('2026-11-26 14:09:00', 5), name: 'late' });
    expect((await readAll(db, first.cursor, 120)).records).toEqual(['2']);
  });

  it('the cursor keeps only the overlap window of seen records', () => {
    const state: ChangeCursor = { v: 1, feeds: { c: '2026-11-26 14:10:00' }, seen: { '1': ['h1', '2026-11-26 14:00:00'], '2': ['h2', '2026-11-26 14:09:30'] } };
    expect(Object.keys(snapshot(state, 60).seen)).toEqual(['2']);
  });

  it('an unreadable cursor means a full read, not a crash', async () => {
    const db = new FakeOdoo();
    db.rows.push({ id: 1, stored: micro('2026-11-26 14:00:00', 0), name: 'a' });
    expect((await readAll(db, { nonsense: true } as Json)).records).toEqual(['1']);
  });
});
