/** A shop whose shapes differ from the contract is read and written with configuration only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../../src/connectors/contract.js';
import { createRestShopConnector } from '../../../src/connectors/rest-shop/index.js';
import { RestShopSettings, type RestShopSettingsInput, type RestShopEntityShape } from '../../../src/connectors/rest-shop/settings.js';
import { SyncError } from '../../../src/shared/errors.js';
import { API_KEY, BASIC, startCustomShop, type CustomShop, type Good } from './custom-shop.js';
import { silentLog } from './harness.js';

const STYLES: Array<[RestShopEntityShape['pagination'] & string, Partial<RestShopEntityShape>]> = [
  ['laravel', {}],
  ['page', { items: 'items', pageSizeParam: 'limit' }],
  ['offset', { items: 'results' }],
  ['cursor', { nextCursor: 'paging.next', cursorParam: 'after', pageSizeParam: 'size' }],
  ['link', {}],
];

function good(n: number, modified: string, extra: Partial<Good['attributes']> = {}): Good {
  return { id: `g-${String(n).padStart(3, '0')}`, type: 'goods', attributes: { name_uk: `Кросівки ${n}`, sku: `UA-${n}`, price_uah: 1299.5 + n, modified, ...extra } };
}

function initialGoods(): Good[] {
  return [
    good(1, '2026-01-01 10:00:00'),
    good(2, '2026-01-02 10:00:00'),
    good(3, '2026-01-03 10:00:00'),
    good(4, '2026-01-04 10:00:00'),
    good(5, '2026-01-04 10:00:00'),
  ];
}

function settings(url: string, style: string, shape: Partial<RestShopEntityShape>, extra: Partial<RestShopSettingsInput> = {}): RestShopSettings {
  return RestShopSettings.parse({
    type: 'rest-shop',
    url,
    currency: 'UAH',
    auth: { type: 'header', name: 'X-Api-Key', value: API_KEY },
    entities: {
      product: {
        path: `/${style}/goods`,
        pagination: style,
        id: 'id',
        updatedAt: 'attributes.modified',
        sinceParam: 'modified_since',
        afterIdParam: '',
        fields: {
          name: 'attributes.name_uk',
          'variants[0].sku': 'attributes.sku',
          'variants[0].price.amount': '$string(attributes.price_uah)',
          'variants[0].id': 'id',
        },
        query: { ids: '', sku: 'filter[sku]' },
        write: { 'attributes.name_uk': 'name', 'attributes.sku': 'variants[0].sku', 'attributes.price_uah': '$number(variants[0].price.amount)' },
        writePath: `/${style}/goods/batch`,
        ...shape,
      },
    },
    ...extra,
  });
}

async function readAll(c: ReturnType<typeof createRestShopConnector>, cursor: unknown = null) {
  const records: SourceRecord<'product'>[] = [];
  let last: unknown = cursor;
  let batches = 0;
  for await (const b of c.read('product', cursor as never, { pageSize: 2 })) {
    records.push(...b.records);
    last = b.cursor;
    batches += 1;
  }
  return { records, cursor: last, batches };
}

describe.each(STYLES)('custom shop shape, %s pagination', (style, shape) => {
  let shop: CustomShop;
  let c: ReturnType<typeof createRestShopConnector>;

  beforeAll(async () => {
    shop = await startCustomShop(initialGoods());
    c = createRestShopConnector('shop', settings(shop.url, style, shape), { log: silentLog });
  });
  afterAll(() => shop.close());

  it('reads every record across pages, mapped by the configured expressions', async () => {
    const { records, batches } = await readAll(c);
    expect(batches).toBe(3);
    expect(records.map((r) => r.id)).toEqual(['g-001', 'g-002', 'g-003', 'g-004', 'g-005']);
    const r = records[0]!;
    expect(r.error).toBeUndefined();
    expect(r.updatedAt).toBe('2026-01-01T10:00:00Z');
    expect(r.data!.name).toBe('Кросівки 1');
    expect(r.data!.variants[0]).toMatchObject({ id: 'g-001', sku: 'UA-1', price: { amount: '1300.5', currency: 'UAH' } });
    expect(r.childIds).toEqual({ 'UA-1': 'g-001' });
  });

  it('reads incrementally: only what changed after the cursor, inclusive since filtered exactly', async () => {
    const first = await readAll(c);
    shop.goods.find((g) => g.id === 'g-002')!.attributes.modified = '2026-02-01 09:00:00';
    shop.goods.find((g) => g.id === 'g-002')!.attributes.name_uk = 'Оновлено';
    const second = await readAll(c, first.cursor);
    expect(second.records.map((r) => r.id)).toEqual(['g-002']);
    expect(second.records[0]!.data!.name).toBe('Оновлено');
    const third = await readAll(c, second.cursor);
    expect(third.records).toEqual([]);
    expect(third.cursor).toEqual(second.cursor);
  });

  it('fetches by id (GET <path>/<id>) and finds by SKU with the shop\'s own filter parameter', async () => {
    const recs = await c.fetch('product', ['g-003', 'g-999']);
    expect(recs.map((r) => r.id)).toEqual(['g-003']);
    const found = await c.findByNaturalKey('product', [{ type: 'sku', value: 'UA-4' }, { type: 'sku', value: 'UA-404' }]);
    expect([...found.entries()]).toEqual([['sku:UA-4', ['g-004']]]);
  });
});

describe('custom shop shape: writes, auth and errors', () => {
  let shop: CustomShop;

  beforeAll(async () => {
    shop = await startCustomShop(initialGoods());
  });
  afterAll(() => shop.close());

  it('writes through `write` expressions into the shop\'s own shape', async () => {
    const c = createRestShopConnector('shop', settings(shop.url, 'page', { items: 'items', pageSizeParam: 'limit' }), { log: silentLog });
    const [res] = await c.write('product', [{
      kind: 'create',
      key: 'erp-7',
      record: {
        name: 'Черевики', description: '', categoryIds: [], attributes: [], active: true, tracksStock: true,
        variants: [{ sku: 'UA-NEW', barcode: null, attributes: {}, price: { amount: '2499.00', currency: 'UAH' }, salePrice: null, weight: null, active: true }],
      },
    }], { lookup: () => undefined });
    expect(res).toMatchObject({ ok: true, created: true, id: 'g-006' });
    expect(shop.goods.at(-1)!.attributes).toMatchObject({ name_uk: 'Черевики', sku: 'UA-NEW', price_uah: 2499 });
    const [back] = await c.fetch('product', ['g-006']);
    expect(back!.data!.variants[0]!.price.amount).toBe('2499');
  });

  it('Basic auth works; a wrong API key is an auth error', async () => {
    const basic = createRestShopConnector('shop', settings(shop.url, 'page', { items: 'items', pageSizeParam: 'limit' }, { auth: { type: 'basic', ...BASIC } }), { log: silentLog });
    expect(await basic.fetch('product', ['g-001'])).toHaveLength(1);
    const wrong = createRestShopConnector('shop', settings(shop.url, 'page', {}, { auth: { type: 'header', name: 'X-Api-Key', value: 'nope' } }), { log: silentLog });
    await expect(wrong.fetch('product', ['g-001'])).rejects.toMatchObject({ kind: 'auth', status: 401 });
  });

  it('a record that does not fit fails alone, naming the canonical field', async () => {
    shop.goods.push(good(9, '2026-05-01 00:00:00', { price_uah: 'ask us' }));
    const c = createRestShopConnector('shop', settings(shop.url, 'offset', { items: 'results' }), { log: silentLog });
    const recs = await c.fetch('product', ['g-009', 'g-001']);
    const bad = recs.find((r) => r.id === 'g-009')!;
    expect(bad.data).toBeUndefined();
    expect(bad.error).toMatchObject({ kind: 'mapping', field: 'variants.0.price.amount', record: 'g-009' });
    expect(recs.find((r) => r.id === 'g-001')!.data).toBeDefined();
  });

  it('a bad JSONata expression or field path is a config error naming its place in tandem.yaml', () => {
    const make = (shape: Partial<RestShopEntityShape>) => () => createRestShopConnector('shop', settings(shop.url, 'page', shape), { log: silentLog });
    expect(make({ fields: { name: 'attributes.name_uk +' } })).toThrowError(SyncError);
    expect(make({ fields: { name: 'attributes.name_uk +' } })).toThrowError(/systems\.shop\.entities\.product\.fields\["name"\]/);
    expect(make({ items: '$$$(' })).toThrowError(/systems\.shop\.entities\.product\.items/);
    expect(make({ fields: { 'variants[x].sku': 'sku' } })).toThrowError(/variants\[x\]\.sku/);
    expect(make({ fields: { name: '(' } })).toThrowError(expect.objectContaining({ kind: 'config' }) as Error);
    for (const bad of ['__proto__.polluted', 'variants[0].constructor.prototype.x', 'prototype']) {
      expect(make({ fields: { [bad]: '"x"' } })).toThrowError(/is not allowed in a field path/);
      expect(make({ write: { [bad]: '"x"' } })).toThrowError(/is not allowed in a field path/);
    }
  });

  it('settings that do not fit the schema are a config error naming the key', () => {
    const bad = { ...settings(shop.url, 'page', {}), entities: { product: { pagination: 'weird' } } } as unknown as RestShopSettings;
    expect(() => createRestShopConnector('shop', bad, { log: silentLog })).toThrowError(/systems\.shop\.entities\.product\.pagination/);
  });
});
