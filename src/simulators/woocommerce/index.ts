/**
 * A stateful WooCommerce 7.9 REST v3 simulator (node:http, no test-framework imports), faithful to the
 * exchanges recorded in shared/recordings/woocommerce79. Used by the connector tests, `tandem demo
 * --shop woocommerce` and the benchmarks.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomInt } from 'node:crypto';
import { WooState } from './state.js';
import type { ProductRec } from './state.js';
import type { SimRequest, SimResponse } from './respond.js';
import { WpError, defaultHeaders, filterFields } from './respond.js';
import { WooAuth, permissionError } from './auth.js';
import { WebhookDispatcher } from './deliver-webhooks.js';
import type { DeliveryLog } from './deliver-webhooks.js';
import { dispatch, findRoute } from './routes.js';
import { phpJson } from './php.js';
import { createOrderRecord } from './write-order.js';
import { blankProduct } from './write-product.js';

export interface WooFaults {
  latencyMs: number;
  /** Share of requests answered 500 (0..1). */
  errorRate: number;
  /** Share of requests answered 429 with Retry-After (0..1). */
  rateLimitRate: number;
}

export interface WooSimulatorOptions {
  port?: number;
  latencyMs?: number;
  currency?: string;
  consumerKey?: string;
  consumerSecret?: string;
  /** Only plain http is served; Basic auth is accepted with `X-Forwarded-Proto: https` like the recorded shop. */
  https?: false;
  faults?: Partial<WooFaults>;
  /** 'sync' (default, as recorded: deliveries before the response) or 'async' (Action Scheduler). */
  webhookDelivery?: 'sync' | 'async';
  /** The woocommerce_max_webhook_delivery_failures filter (default 5). */
  maxDeliveryFailures?: number;
  clock?: () => number;
}

export interface PlaceOrderSpec {
  email: string;
  lines: Array<{ sku: string; quantity: number }>;
  paid: boolean;
  firstName?: string;
  lastName?: string;
  shippingTotal?: string;
  status?: string;
  number?: string;
}

export interface WooSimulator {
  url: string;
  consumerKey: string;
  consumerSecret: string;
  stats: { calls: number };
  faults: WooFaults;
  store: WooState;
  deliveries: DeliveryLog[];
  webhookDelivery: 'sync' | 'async';
  placeOrder(spec: PlaceOrderSpec): Promise<number>;
  /** Adds `count` simple products quickly (benchmarks): SKU `${prefix}-${i}`. */
  seedProducts(count: number, opts?: { prefix?: string; price?: string; stock?: number }): void;
  flushWebhooks(): Promise<void>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseBody(raw: Buffer, contentType: string | undefined): Record<string, unknown> {
  if (raw.length === 0) return {};
  const text = raw.toString('utf8');
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    throw new WpError('rest_invalid_json', 'Invalid JSON body passed.', 400, { json_error_code: 4, json_error_message: 'Syntax error' });
  }
}

function chance(rate: number): boolean {
  return rate > 0 && randomInt(1_000_000) < rate * 1_000_000;
}

export async function startWooSimulator(opts: WooSimulatorOptions = {}): Promise<WooSimulator> {
  const consumerKey = opts.consumerKey ?? 'ck_simulator0000000000000000000000000000000';
  const consumerSecret = opts.consumerSecret ?? 'cs_simulator0000000000000000000000000000000';
  const clock = opts.clock ?? (() => Date.now());
  const state = new WooState(opts.currency ?? 'EUR', clock);
  const auth = new WooAuth({ consumerKey, consumerSecret }, clock);
  const faults: WooFaults = { latencyMs: opts.latencyMs ?? 0, errorRate: 0, rateLimitRate: 0, ...opts.faults };
  const stats = { calls: 0 };
  let hostBase = 'http://127.0.0.1';
  const sim = {} as WooSimulator;
  const hooks = new WebhookDispatcher(state, {
    base: () => hostBase.replace(/^http:/, 'https:'),
    mode: () => sim.webhookDelivery,
    maxFailures: opts.maxDeliveryFailures ?? 5,
    timeoutMs: 5000,
  });

  async function handle(req: IncomingMessage): Promise<{ res: SimResponse; base: string; allow: string | null }> {
    stats.calls += 1;
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    const ssl = req.headers['x-forwarded-proto'] === 'https';
    const host = req.headers.host ?? '127.0.0.1';
    const base = `${ssl ? 'https' : 'http'}://${host}`;
    const url = new URL(req.url ?? '/', `http://${host}`);
    const raw = await readBody(req);
    if (chance(faults.rateLimitRate)) {
      return { res: { status: 429, body: new WpError('woocommerce_rest_rate_limited', 'Too many requests. Please wait and try again.', 429).toBody(), headers: { 'Retry-After': '1' } }, base, allow: null };
    }
    if (chance(faults.errorRate)) {
      return { res: { status: 500, body: new WpError('internal_server_error', 'There has been a critical error on this website.', 500).toBody() }, base, allow: null };
    }
    const prefix = '/wp-json/wc/v3';
    const route = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length).replace(/\/$/, '') : null;
    const params = [...url.searchParams.entries()];
    const method = (req.method ?? 'GET').toUpperCase();
    const who = auth.authenticate({ ssl, method, url: `http://${host}${url.pathname}`, params, authorization: req.headers.authorization });
    if ('error' in who && who.error) throw Object.assign(who.error, { base });
    const info = route === null ? null : findRoute(route, method);
    if (!info || route === null) {
      return { res: { status: 404, body: new WpError('rest_no_route', 'No route was found matching the URL and request method.', 404).toBody() }, base, allow: null };
    }
    const simReq: SimRequest = {
      method,
      route,
      params,
      query: Object.fromEntries(params),
      body: {},
      base,
      headers: req.headers as Record<string, string | undefined>,
    };
    try {
      simReq.body = parseBody(raw, req.headers['content-type']);
      // Unauthenticated requests are refused before dispatch: no Allow header on these 401s.
      if (who.user === 0) return { res: { status: 401, body: permissionError(method, route, info.collection).toBody() }, base, allow: null };
      const collector = hooks.collector();
      const out = await dispatch(simReq, { state, fire: collector.fire, ping: (w) => hooks.ping(w) });
      if (!out) throw new WpError('rest_no_route', 'No route was found matching the URL and request method.', 404);
      await hooks.dispatch(collector.events);
      if (out.status === 200 && simReq.query._fields) out.body = filterFields(out.body, simReq.query._fields);
      return { res: out, base, allow: info.allow };
    } catch (e) {
      if (e instanceof WpError) return { res: { status: e.status, body: e.toBody() }, base, allow: info.allow };
      throw e;
    }
  }

  function send(res: ServerResponse, r: SimResponse, base: string, allow: string | null): void {
    // The server's own clock, to the second (clients take their cursors from it, not from their clock).
    const headers = { ...defaultHeaders(base, allow), Date: new Date(clock()).toUTCString(), ...r.headers };
    res.writeHead(r.status, headers);
    res.end(phpJson(r.body));
  }

  const server: Server = createServer((req, res) => {
    handle(req)
      .then(({ res: r, base, allow }) => send(res, r, base, allow))
      .catch((e: unknown) => {
        const base = (e as { base?: string }).base ?? hostBase;
        if (e instanceof WpError) return send(res, { status: e.status, body: e.toBody() }, base, null);
        send(res, { status: 500, body: { code: 'internal_server_error', message: (e as Error).message, data: { status: 500 } } }, base, null);
      });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  hostBase = `http://127.0.0.1:${port}`;

  Object.assign(sim, {
    url: hostBase,
    consumerKey,
    consumerSecret,
    stats,
    faults,
    store: state,
    deliveries: hooks.log,
    webhookDelivery: opts.webhookDelivery ?? 'sync',
    async placeOrder(spec: PlaceOrderSpec): Promise<number> {
      const lines = spec.lines.map((l) => {
        const p = state.productBySku(l.sku);
        if (!p) throw new Error(`placeOrder: no product with SKU ${l.sku}`);
        return p.type === 'variation' ? { product_id: p.parentId, variation_id: p.id, quantity: l.quantity } : { product_id: p.id, quantity: l.quantity };
      });
      const customer = state.customerByEmail(spec.email);
      const address = { first_name: spec.firstName ?? 'Test', last_name: spec.lastName ?? 'Buyer', address_1: 'Teststr. 1', city: 'Berlin', postcode: '10115', country: 'DE' };
      const collector = hooks.collector();
      const o = createOrderRecord(
        state,
        {
          customer_id: customer?.id ?? 0,
          billing: { ...address, email: spec.email },
          shipping: address,
          line_items: lines,
          shipping_lines: spec.shippingTotal ? [{ method_id: 'flat_rate', method_title: 'Flat rate', total: spec.shippingTotal }] : [],
          payment_method: 'bacs',
          payment_method_title: 'Direct bank transfer',
          set_paid: spec.paid,
          ...(spec.status ? { status: spec.status } : {}),
        },
        collector.fire,
        'checkout',
      );
      await hooks.dispatch(collector.events);
      return o.id;
    },
    seedProducts(count: number, o: { prefix?: string; price?: string; stock?: number } = {}): void {
      const prefix = o.prefix ?? 'SEED';
      for (let i = 0; i < count; i += 1) {
        const p: ProductRec = blankProduct(state, 'simple');
        p.name = `${prefix} Product ${i}`;
        p.slug = `${prefix.toLowerCase()}-product-${i}`;
        p.regularPrice = o.price ?? '9.99';
        p.manageStock = true;
        p.stockQuantity = o.stock ?? 10;
        p.categories = [15];
        state.products.set(p.id, p);
        state.setSku(p, `${prefix}-${i}`);
      }
      state.touch();
    },
    flushWebhooks: () => hooks.flush(),
    async close(): Promise<void> {
      await hooks.flush();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  } satisfies Omit<WooSimulator, never>);
  return sim;
}
