/**
 * The chaos suite's own checks (bench/chaos/check.ts, bench/chaos/nodes.ts): a run with an order twice in
 * the ERP, an order missing, a second payment, a dead letter or a stuck job must fail; the kill plan is the
 * seed's alone and a random kill never takes the last node up.
 */
import { describe, expect, it } from 'vitest';
import { checkOrders, converged, summarizeJobs, verdict, type ErpReader } from '../../bench/chaos/check.js';
import { planKills, startFleet } from '../../bench/chaos/nodes.js';
import { seededRandom } from '../../src/simulators/index.js';

/** An ERP of plain rows; domains of `=` and `=like` (a trailing %) terms, as the checks use them. */
function fakeErp(rows: Record<string, Array<Record<string, unknown>>>): ErpReader {
  const match = (row: Record<string, unknown>, [field, op, value]: [string, string, unknown]) => {
    if (op === '=') return row[field] === value;
    if (op === '=like') return typeof row[field] === 'string' && (row[field] as string).startsWith(String(value).replace(/%$/, ''));
    throw new Error(`operator ${op} not in the fake`);
  };
  return { searchRead: (model, domain) => (rows[model] ?? []).filter((r) => (domain as Array<[string, string, unknown]>).every((t) => match(r, t))) };
}

/** Orders 1001…1000+n, each once with a posted invoice and one payment. */
function healthy(n: number) {
  const numbers = Array.from({ length: n }, (_, i) => String(1001 + i));
  const rows = {
    'sale.order': numbers.map((num, i) => ({ name: `S${i}`, client_order_ref: `shop-${num}`, state: 'sale' })),
    'account.move': numbers.map((_, i) => ({ invoice_origin: `S${i}`, move_type: 'out_invoice', state: 'posted' })),
    'account.payment': numbers.map((num) => ({ ref: `${num} shop payment` })),
  };
  return { numbers, rows };
}

const passing = { jobs: { deadLetters: 0, stuckJobs: 0 }, convergedMs: 1000, stockMismatches: [], kills: { planned: 2, done: 2 } };

describe('chaos outcome checks', () => {
  it('a clean run passes', () => {
    const { numbers, rows } = healthy(5);
    const c = checkOrders(fakeErp(rows), numbers);
    expect(c).toEqual({ missing: [], duplicated: [], withoutInvoice: [], withoutPayment: [] });
    expect(converged(c)).toBe(true);
    expect(verdict({ ...passing, orders: c })).toEqual([]);
  });

  it('an order imported twice fails the run, even when the run converged in time', () => {
    const { numbers, rows } = healthy(5);
    rows['sale.order'].push({ name: 'S99', client_order_ref: 'shop-1003', state: 'sale' });
    const c = checkOrders(fakeErp(rows), numbers);
    expect(c.duplicated).toEqual(['1003']);
    expect(converged(c)).toBe(false);
    expect(verdict({ ...passing, orders: c })).toEqual(['1 orders twice in the ERP']);
  });

  it('a missing order, a second payment or a missing invoice fails the run', () => {
    const { numbers, rows } = healthy(5);
    rows['sale.order'].splice(1, 1); // 1002 never reached the ERP
    rows['account.payment'].push({ ref: '1004 shop payment' });
    rows['account.move'][4]!.state = 'draft';
    const c = checkOrders(fakeErp(rows), numbers);
    expect(c).toEqual({ missing: ['1002'], duplicated: [], withoutInvoice: ['1005'], withoutPayment: ['1004'] });
    expect(verdict({ ...passing, orders: c, convergedMs: null })).toHaveLength(4);
  });

  it('dead letters, stuck jobs, stock differences and kills that did not happen fail the run', () => {
    const { numbers, rows } = healthy(2);
    const orders = checkOrders(fakeErp(rows), numbers);
    expect(verdict({ ...passing, orders, jobs: { deadLetters: 1, stuckJobs: 0 } })).toEqual(['1 dead letters']);
    expect(verdict({ ...passing, orders, jobs: { deadLetters: 0, stuckJobs: 2 } })).toEqual(['2 stuck jobs']);
    expect(verdict({ ...passing, orders, stockMismatches: [{}] })).toEqual(['1 stock levels differ from the ERP']);
    expect(verdict({ ...passing, orders, kills: { planned: 3, done: 1 } })).toEqual(['2 planned kills did not happen']);
    expect(verdict({ ...passing, orders, outageRecoveredMs: null })).toHaveLength(1);
  });

  it('counts re-runs, dead letters and stuck jobs from the job rows', () => {
    const now = 1_000_000;
    const s = summarizeJobs(
      [
        { state: 'done', attempts: 1, run_at: 0, locked_until: null },
        { state: 'done', attempts: 3, run_at: 0, locked_until: null },
        { state: 'dead', attempts: 5, run_at: 0, locked_until: null },
        { state: 'queued', attempts: 0, run_at: now - 31_000, locked_until: null },
        { state: 'queued', attempts: 0, run_at: now - 1_000, locked_until: null },
        { state: 'running', attempts: 2, run_at: 0, locked_until: now - 40_000 },
      ],
      now,
    );
    expect(s).toEqual({ deadLetters: 1, stuckJobs: 2, rerunJobs: 3, extraAttempts: 2 + 4 + 1, pending: 3 });
  });
});

describe('chaos kill plan', () => {
  it('random kills: the same seed gives the same plan, inside the burst, on existing nodes', () => {
    const a = planKills(seededRandom(9), { orders: 200, kills: 5, nodes: 3, mode: 'random' });
    expect(planKills(seededRandom(9), { orders: 200, kills: 5, nodes: 3, mode: 'random' })).toEqual(a);
    expect(planKills(seededRandom(10), { orders: 200, kills: 5, nodes: 3, mode: 'random' })).not.toEqual(a);
    expect(a).toHaveLength(5);
    for (const k of a) {
      expect(k.atOrder).toBeGreaterThanOrEqual(20);
      expect(k.atOrder).toBeLessThan(180);
      expect(k.victim).toBeGreaterThanOrEqual(0);
      expect(k.victim).toBeLessThan(3);
      expect(k.downMs).toBeGreaterThanOrEqual(500);
    }
    expect(a.map((k) => k.atOrder)).toEqual([...a.map((k) => k.atOrder)].sort((x, y) => x - y));
  });

  it('even kills: evenly spaced, node after node, restarted at once', () => {
    expect(planKills(seededRandom(1), { orders: 90, kills: 2, nodes: 2, mode: 'even' })).toEqual([
      { atOrder: 30, victim: 0, downMs: 0 },
      { atOrder: 60, victim: 1, downMs: 0 },
    ]);
  });

  it('a random kill never takes the last node up, and moves to the next node up when its victim is down', () => {
    const fleet = startFleet({ count: 3, dir: '/nonexistent', env: {} });
    fleet.urls.splice(0, 3, 'http://a', '', 'http://c');
    expect(fleet.pickUp(1)).toBe(2);
    expect(fleet.pickUp(0)).toBe(0);
    fleet.urls[2] = '';
    expect(fleet.pickUp(0)).toBeUndefined();
  });
});
