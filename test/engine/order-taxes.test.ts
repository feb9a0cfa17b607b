import { describe, expect, it } from 'vitest';
import { chooseTax, lineTaxIds, neededTaxes, resolveTaxChoices, type TaxRules } from '../../src/engine/orders/taxes.js';
import type { Order } from '../../src/model/entities.js';
import { SyncError } from '../../src/shared/errors.js';

const usd = (amount: string) => ({ amount, currency: 'USD' });

function order(over: Partial<Order> = {}): Order {
  return {
    number: '2001', status: 'confirmed', currency: 'USD', createdAt: '2026-12-03T08:00:00Z',
    customer: { email: 'tax@example.com', firstName: 'T', lastName: 'X', id: null, phone: null },
    billingAddress: null, shippingAddress: null,
    lines: [{ id: '1', sku: 'A', name: 'A', quantity: 1, unitPrice: usd('20.00'), discount: null, subtotal: usd('20.00'), tax: usd('3.00'), taxRate: '15', total: usd('23.00') }],
    shipping: [], discounts: [], taxes: [{ rate: '15', label: 'State tax', amount: usd('3.00') }], pricesIncludeTax: false,
    total: usd('23.00'), totalTax: usd('3.00'), payment: null, note: '', shipments: [], refunds: [],
    ...over,
  };
}

describe('the ERP tax of a line (orders.taxes)', () => {
  const excl = false;
  it.each<[string, TaxRules, string | null, string | null, boolean, ReturnType<typeof chooseTax>]>([
    ['named rule by rate', [{ rate: '15', erpTax: '15%' }], '15', null, excl, { kind: 'named', name: '15%' }],
    ['rate written differently ("15.0")', [{ rate: '15.0', erpTax: '15%' }], '15', null, excl, { kind: 'named', name: '15%' }],
    ['erpTax omitted → ERP sale tax by rate, price excluded like the shop', [{ rate: '15' }], '15', null, excl, { kind: 'byRate', rate: '15', priceIncluded: false }],
    ['erpTax omitted, shop prices include tax → a price-included ERP tax', [{ rate: '20' }], '20', null, true, { kind: 'byRate', rate: '20', priceIncluded: true }],
    ['erpTax null → deliberately untaxed', [{ rate: '15', erpTax: null }], '15', null, excl, { kind: 'untaxed', why: 'rule' }],
    ['catch-all rule matches a taxed line', [{ erpTax: '15%' }], '15', null, excl, { kind: 'named', name: '15%' }],
    ['catch-all without erpTax finds by rate', [{}], '6', null, excl, { kind: 'byRate', rate: '6', priceIncluded: false }],
    ['catch-all does NOT tax a line the shop left untaxed', [{ erpTax: '15%' }], '0', null, excl, { kind: 'untaxed', why: 'shop' }],
    ['an explicit 0 % rule applies to untaxed lines', [{ rate: '0', erpTax: '0% EX' }], '0', null, excl, { kind: 'named', name: '0% EX' }],
    ['label rule, case-insensitive', [{ label: 'state tax', erpTax: 'ST' }], '15', 'State Tax', excl, { kind: 'named', name: 'ST' }],
    ['first matching rule wins', [{ rate: '15', erpTax: 'A' }, { rate: '15', erpTax: 'B' }], '15', null, excl, { kind: 'named', name: 'A' }],
    ['no rule for a taxed line → null (an error for the caller)', [{ rate: '20', erpTax: 'V' }], '15', null, excl, null],
    ['no rules at all, taxed line → null', [], '15', null, excl, null],
    ['no rules at all, untaxed line → untaxed as the shop charged it', [], '0', null, excl, { kind: 'untaxed', why: 'shop' }],
    ['unknown rate cannot be found by rate', [{}], null, null, excl, null],
  ])('%s', (_t, rules, rate, label, incl, want) => {
    expect(chooseTax(rules, { rate, label }, incl)).toEqual(want);
  });

  it('needs each ERP tax once, named and by rate, never the untaxed ones', () => {
    const o = order({ shipping: [{ method: 'flat_rate', carrier: null, total: usd('5.00'), tax: usd('0.75') }] });
    expect(neededTaxes(o, [{ rate: '15' }], ['15', '15', '0'])).toEqual([{ kind: 'byRate', rate: '15', priceIncluded: false }]);
  });

  it('resolves names with resolveTaxes and rates with findSaleTaxes', async () => {
    const calls: string[] = [];
    const erp = {
      resolveTaxes: async (names: string[]) => (calls.push(`names:${names.join(',')}`), new Map([['15%', '1']])),
      findSaleTaxes: async (q: { rate: string; priceIncluded: boolean }) => (calls.push(`rate:${q.rate}:${q.priceIncluded}`), [{ id: '4', name: '6%' }]),
    };
    const got = await resolveTaxChoices(erp, [{ kind: 'named', name: '15%' }, { kind: 'byRate', rate: '6', priceIncluded: false }]);
    expect(calls.sort()).toEqual(['names:15%', 'rate:6:false']);
    expect(got.get('name:15%')).toEqual([{ id: '1', name: '15%' }]);
    expect(got.get('rate:6:excl')).toEqual([{ id: '4', name: '6%' }]);
  });

  it.each<[string, TaxRules, Map<string, Array<{ id: string; name: string }>>, string[] | RegExp]>([
    ['by rate, one ERP tax', [{ rate: '15' }], new Map([['rate:15:excl', [{ id: '1', name: '15%' }]]]), ['1']],
    ['named', [{ rate: '15', erpTax: '15%' }], new Map([['name:15%', [{ id: '1', name: '15%' }]]]), ['1']],
    ['untaxed by rule', [{ rate: '15', erpTax: null }], new Map(), []],
    ['no rule → error naming the rate, the shop label and the rule to add', [], new Map(), /line 1 \(A\): taxed at 15 % \("State tax"\) and no rule in orders\.taxes matches/],
    ['by rate, none in the ERP → error', [{ rate: '15' }], new Map([['rate:15:excl', []]]), /no price-excluded sale tax of 15 %/],
    ['by rate, two in the ERP → ambiguous, names both', [{ rate: '15' }], new Map([['rate:15:excl', [{ id: '1', name: '15%' }, { id: '8', name: 'Sales 15%' }]]]), /2 price-excluded sale taxes of that rate \("15%", "Sales 15%"\)/],
    ['named tax missing in the ERP → error', [{ rate: '15', erpTax: 'Nope' }], new Map([['name:Nope', []]]), /ERP tax "Nope" \(from orders.taxes\) does not exist/],
  ])('%s', (_t, rules, resolved, want) => {
    const run = () => lineTaxIds(order(), 'line 1 (A)', '15', rules, resolved);
    if (Array.isArray(want)) return expect(run()).toEqual(want);
    try {
      run();
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SyncError);
      expect((e as SyncError).kind).toBe('mapping');
      expect((e as SyncError).message).toMatch(want);
      expect((e as SyncError).record).toBe('2001');
      expect((e as SyncError).field).toBe('taxes');
      expect((e as SyncError).hint).toMatch(/orders\.taxes|ERP/);
    }
  });
});
