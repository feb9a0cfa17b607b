/**
 * The pure parts of the console's API, case by case: runs in words, both sides field by field, the
 * percentile of the latency figures, the config with its secrets redacted, the latest time per entity.
 */
import { describe, expect, it } from 'vitest';
import { runSummary, redactConfig } from '../../src/server/runs-api.js';
import { compareFields, flatten } from '../../src/server/records-api.js';
import { byEntity, percentile } from '../../src/server/overview-api.js';

describe('runSummary: a run in words', () => {
  it.each([
    ['product:shop->erp', { read: 40, created: 0, updated: 12, failed: 1 }, '12 products updated, 1 failed (shop → erp)'],
    ['product:shop->erp', { read: 5, created: 1, failed: 1, unchanged: 3 }, '1 product created, 1 failed, 3 unchanged (shop → erp)'],
    ['category:shop->erp', { read: 2, created: 2 }, '2 categories created (shop → erp)'],
    ['customer:shop->erp', { read: 0 }, 'customers: nothing to change (shop → erp)'],
    ['customer:shop->erp', { read: 7, unchanged: 0 }, 'customers: nothing to change, 7 read (shop → erp)'],
    ['stock:erp->shop', { updated: 7, read: 7 }, '7 stocks updated (erp → shop)'],
    ['reconcile', { differences: 3 }, 'verification: 3 differences'],
    ['reconcile', { differences: 2, fixed: 1 }, 'verification: 2 differences, 1 fixed'],
    ['reconcile', { differences: 0 }, 'verification: both systems agree'],
    ['order', { failed: 2, created: 5 }, '5 orders created, 2 failed'],
  ])('%s %j → %s', (flow, counts, words) => {
    expect(runSummary(flow, counts)).toBe(words);
  });
});

describe('compareFields: both sides field by field', () => {
  it('lines variants up by SKU, leaves ids out, marks only real differences', () => {
    const shop = { name: 'Tee', variants: [{ id: '5', sku: 'TEE-M', price: { amount: '10.00', currency: 'EUR' } }, { id: '6', sku: 'TEE-L', price: { amount: '12.00', currency: 'EUR' } }] };
    const erp = { name: 'Tee', variants: [{ id: '91', sku: 'TEE-L', price: { amount: '12.50', currency: 'EUR' } }, { id: '90', sku: 'TEE-M', price: { amount: '10.00', currency: 'EUR' } }] };
    const rows = compareFields('product', shop, erp);
    expect(rows.filter((r) => r.differs)).toEqual([{ field: 'variants[TEE-L].price.amount', shop: '12.00', erp: '12.50', differs: true }]);
    expect(rows.map((r) => r.field)).not.toContain('variants[TEE-M].id');
    expect(rows.find((r) => r.field === 'name')).toEqual({ field: 'name', shop: 'Tee', erp: 'Tee', differs: false });
  });

  it('a field only one side has differs; a record only one side has marks nothing as differing', () => {
    expect(compareFields('customer', { email: 'a@b.c', phone: '1' }, { email: 'a@b.c' }).find((r) => r.field === 'phone')).toEqual({ field: 'phone', shop: '1', erp: null, differs: true });
    expect(compareFields('customer', { email: 'a@b.c' }, undefined).every((r) => !r.differs)).toBe(true);
  });

  it('flatten: nulls as empty text, arrays without SKUs by index', () => {
    expect([...flatten({ a: null, tags: ['x', 'y'], n: 2 })]).toEqual([['a', ''], ['tags[0]', 'x'], ['tags[1]', 'y'], ['n', '2']]);
  });
});

describe('percentile', () => {
  it.each([
    [[], 50, null],
    [[7], 95, 7],
    [[1, 2, 3, 4], 50, 2],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 95, 19],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 100, 20],
  ])('%j p%d → %j', (sorted, p, want) => {
    expect(percentile(sorted, p)).toBe(want);
  });
});

describe('redactConfig', () => {
  it('replaces every secret field and credentials in URLs, keeps the rest', () => {
    const cfg = { systems: { shop: { url: 'https://user:pw@shop.example', consumerKey: 'ck_1', consumerSecret: 'cs_1', webhookSecret: 'w' }, erp: { apiKey: 'k', user: 'admin' } }, store: { url: 'postgres://tandem:pw@db/tandem' }, server: { apiToken: null } };
    const out = JSON.stringify(redactConfig(cfg));
    for (const secret of ['ck_1', 'cs_1', '"w"', '"k"', 'user:pw', 'tandem:pw']) expect(out).not.toContain(secret);
    expect(out).toContain('"user":"admin"');
    expect(out).toContain('"apiToken":null');
  });
});

describe('byEntity', () => {
  it('the latest time per entity over its directions', () => {
    expect([...byEntity([{ flow: 'product:shop->erp', at: 5 }, { flow: 'product:erp->shop', at: 9 }, { flow: 'reconcile', at: '3' }])]).toEqual([['product', 9], ['reconcile', 3]]);
  });
});
