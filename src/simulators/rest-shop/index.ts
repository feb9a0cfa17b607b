/**
 * A stateful in-memory shop that implements the Tandem REST shop contract in Laravel's JSON shapes,
 * sends signed webhooks and injects faults. Used by tests, benchmarks and `tandem demo` (in-process).
 * No test-framework imports.
 */
import type { AddressInfo } from 'node:net';
import { Catalog, type SimCategory, type SimProduct, type SimStock } from './catalog.js';
import { Customers, type SimCustomer } from './customers.js';
import { MicroClock } from './feed.js';
import { Orders, type PlaceOrderSpec, type SimOrder } from './orders.js';
import { categoryResource, customerResource, orderResource, productResource, stockResource } from './resources.js';
import type { SimState } from './routes.js';
import { BASE_PATH, createShopServer, type RestShopFaults } from './server.js';
import { WebhookSender, type DeliveryRecord, type WebhookTarget } from './webhooks.js';

export type { RestShopFaults } from './server.js';
export type { PlaceOrderSpec, SimOrder } from './orders.js';
export type { SimProduct, SimVariant, SimStock, SimCategory } from './catalog.js';
export type { SimCustomer } from './customers.js';
export type { DeliveryRecord, WebhookTarget } from './webhooks.js';

export interface RestShopSimulatorOptions {
  port?: number;
  currency?: string;
  token?: string;
  webhook?: WebhookTarget | null;
  latencyMs?: number;
  faults?: Partial<RestShopFaults>;
  /** Tax rate in percent (default "20") and whether catalog prices include it (default true). */
  taxRate?: string;
  pricesIncludeTax?: boolean;
  /** Stock locations (default ["default"]). */
  locations?: string[];
  /** Shop name reported by GET /info. */
  name?: string;
}

type Item = Record<string, unknown>;

export interface RestShopSimulator {
  /** Base URL of the contract, e.g. http://127.0.0.1:41234/api/tandem */
  url: string;
  token: string;
  faults: RestShopFaults;
  stats: { calls: number; serverErrors: string[] };
  setWebhook(target: WebhookTarget | null): void;
  /** A customer checks out: reduces stock, fires order.created. Returns the order id. */
  placeOrder(spec: PlaceOrderSpec): Promise<string>;
  /** Direct state setup (no HTTP, no webhooks). Items use the contract's write shape. */
  seed: {
    categories(list: Item[]): number[];
    products(list: Item[], opts?: { stock?: number; location?: string }): number[];
    customers(list: Item[]): number[];
    stock(list: Array<{ sku: string; location?: string; quantity: number }>): void;
  };
  /** Direct read access for assertions. */
  state: {
    product(id: number | string): SimProduct | undefined;
    productBySku(sku: string): SimProduct | undefined;
    products(): SimProduct[];
    category(id: number | string): SimCategory | undefined;
    customer(id: number | string): SimCustomer | undefined;
    customerByEmail(email: string): SimCustomer | undefined;
    order(id: number | string): SimOrder | undefined;
    orderByNumber(number: string): SimOrder | undefined;
    stock(sku: string, location?: string): SimStock | undefined;
    /** Every webhook delivery so far (dropped and duplicated ones included). */
    deliveries: DeliveryRecord[];
    /** Resource JSON as the API sends it. */
    json: { product(id: number): unknown; customer(id: number): unknown; category(id: number): unknown; stock(sku: string, location?: string): unknown };
  };
  /** Waits until every queued webhook delivery has finished. */
  flushWebhooks(): Promise<void>;
  close(): Promise<void>;
}

export async function startRestShopSimulator(opts: RestShopSimulatorOptions = {}): Promise<RestShopSimulator> {
  const currency = opts.currency ?? 'EUR';
  const token = opts.token ?? 'sim-token';
  const faults: RestShopFaults = {
    latencyMs: opts.latencyMs ?? 0, errorRate: 0, rateLimitRate: 0, dropWebhookRate: 0, duplicateWebhookRate: 0, ...opts.faults,
  };
  const clock = new MicroClock();
  const locations = opts.locations ?? ['default'];
  const catalog = new Catalog(clock, currency, locations);
  const customers = new Customers(clock);
  const orders = new Orders(clock, catalog, customers, { rate: opts.taxRate ?? '20', included: opts.pricesIncludeTax ?? true });
  const webhooks = new WebhookSender(opts.webhook ?? null, faults);
  const state: SimState = { catalog, customers, orders, webhooks, name: opts.name ?? 'Laravel Shop (simulator)' };
  const stats = { calls: 0, serverErrors: [] as string[] };
  const server = createShopServer({ state, token, faults, stats });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${BASE_PATH}`,
    token,
    faults,
    stats,
    setWebhook(target) {
      webhooks.target = target;
    },
    async placeOrder(spec) {
      const { order, stockTouched } = orders.place(spec);
      webhooks.emit('order.created', orderResource(order, currency));
      for (const key of stockTouched) webhooks.emit('stock.updated', stockResource(catalog.stock.get(key) as SimStock));
      return String(order.id);
    },
    seed: {
      categories: (list) => list.map((item) => catalog.upsertCategory(item).row.id),
      products(list, o = {}) {
        return list.map((item) => {
          const p = catalog.upsertProduct(item).row;
          if (o.stock !== undefined) for (const v of p.variants) catalog.setStock(v.sku, o.location ?? locations[0] ?? 'default', o.stock);
          return p.id;
        });
      },
      customers: (list) => list.map((item) => customers.upsert(item).row.id),
      stock(list) {
        for (const s of list) catalog.setStock(s.sku, s.location ?? locations[0] ?? 'default', s.quantity);
      },
    },
    state: {
      product: (id) => catalog.products.get(Number(id)),
      productBySku(sku) {
        const v = catalog.variantsBySku.get(sku);
        return v ? catalog.products.get(v.productId) : undefined;
      },
      products: () => [...catalog.products.values()],
      category: (id) => catalog.categories.get(Number(id)),
      customer: (id) => customers.byId.get(Number(id)),
      customerByEmail: (email) => customers.findByEmail(email),
      order: (id) => orders.byId.get(Number(id)),
      orderByNumber: (n) => orders.byId.get(orders.byNumber.get(n) ?? -1),
      stock: (sku, location) => catalog.stock.get(`${sku}@${location ?? locations[0] ?? 'default'}`),
      deliveries: webhooks.deliveries,
      json: {
        product: (id) => productResource(catalog.products.get(id) as SimProduct, currency),
        customer: (id) => customerResource(customers.byId.get(id) as SimCustomer),
        category: (id) => categoryResource(catalog.categories.get(id) as SimCategory),
        stock: (sku, location) => stockResource(catalog.stock.get(`${sku}@${location ?? locations[0] ?? 'default'}`) as SimStock),
      },
    },
    flushWebhooks: () => webhooks.flush(),
    async close() {
      await webhooks.flush();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
