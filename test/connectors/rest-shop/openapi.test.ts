/** docs/rest-shop.openapi.yaml is valid YAML, OpenAPI 3.1, and documents every call the connector makes. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Money } from '../../../src/model/money.js';
import type { RestShopConnector } from '../../../src/connectors/rest-shop/index.js';
import { startShop, type ShopFixture } from './harness.js';

interface Operation {
  parameters?: Array<{ $ref?: string; name?: string; in?: string }>;
  responses?: Record<string, unknown>;
}
interface Spec {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  webhooks?: Record<string, unknown>;
  components: { parameters: Record<string, { name: string; in: string }>; schemas: Record<string, unknown> };
}

const spec = parse(readFileSync(new URL('../../../docs/rest-shop.openapi.yaml', import.meta.url), 'utf8')) as Spec;

function paramNames(op: Operation): Set<string> {
  return new Set((op.parameters ?? []).map((p) => (p.$ref ? spec.components.parameters[p.$ref.split('/').pop() as string]!.name : (p.name as string))));
}

function operationFor(method: string, path: string): Operation | undefined {
  // Literal paths win over templated ones (/products/batch before /products/{id}), as in routers.
  const templates = Object.keys(spec.paths).sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0));
  for (const template of templates) {
    const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (re.test(path)) return spec.paths[template]![method.toLowerCase()];
  }
  return undefined;
}

/** Every $ref in the document points at something that exists. */
function danglingRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => danglingRefs(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') {
        const target = v.replace(/^#\//, '').split('/').reduce<unknown>((acc, seg) => (acc as Record<string, unknown> | undefined)?.[seg], spec);
        if (target === undefined) out.push(v);
      } else danglingRefs(v, out);
    }
  }
  return out;
}

describe('docs/rest-shop.openapi.yaml', () => {
  let shop: ShopFixture;
  let c: RestShopConnector;
  const calls: Array<{ method: string; path: string; query: string[] }> = [];

  beforeAll(async () => {
    shop = await startShop();
    const base = new URL(shop.sim.url).pathname;
    const recording: typeof fetch = (input, init) => {
      const u = new URL(String(input));
      calls.push({ method: init?.method ?? 'GET', path: u.pathname.slice(base.length) || '/', query: [...u.searchParams.keys()] });
      return fetch(input, init);
    };
    c = shop.connector({}, { fetch: recording });
    // Exercise everything the connector can call.
    await c.check();
    const lookup = () => undefined;
    const [cat] = await c.write('category', [{ kind: 'create', key: 'c', record: { name: 'Shoes', parentId: null } }], { lookup });
    const [p] = await c.write('product', [{ kind: 'create', key: 'p', record: {
      name: 'Sneaker', description: '', categoryIds: [], attributes: [], active: true, tracksStock: true,
      variants: [{ sku: 'OA-1', barcode: '4006381333931', attributes: {}, price: { amount: '89.00', currency: 'EUR' }, salePrice: null, weight: null, active: true }],
    } }], { lookup });
    const [cu] = await c.write('customer', [{ kind: 'create', key: 'cu', record: { email: 'oa@example.com', firstName: 'O', lastName: 'A', company: null, phone: null, addresses: [] } }], { lookup });
    await c.write('stock', [{ kind: 'update', key: 's', record: { sku: 'OA-1', location: 'default', onHand: 3, reserved: 0, available: 3 } }], { lookup });
    await c.write('price', [{ kind: 'update', key: 'pr', record: { sku: 'OA-1', pricelist: 'default', list: { amount: '79.00', currency: 'EUR' }, sale: null, minQuantity: 0 } }], { lookup });
    shop.sim.seed.products([1, 2, 3].map((i) => ({ name: `Seed ${i}`, variants: [{ sku: `OA-S${i}`, price: '1.00' }] })));
    for (const entity of ['category', 'product', 'customer', 'order', 'stock'] as const) {
      let first: unknown = null;
      for await (const b of c.read(entity, null, { pageSize: 1 })) first ??= b.cursor;
      for await (const _b of c.read(entity, first as never, { pageSize: 1 })) void _b;
    }
    const orderId = await shop.sim.placeOrder({ email: 'oa@example.com', lines: [{ sku: 'OA-1', quantity: 1 }], paid: true });
    await c.fetch('category', [cat!.ok ? cat!.id : '']);
    await c.fetch('product', [p!.ok ? p!.id : '']);
    await c.fetch('customer', [cu!.ok ? cu!.id : '']);
    await c.fetch('order', [orderId]);
    await c.fetch('stock', ['OA-1@default']);
    await c.fetch('price', ['OA-1@default']);
    await c.findByNaturalKey('product', [{ type: 'sku', value: 'OA-1' }, { type: 'barcode', value: '4006381333931' }]);
    await c.findByNaturalKey('customer', [{ type: 'email', value: 'OA@example.com' }]);
    await c.findByNaturalKey('order', [{ type: 'number', value: shop.sim.state.order(orderId)!.number }]);
    await c.orders.setStatus(orderId, 'shipped', { note: 'on its way' });
    await c.orders.addShipment(orderId, { carrier: 'DHL', trackingNumber: 'T1', trackingUrl: null, lines: [], shippedAt: null, state: 'shipped' });
    await c.orders.recordRefund(orderId, { key: 'r1', amount: Money.of('5.00', 'EUR'), reason: 'x', restock: false, lines: [] });
    await c.orders.recordReturn(orderId, { key: 'ret1', lines: [{ sku: 'OA-1', quantity: 1 }] });
  });
  afterAll(() => shop.sim.close());

  it('is OpenAPI 3.1 with resolvable references and the webhook described', () => {
    expect(spec.openapi).toMatch(/^3\.1\./);
    expect(danglingRefs(spec)).toEqual([]);
    expect(spec.webhooks).toBeDefined();
    expect(Object.keys(spec.paths).length).toBeGreaterThanOrEqual(15);
  });

  it('documents every path, method and query parameter the connector called', () => {
    expect(calls.length).toBeGreaterThan(25);
    const used = new Set(calls.flatMap((c) => c.query));
    for (const q of ['page', 'per_page', 'cursor', 'updated_since', 'after_id', 'ids', 'skus', 'barcodes', 'emails', 'numbers']) expect(used).toContain(q);
    const missing: string[] = [];
    for (const call of calls) {
      const op = operationFor(call.method, call.path);
      if (!op) {
        missing.push(`${call.method} ${call.path}`);
        continue;
      }
      const names = paramNames(op);
      for (const q of call.query) if (!names.has(q)) missing.push(`${call.method} ${call.path} ?${q}`);
      expect(op.responses?.['200'] ?? op.responses?.['201']).toBeDefined();
    }
    expect([...new Set(missing)]).toEqual([]);
  });

  it('every documented path is one the simulator serves (no stale docs)', async () => {
    for (const [template, ops] of Object.entries(spec.paths)) {
      const path = template.replace('{id}', '1');
      for (const method of Object.keys(ops)) {
        const res = await fetch(`${shop.sim.url}${path}`, { method: method.toUpperCase(), headers: { authorization: `Bearer ${shop.sim.token}`, accept: 'application/json', 'content-type': 'application/json' }, body: method === 'get' ? undefined : '{}' });
        expect([200, 201, 404, 422], `${method} ${template}`).toContain(res.status);
        if (res.status === 404) expect(((await res.json()) as { message: string }).message).toMatch(/No query results/);
      }
    }
  });
});
