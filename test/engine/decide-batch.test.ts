/**
 * The record pipeline's decision, case by case (pure: no store, no connector). A shop → ERP product flow
 * where the shop owns name and variant prices and the ERP owns the description.
 */
import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../src/connectors/contract.js';
import type { EntityType } from '../../src/model/entities.js';
import { SyncError } from '../../src/shared/errors.js';
import type { Prepared } from '../../src/engine/records/batch.js';
import { BatchOutcomes } from '../../src/engine/records/batch-outcomes.js';
import { decideBatch, matchBatch, type DecisionDirection, type MatchFacts, type TargetFacts } from '../../src/engine/records/decide-batch.js';
import { hashValue } from '../../src/engine/records/hash.js';
import { pick } from '../../src/engine/records/ownership.js';
import { judgeWrite, reportPlanned } from '../../src/engine/records/write-records.js';
import { RunReport } from '../../src/engine/report.js';

const dir: DecisionDirection<'product'> = {
  entity: 'product',
  source: 'shop',
  target: 'erp',
  ownedBySource: ['name', 'variants.sku', 'variants.price'],
  ownedByTarget: ['description'],
  comparable: ['name', 'variants.sku', 'variants.price'],
  comparableByTarget: ['description'],
  from: { name: 'shop' },
  to: { name: 'odoo' },
};

type P = { name: string; description: string; variants: Array<{ sku: string; price: string }> };
const product = (sku: string, over: Partial<P> = {}): P => ({ name: `Tee ${sku}`, description: 'cotton', variants: [{ sku, price: '10' }], ...over });

function prepared(id: string, data: P, hash = `h-${id}`): Prepared<'product'> {
  return { rec: { entity: 'product', id, updatedAt: null, data: data as never, raw: null }, data: data as never, hash, label: data.variants[0]!.sku };
}

const target = (id: string, data: P | null, extra: Partial<SourceRecord> = {}): SourceRecord => ({ entity: 'product', id, updatedAt: null, data: data as never, raw: null, ...extra });

function facts(over: Partial<MatchFacts<'product'> & TargetFacts> & { prepared: Prepared<'product'>[] }): MatchFacts<'product'> & TargetFacts {
  return { links: new Map(), matches: new Map(), claimed: new Map(), twins: new Map(), targets: new Map(), targetRefs: new Map(), lookup: () => undefined, ...over };
}

const link = (shopId: string, erpId: string, shopHash: string | null, erpHash: string | null = null) => ({ shopId, erpId, shopHash, erpHash });
const erpSideHash = (d: P) => hashValue(pick(d as unknown as Record<string, unknown>, ['description']));

describe('decideBatch: what happens to each record', () => {
  it('a new record (no link, no natural-key match) is created, with the hash of the target-owned fields on its link', () => {
    const p = prepared('1', product('A'));
    const d = decideBatch(dir, facts({ prepared: [p] }));
    expect(d.settled).toEqual([]);
    expect(d.updates).toEqual([]);
    expect(d.creates).toEqual([{ p, targetHash: erpSideHash(product('A')), relink: false }]);
  });

  it('a linked record with the hash of its last sync is unchanged: no read of the target, no write, no link write', () => {
    const p = prepared('1', product('A'), 'same');
    const m = matchBatch(dir, facts({ prepared: [p], links: new Map([['1', link('1', '900', 'same')]]) }));
    expect(m).toEqual({ settled: [{ p, outcome: 'unchanged', targetId: '900' }], compare: [], creates: [] });
  });

  it('a linked record whose hash changed but whose target already has the values is unchanged, and its link is refreshed', () => {
    const p = prepared('1', product('A'), 'new');
    const d = decideBatch(dir, facts({ prepared: [p], links: new Map([['1', link('1', '900', 'old')]]), targets: new Map([['900', target('900', product('A', { description: 'ERP text' }))]]) }));
    expect(d.updates).toEqual([]);
    expect(d.creates).toEqual([]);
    expect(d.settled).toMatchObject([{ outcome: 'unchanged', targetId: '900', link: { entity: 'product', shopId: '1', erpId: '900', shopHash: 'new' } }]);
    // the ERP's own description is not in the shop yet: its hash is not marked synced
    expect(d.settled[0]).not.toHaveProperty('link.erpHash');
  });

  it('a linked record that differs from its target is an update of the source-owned fields merged into the target record', () => {
    const p = prepared('1', product('A', { name: 'New name', description: 'cotton' }), 'new');
    const cur = product('A', { name: 'Old name', description: 'cotton' });
    const d = decideBatch(dir, facts({ prepared: [p], links: new Map([['1', link('1', '900', 'old')]]), targets: new Map([['900', target('900', cur, { childIds: { A: '901' } })]]) }));
    expect(d.settled).toEqual([]);
    expect(d.updates).toEqual([
      {
        p,
        targetHash: erpSideHash(cur), // the ERP's own fields equal the shop's: synced
        op: { kind: 'update', key: '1', targetId: '900', childIds: { A: '901' }, record: { ...cur, name: 'New name', variants: [{ sku: 'A', price: '10' }] }, fields: dir.ownedBySource },
      },
    ]);
  });

  it('an unlinked record matched by natural key is linked when equal, updated (keeping the match) when not', () => {
    const equal = prepared('1', product('A'));
    const differs = prepared('2', product('B', { name: 'Shop name' }));
    const d = decideBatch(
      dir,
      facts({
        prepared: [equal, differs],
        matches: new Map([
          ['1', { kind: 'one', id: '900', via: 'sku:A' }],
          ['2', { kind: 'one', id: '910', via: 'sku:B' }],
        ]),
        targets: new Map([
          ['900', target('900', product('A'))],
          ['910', target('910', product('B', { name: 'ERP name' }))],
        ]),
      }),
    );
    expect(d.settled).toMatchObject([{ p: equal, outcome: 'linked', targetId: '900', via: 'sku:A', link: { shopId: '1', erpId: '900', shopHash: 'h-1', erpHash: erpSideHash(product('A')) } }]);
    expect(d.updates).toMatchObject([{ p: differs, via: 'sku:B', op: { targetId: '910', record: { name: 'Shop name' } } }]);
    expect(d.creates).toEqual([]);
  });

  it.each([
    ['a key that matches several target records', { matches: new Map([['1', { kind: 'ambiguous' as const, ids: ['900', '901'], via: 'sku:A' }]]) }, /sku:A matches 2 records in odoo \(ids 900, 901\); Tandem does not guess/],
    ['a key another source record carries too (twins)', { matches: new Map([['1', { kind: 'one' as const, id: '900', via: 'sku:A' }]]), twins: new Map([['1', { via: 'sku:A', ids: ['1', '7'] }]]) }, /sku:A is carried by 2 records in shop \(ids 1, 7\); Tandem does not guess which one is odoo record 900/],
    ['a target already linked to another source record', { matches: new Map([['1', { kind: 'one' as const, id: '900', via: 'sku:A' }]]), claimed: new Map([['900', { shopId: '7', erpId: '900' }]]) }, /sku:A matches odoo record 900, which is already linked to shop record 7/],
  ])('%s is a conflict, never a guess', (_what, over, message) => {
    const p = prepared('1', product('A'));
    const d = decideBatch(dir, facts({ prepared: [p], ...over }));
    expect(d.creates).toEqual([]);
    expect(d.updates).toEqual([]);
    expect(d.settled).toHaveLength(1);
    const s = d.settled[0]!;
    expect(s.outcome).toBe('failed');
    if (s.outcome === 'failed') {
      expect(s.error).toBeInstanceOf(SyncError);
      expect(s.error.kind).toBe('conflict');
      expect(s.error.record).toBe('A');
      expect(s.error.message).toMatch(message);
      expect(s.error.hint).toMatch(/unique/);
    }
  });

  it('two records of one batch matching the same target: the first is linked, the second is a conflict', () => {
    const [a, b] = [prepared('1', product('A')), prepared('2', product('A'))];
    const one = { kind: 'one' as const, id: '900', via: 'sku:A' };
    const d = decideBatch(dir, facts({ prepared: [a, b], matches: new Map([['1', one], ['2', one]]), targets: new Map([['900', target('900', product('A'))]]) }));
    expect(d.settled.map((s) => [s.p.rec.id, s.outcome])).toEqual([
      ['2', 'failed'],
      ['1', 'linked'],
    ]);
  });

  it.each([
    ['vanished', undefined],
    ['deleted (archived) there', target('900', product('A'), { deleted: true })],
  ])('a linked record whose target %s is created again, replacing the stale link', (_what, cur) => {
    const p = prepared('1', product('A'), 'new');
    const d = decideBatch(dir, facts({ prepared: [p], links: new Map([['1', link('1', '900', 'old')]]), targets: cur ? new Map([['900', cur]]) : new Map() }));
    expect(d.creates).toEqual([{ p, targetHash: erpSideHash(product('A')), relink: true }]);
    expect(d.updates).toEqual([]);
  });

  it('a target that cannot be read fails the record with the target\'s own error', () => {
    const p = prepared('1', product('A'), 'new');
    const error = new SyncError('mapping', 'unknown attribute "Größe"', { system: 'odoo' });
    const d = decideBatch(dir, facts({ prepared: [p], links: new Map([['1', link('1', '900', 'old')]]), targets: new Map([['900', target('900', null, { error })]]) }));
    expect(d.settled).toMatchObject([{ outcome: 'failed', error: { kind: 'mapping', message: 'unknown attribute "Größe"', entity: 'product', record: 'A' } }]);
  });

  it('the target\'s own changes not yet in the source keep the stored target hash (null), so the reverse direction still carries them', () => {
    const p = prepared('1', product('A', { name: 'New', description: 'cotton' }), 'new');
    const d = decideBatch(dir, facts({ prepared: [p], links: new Map([['1', link('1', '900', 'old', 'erp-old')]]), targets: new Map([['900', target('900', product('A', { name: 'Old', description: 'changed in the ERP' }))]]) }));
    expect(d.updates).toMatchObject([{ targetHash: null }]);
  });

  it('categories are compared in the target\'s ids, and only where Tandem links them', () => {
    const catDir = { ...dir, ownedBySource: ['name', 'categoryIds'], comparable: ['name', 'categoryIds'], ownedByTarget: [], comparableByTarget: [] };
    const p = prepared('1', { ...product('A'), categoryIds: ['s-shoes'] } as unknown as P, 'new');
    // the ERP record carries the linked category (e-shoes) and its default "All" (e-all), which no shop category maps to
    const cur = target('900', { ...product('A'), categoryIds: ['e-all', 'e-shoes'] } as unknown as P);
    const d = decideBatch(catDir, facts({ prepared: [p], links: new Map([['1', link('1', '900', 'old')]]), targets: new Map([['900', cur]]), targetRefs: new Map([['e-shoes', 's-shoes']]), lookup: (_e, id) => (id === 's-shoes' ? 'e-shoes' : undefined) }));
    expect(d.updates).toEqual([]);
    expect(d.settled).toMatchObject([{ outcome: 'unchanged', link: { erpHash: hashValue({}) } }]);
  });
});

describe('keyed records (prices: "<sku>@<pricelist>" on both sides)', () => {
  const priceDir: DecisionDirection<'price'> = { ...dir, entity: 'price', ownedBySource: ['amount'], comparable: ['amount'], ownedByTarget: [], comparableByTarget: [] } as DecisionDirection<'price'>;
  const price = (amount: string) => ({ sku: 'A', pricelist: 'default', amount: { amount, currency: 'EUR' } });
  const pp = (amount: string) => ({ rec: { entity: 'price' as EntityType, id: 'A@default', updatedAt: null, data: price(amount), raw: null }, data: price(amount), hash: `h${amount}`, label: 'A@default' }) as unknown as Prepared<'price'>;

  it('are never matched: the same key is compared in the target, and written in place when it differs', () => {
    const p = pp('12');
    const m = matchBatch(priceDir, { prepared: [p], links: new Map(), matches: new Map(), claimed: new Map(), twins: new Map() });
    expect(m.compare).toEqual([{ p, targetId: 'A@default', via: 'key' }]);
    const d = decideBatch(priceDir, { prepared: [p], links: new Map(), matches: new Map(), claimed: new Map(), twins: new Map(), targets: new Map([['A@default', { entity: 'price', id: 'A@default', updatedAt: null, data: price('10') as never, raw: null }]]), targetRefs: new Map(), lookup: () => undefined });
    expect(d.updates).toMatchObject([{ via: 'key', op: { kind: 'update', targetId: 'A@default', record: { amount: { amount: '12' } } } }]);
  });

  it('a key the target does not return is written in place too (never created): the SKU must exist there', () => {
    const p = pp('12');
    const d = decideBatch(priceDir, { prepared: [p], links: new Map(), matches: new Map(), claimed: new Map(), twins: new Map(), targets: new Map(), targetRefs: new Map(), lookup: () => undefined });
    expect(d.creates).toEqual([]);
    expect(d.updates).toEqual([{ p, via: 'key', targetHash: null, op: { kind: 'update', key: 'A@default', targetId: 'A@default', record: price('12'), fields: ['amount'] } }]);
  });

  it.each([
    ['unlinked', new Map()],
    ['linked, changed', new Map([['A@default', link('A@default', 'A@default', 'h10')]])],
  ])('a key carried by two source records (one SKU on two ERP products) is refused, never written: %s', (_, links) => {
    const twins = new Map([['A@default', { via: 'sku:A', ids: ['11', '12'] }]]);
    const d = decideBatch(priceDir, { prepared: [pp('12'), pp('14')], links: links as never, matches: new Map(), claimed: new Map(), twins, targets: new Map(), targetRefs: new Map(), lookup: () => undefined });
    expect(d.updates).toEqual([]);
    expect(d.settled.map((s) => [s.outcome, 'error' in s ? s.error.message : undefined])).toEqual([
      ['failed', 'sku:A is carried by 2 records in shop (ids 11, 12); Tandem does not guess which one is odoo record A@default'],
      ['failed', 'sku:A is carried by 2 records in shop (ids 11, 12); Tandem does not guess which one is odoo record A@default'],
    ]);
  });
});

describe('judgeWrite: what a write result means for the record', () => {
  const p = prepared('1', product('A'));
  const refused = new SyncError('invalid_data', 'barcode already used', { system: 'odoo' });
  it.each([
    ['written', { ok: true as const, key: '1', id: '900', created: true, childIds: { A: '901' } }, 'product', { kind: 'written', targetId: '900', childIds: { A: '901' } }],
    ['refused', { ok: false as const, key: '1', error: refused }, 'product', { kind: 'failed', error: { message: 'barcode already used', entity: 'product', record: 'A' } }],
    ['not found (a product)', { ok: false as const, key: '1', error: new SyncError('not_found', 'gone') }, 'product', { kind: 'failed' }],
    ['not found (a price: the SKU is not sold there)', { ok: false as const, key: '1', error: new SyncError('not_found', 'no product A') }, 'price', { kind: 'not-sold', reason: 'A is not sold in odoo: no product A' }],
    ['rate limited, with Retry-After', { ok: false as const, key: '1', error: new SyncError('rate_limited', 'slow down', { retryAfterMs: 2_000 }) }, 'product', { kind: 'retry-later', afterMs: 2_000 }],
    ['a lost connection', { ok: false as const, key: '1', error: new SyncError('network', 'ECONNRESET') }, 'product', { kind: 'retry-later', afterMs: 30_000 }],
    ['no result at all', undefined, 'product', { kind: 'failed', error: { message: 'no write result returned' } }],
  ])('%s', (_what, result, entity, verdict) => {
    expect(judgeWrite({ entity: entity as EntityType, to: { name: 'odoo' } }, p as never, result)).toMatchObject(verdict);
  });
});

describe('a plan (dry run)', () => {
  it('reports the writes it would do and stores no link', () => {
    const [a, b] = [prepared('1', product('A')), prepared('2', product('B', { name: 'New' }), 'new')];
    const d = decideBatch(dir, facts({ prepared: [a, b], links: new Map([['2', link('2', '910', 'old')]]), targets: new Map([['910', target('910', product('B'))]]) }));
    const outcomes = new BatchOutcomes(dir, new RunReport('product', 'shop->erp'));
    reportPlanned(d, outcomes);
    expect(outcomes.report.counts).toMatchObject({ created: 1, updated: 1 });
    expect(outcomes.report.examples.updated).toEqual([{ outcome: 'updated', id: '2', label: 'B', targetId: '910' }]);
    expect(outcomes.mutations).toMatchObject({ links: [], deadLetters: [] });
  });
});
