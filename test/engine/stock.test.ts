import { describe, expect, it } from 'vitest';
import { computeShopStock, locationMapper } from '../../src/engine/stock/compute.js';
import { decideAlert } from '../../src/engine/stock/alerts-policy.js';
import { demandRows } from '../../src/engine/stock/demand.js';

const cfg = (over: Record<string, unknown> = {}) => ({ master: 'erp', safetyBuffer: { default: 0, perSku: {} }, locations: [], lowStock: { threshold: 5, hysteresis: 2, perSku: {} }, ...over }) as never;
const level = (sku: string, location: string, onHand: number, available: number) => ({ sku, location, onHand, reserved: onHand - available, available });

describe('available to sell', () => {
  it('sums ERP locations into the shop location; available = on hand − reserved − buffer', () => {
    const out = computeShopStock([level('A', 'WH/Stock', 10, 8), level('A', 'WH2/Stock', 5, 5)], cfg({ safetyBuffer: { default: 1, perSku: { A: 2 } } }));
    expect(out.get('A@default')).toEqual({ id: 'A@default', sku: 'A', location: 'default', onHand: 15, reserved: 2, available: 11 });
  });
  it('maps locations, covers children, ignores unmapped ones', () => {
    const c = cfg({ locations: [{ erp: 'WH/Stock', shop: 'berlin' }, { erp: 'WH2', shop: 'kyiv' }] });
    const out = computeShopStock([level('A', 'WH/Stock/Shelf 1', 3, 3), level('A', 'WH2/Stock', 4, 4), level('A', 'OTHER/Stock', 9, 9)], c);
    expect([...out.keys()].sort()).toEqual(['A@berlin', 'A@kyiv']);
    expect(out.get('A@berlin')!.available).toBe(3);
    const map = locationMapper(c);
    expect([map('WH/Stock'), map('WH/Stock/A'), map('WH2/Stock'), map('WH20/Stock')]).toEqual(['berlin', 'berlin', 'kyiv', null]);
  });
  it('never negative; shop orders not yet in the ERP are held back', () => {
    const out = computeShopStock([level('A', 'WH/Stock', 2, 2), level('B', 'WH/Stock', 10, 10)], cfg({ safetyBuffer: { default: 3, perSku: {} } }), new Map([['B', 4]]));
    expect(out.get('A@default')!.available).toBe(0);
    expect(out.get('B@default')!.available).toBe(3);
  });
});

describe('low-stock alert policy', () => {
  it.each([
    ['first look at a low level fires', undefined, 3, { fire: true, armed: false }],
    ['above threshold stays armed', { armed: true }, 9, { fire: false, armed: true }],
    ['crossing down fires once', { armed: true }, 5, { fire: true, armed: false }],
    ['staying low does not fire again', { armed: false }, 4, { fire: false, armed: false }],
    ['climbing inside the hysteresis band does not re-arm', { armed: false }, 7, { fire: false, armed: false }],
    ['climbing above threshold + hysteresis re-arms', { armed: false }, 8, { fire: false, armed: true }],
  ] as const)('%s', (_t, prev, available, expected) => {
    expect(decideAlert(prev, available, 5, 2)).toEqual(expected);
  });
});

describe('demand figures', () => {
  it('velocity over 30 days and days of cover; SKUs without sales have no cover limit', () => {
    const rows = demandRows(new Map([['A', 20], ['B', 5], ['C', 7]]), new Map([['A', 7]]), new Map([['A', 30], ['B', 60]]));
    expect(rows).toEqual([
      { sku: 'B', readAt: null, available: 5, sold7: 0, sold30: 60, velocity: 2, daysOfCover: 2.5 },
      { sku: 'A', readAt: null, available: 20, sold7: 7, sold30: 30, velocity: 1, daysOfCover: 20 },
      { sku: 'C', readAt: null, available: 7, sold7: 0, sold30: 0, velocity: 0, daysOfCover: null },
    ]);
  });
});
