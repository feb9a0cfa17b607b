/** The contract's endpoints over the simulator state (docs/rest-shop.md). */
import type { Catalog, SimProduct } from './catalog.js';
import type { Customers } from './customers.js';
import { listFeed, listParam, listRows, parseListQuery } from './listing.js';
import type { Orders } from './orders.js';
import { categoryResource, customerResource, orderResource, priceResource, productResource, stockResource } from './resources.js';
import { HttpError } from './validate.js';
import type { WebhookSender } from './webhooks.js';

export interface SimState {
  catalog: Catalog;
  customers: Customers;
  orders: Orders;
  webhooks: WebhookSender;
  name: string;
}

export interface RouteCtx {
  state: SimState;
  url: URL;
  body: unknown;
  match: RegExpExecArray;
}

export type Reply = { status: number; body: unknown };
type Route = [method: string, pattern: RegExp, handler: (ctx: RouteCtx) => Reply];
type Item = Record<string, unknown>;

const BATCH_MAX = 100;

function items(body: unknown): Item[] {
  const list = Array.isArray(body) ? body : body && typeof body === 'object' ? (body as Item).items : undefined;
  if (!Array.isArray(list)) throw new HttpError(422, 'The items field is required.', { items: ['The items field is required.'] });
  if (list.length > BATCH_MAX) throw new HttpError(422, `The items field must not have more than ${BATCH_MAX} items.`, { items: [`The items field must not have more than ${BATCH_MAX} items.`] });
  return list.map((x) => (x && typeof x === 'object' ? (x as Item) : {}));
}

/** Runs each item alone: one refused item does not stop the others (per-item results, in order). */
function batch(body: unknown, run: (item: Item) => { status: number; id: number | string; data: unknown }): Reply {
  const data = items(body).map((item) => {
    try {
      return run(item);
    } catch (e) {
      if (e instanceof HttpError) return { status: e.status, ...e.body() };
      throw e;
    }
  });
  return { status: 200, body: { data } };
}

const ok = (body: unknown): Reply => ({ status: 200, body });

function productsBy(c: Catalog, q: URLSearchParams): SimProduct[] | null {
  const ids = listParam(q, 'ids');
  if (ids) return ids.map((id) => c.products.get(Number(id))).filter((p): p is SimProduct => p !== undefined);
  const skus = listParam(q, 'skus');
  if (skus) return skus.map((s) => c.variantsBySku.get(s)).filter((v) => v !== undefined).map((v) => c.products.get(v.productId) as SimProduct);
  const barcodes = listParam(q, 'barcodes');
  if (barcodes) return barcodes.flatMap((b) => [...(c.productsByBarcode.get(b) ?? [])]).map((id) => c.products.get(id) as SimProduct);
  return null;
}

export const ROUTES: Route[] = [
  ['GET', /^\/info$/, ({ state }) => ok({ data: { name: state.name, contract_version: '1.0', currency: state.catalog.currency, locations: state.catalog.locations, timezone: 'UTC' } })],

  ['GET', /^\/categories$/, ({ state, url }) => {
    const q = parseListQuery(url.searchParams);
    const ids = listParam(url.searchParams, 'ids');
    if (ids) return ok(listRows(ids.map((id) => state.catalog.categories.get(Number(id))).filter((x) => x !== undefined), q, categoryResource, url));
    return ok(listFeed(state.catalog.categoryFeed, q, (id) => state.catalog.categories.get(id), categoryResource, url));
  }],
  ['POST', /^\/categories\/batch$/, ({ state, body }) => batch(body, (item) => {
    const { status, row } = state.catalog.upsertCategory(item);
    const data = categoryResource(row);
    state.webhooks.emit(status === 201 ? 'category.created' : 'category.updated', data);
    return { status, id: row.id, data };
  })],

  ['GET', /^\/products$/, ({ state, url }) => {
    const q = parseListQuery(url.searchParams);
    const cur = state.catalog.currency;
    const found = productsBy(state.catalog, url.searchParams);
    if (found) return ok(listRows(found, q, (p) => productResource(p, cur), url));
    return ok(listFeed(state.catalog.productFeed, q, (id) => state.catalog.products.get(id), (p) => productResource(p, cur), url));
  }],
  ['GET', /^\/products\/(\d+)$/, ({ state, match }) => {
    const p = state.catalog.products.get(Number(match[1]));
    if (!p) throw new HttpError(404, `No query results for model [App\\Models\\Product] ${match[1]}`);
    return ok({ data: productResource(p, state.catalog.currency) });
  }],
  ['POST', /^\/products\/batch$/, ({ state, body }) => batch(body, (item) => {
    const { status, row } = state.catalog.upsertProduct(item);
    const data = productResource(row, state.catalog.currency);
    state.webhooks.emit(status === 201 ? 'product.created' : 'product.updated', data);
    return { status, id: row.id, data };
  })],

  ['GET', /^\/customers$/, ({ state, url }) => {
    const q = parseListQuery(url.searchParams);
    const c = state.customers;
    const ids = listParam(url.searchParams, 'ids');
    const emails = listParam(url.searchParams, 'emails');
    if (ids) return ok(listRows(ids.map((id) => c.byId.get(Number(id))).filter((x) => x !== undefined), q, customerResource, url));
    if (emails) return ok(listRows(emails.map((e) => c.findByEmail(e)).filter((x) => x !== undefined), q, customerResource, url));
    return ok(listFeed(c.feed, q, (id) => c.byId.get(id), customerResource, url));
  }],
  ['GET', /^\/customers\/(\d+)$/, ({ state, match }) => {
    const c = state.customers.byId.get(Number(match[1]));
    if (!c) throw new HttpError(404, `No query results for model [App\\Models\\Customer] ${match[1]}`);
    return ok({ data: customerResource(c) });
  }],
  ['POST', /^\/customers\/batch$/, ({ state, body }) => batch(body, (item) => {
    const { status, row } = state.customers.upsert(item);
    const data = customerResource(row);
    state.webhooks.emit(status === 201 ? 'customer.created' : 'customer.updated', data);
    return { status, id: row.id, data };
  })],

  ['GET', /^\/orders$/, ({ state, url }) => {
    const q = parseListQuery(url.searchParams);
    const o = state.orders;
    const cur = state.catalog.currency;
    const ids = listParam(url.searchParams, 'ids');
    const numbers = listParam(url.searchParams, 'numbers');
    if (ids) return ok(listRows(ids.map((id) => o.byId.get(Number(id))).filter((x) => x !== undefined), q, (r) => orderResource(r, cur), url));
    if (numbers) return ok(listRows(numbers.map((n) => o.byId.get(o.byNumber.get(n) ?? -1)).filter((x) => x !== undefined), q, (r) => orderResource(r, cur), url));
    return ok(listFeed(o.feed, q, (id) => o.byId.get(id), (r) => orderResource(r, cur), url));
  }],
  ['GET', /^\/orders\/(\d+)$/, ({ state, match }) => ok({ data: orderResource(state.orders.get(match[1]), state.catalog.currency) })],
  ['POST', /^\/orders\/(\d+)\/status$/, ({ state, match, body }) => {
    const { order, changed } = state.orders.setStatus(match[1], (body ?? {}) as Item);
    const data = orderResource(order, state.catalog.currency);
    if (changed) state.webhooks.emit('order.updated', data);
    return ok({ data });
  }],
  ['POST', /^\/orders\/(\d+)\/shipments$/, ({ state, match, body }) => {
    const { shipment, created, order } = state.orders.addShipment(match[1], (body ?? {}) as Item);
    if (created) state.webhooks.emit('order.updated', orderResource(order, state.catalog.currency));
    return { status: created ? 201 : 200, body: { data: { id: shipment.id, carrier: shipment.carrier, tracking_number: shipment.trackingNumber, tracking_url: shipment.trackingUrl, lines: shipment.lines } } };
  }],
  ['POST', /^\/orders\/(\d+)\/refunds$/, ({ state, match, body }) => {
    const { refund, created, order, stockTouched } = state.orders.addRefund(match[1], (body ?? {}) as Item);
    if (created) {
      state.webhooks.emit('order.updated', orderResource(order, state.catalog.currency));
      for (const key of stockTouched) state.webhooks.emit('stock.updated', stockResource(state.catalog.stock.get(key)!));
    }
    return { status: created ? 201 : 200, body: { data: { id: refund.id, key: refund.key, amount: refund.amount, reason: refund.reason, restock: refund.restock, lines: refund.lines } } };
  }],
  ['POST', /^\/orders\/(\d+)\/returns$/, ({ state, match, body }) => {
    const { ret, created, order } = state.orders.addReturn(match[1], (body ?? {}) as Item);
    if (created) state.webhooks.emit('order.updated', orderResource(order, state.catalog.currency));
    return { status: created ? 201 : 200, body: { data: { id: ret.id, key: ret.key, state: ret.state, reason: ret.reason, lines: ret.lines } } };
  }],

  ['GET', /^\/stock$/, ({ state, url }) => {
    const q = parseListQuery(url.searchParams);
    const c = state.catalog;
    const skus = listParam(url.searchParams, 'skus');
    const locations = listParam(url.searchParams, 'locations') ?? c.locations;
    if (skus) return ok(listRows(skus.flatMap((s) => locations.map((l) => c.stock.get(`${s}@${l}`))).filter((x) => x !== undefined), q, stockResource, url));
    return ok(listFeed(c.stockFeed, q, (id) => c.stockById.get(id), stockResource, url));
  }],
  ['POST', /^\/stock\/batch$/, ({ state, body }) => batch(body, (item) => {
    const { status, row } = state.catalog.upsertStock(item);
    const data = stockResource(row);
    state.webhooks.emit('stock.updated', data);
    return { status, id: row.id, data };
  })],

  ['GET', /^\/prices$/, ({ state, url }) => {
    const q = parseListQuery(url.searchParams);
    const skus = listParam(url.searchParams, 'skus') ?? [];
    const cur = state.catalog.currency;
    return ok(listRows(skus.flatMap((s) => state.catalog.priceRows(s)), q, (p) => priceResource(p, cur), url));
  }],
  ['POST', /^\/prices\/batch$/, ({ state, body }) => batch(body, (item) => {
    const { status, row, product } = state.catalog.upsertPrice(item);
    const data = priceResource(row, state.catalog.currency);
    if (product) state.webhooks.emit('product.updated', productResource(product, state.catalog.currency));
    else state.webhooks.emit('price.updated', data);
    return { status, id: row.id, data };
  })],
];
