/**
 * A sandbox: the bundled simulators (Odoo and a shop) as HTTP servers on free ports of this machine, a
 * catalog in Odoo, and a small control endpoint (loopback, bearer token) through which `tandem sandbox
 * order` and `tandem sandbox stock` act on the running simulators. Its state file (.tandem/sandbox.json)
 * tells those commands where it runs.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StarterShop } from '../config/starter.js';
import { startOdooSimulator, startRestShopSimulator, startWooSimulator, type OdooSimulator, type RestShopSimulator, type WooSimulator } from '../simulators/index.js';
import { SANDBOX_CATALOG, seedSandboxCatalog, setSandboxStock } from './catalog.js';

export interface SandboxState {
  pid: number;
  shop: StarterShop;
  odooVersion: number;
  control: string;
  token: string;
  shopUrl: string;
  odooUrl: string;
  serverPort: number;
  startedAt: string;
}

export interface Sandbox {
  state: SandboxState;
  odoo: OdooSimulator;
  restShop?: RestShopSimulator;
  woo?: WooSimulator;
  /** The config's credential variables and their values. */
  env: Record<string, string>;
  seeded: number;
  close(): Promise<void>;
}

export const SANDBOX_WEBHOOK_SECRET = 'sandbox-webhook-secret';

export interface SandboxOptions {
  shop: StarterShop;
  odooVersion: 17 | 19;
  serverPort: number;
}

export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  const odoo = await startOdooSimulator({ version: opts.odooVersion, currency: 'EUR' });
  const restShop = opts.shop === 'rest-shop' ? await startRestShopSimulator({ currency: 'EUR', locations: ['default'] }) : undefined;
  const woo = opts.shop === 'woocommerce' ? await startWooSimulator({ currency: 'EUR' }) : undefined;
  // the REST shop's webhooks are set up by its admin (it has no registration API): they go to tandem serve
  restShop?.setWebhook({ url: `http://127.0.0.1:${opts.serverPort}/webhooks/shop`, secret: SANDBOX_WEBHOOK_SECRET });
  const seeded = seedSandboxCatalog(odoo);
  const token = randomBytes(16).toString('hex');
  const control = await startControl({ odoo, restShop, woo, token });
  const env: Record<string, string> = { ODOO_API_KEY: odoo.admin.apiKey };
  if (restShop) Object.assign(env, { SHOP_API_TOKEN: restShop.token, SHOP_WEBHOOK_SECRET: SANDBOX_WEBHOOK_SECRET });
  if (woo) Object.assign(env, { WOO_CONSUMER_KEY: woo.consumerKey, WOO_CONSUMER_SECRET: woo.consumerSecret, WOO_WEBHOOK_SECRET: SANDBOX_WEBHOOK_SECRET });
  const state: SandboxState = {
    pid: process.pid,
    shop: opts.shop,
    odooVersion: opts.odooVersion,
    control: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
    token,
    shopUrl: restShop?.url ?? woo!.url,
    odooUrl: odoo.url,
    serverPort: opts.serverPort,
    startedAt: new Date().toISOString(),
  };
  return {
    state,
    odoo,
    ...(restShop && { restShop }),
    ...(woo && { woo }),
    env,
    seeded,
    async close() {
      await new Promise<void>((resolve) => control.close(() => resolve()));
      control.closeAllConnections();
      await Promise.all([odoo.close(), restShop?.close(), woo?.close()]);
    },
  };
}

interface Sims {
  odoo: OdooSimulator;
  restShop: RestShopSimulator | undefined;
  woo: WooSimulator | undefined;
  token: string;
}

export interface OrderRequest {
  sku?: string;
  qty?: number;
  email?: string;
}

async function placeOrder(sims: Sims, req: OrderRequest): Promise<{ status: number; body: Record<string, unknown> }> {
  const sku = req.sku ?? SANDBOX_CATALOG[0]!.sku;
  const quantity = req.qty ?? 1;
  const email = req.email ?? 'sandbox.buyer@example.com';
  if (!Number.isInteger(quantity) || quantity < 1) return { status: 400, body: { error: `--qty must be a whole number of at least 1, got ${String(req.qty)}` } };
  try {
    if (sims.restShop) {
      const id = await sims.restShop.placeOrder({ email, firstName: 'Sandbox', lastName: 'Buyer', lines: [{ sku, quantity }], paid: true, shipping: { method: 'standard', amount: '4.90' } });
      return { status: 201, body: { id, number: sims.restShop.state.order(id)?.number ?? id, sku, quantity } };
    }
    const id = await sims.woo!.placeOrder({ email, firstName: 'Sandbox', lastName: 'Buyer', lines: [{ sku, quantity }], paid: true, shippingTotal: '4.90' });
    return { status: 201, body: { id: String(id), number: String(id), sku, quantity } };
  } catch (e) {
    const message = (e as Error).message;
    return { status: 409, body: { error: `the shop refused the order for ${sku}: ${message} (is ${sku} in the shop? \`tandem sync --initial\` brings the ERP's catalog there)` } };
  }
}

function stock(sims: Sims, req: { sku?: string; qty?: number }): { status: number; body: Record<string, unknown> } {
  if (!req.sku) return { status: 400, body: { error: 'name the SKU: --sku <sku>' } };
  if (!Number.isInteger(req.qty) || (req.qty as number) < 0) return { status: 400, body: { error: `--qty must be a whole number of at least 0, got ${String(req.qty)}` } };
  if (!setSandboxStock(sims.odoo, req.sku, req.qty as number)) {
    return { status: 404, body: { error: `unknown SKU ${req.sku} in the ERP: use one of ${SANDBOX_CATALOG.map((p) => p.sku).join(', ')}` } };
  }
  return { status: 200, body: { sku: req.sku, qty: req.qty, location: 'WH/Stock' } };
}

function authorized(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(req.headers.authorization ?? '');
  const want = Buffer.from(`Bearer ${token}`);
  return given.length === want.length && timingSafeEqual(given, want);
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>);
      } catch {
        resolve({});
      }
    });
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function startControl(sims: Sims): Promise<Server> {
  const server = createServer((req, res) => {
    if (!authorized(req, sims.token)) return send(res, 401, { error: 'wrong sandbox token' });
    void readJson(req).then(async (body) => {
      if (req.method === 'POST' && req.url === '/order') {
        const r = await placeOrder(sims, body as OrderRequest);
        return send(res, r.status, r.body);
      }
      if (req.method === 'POST' && req.url === '/stock') {
        const r = stock(sims, body as { sku?: string; qty?: number });
        return send(res, r.status, r.body);
      }
      return send(res, 404, { error: 'no such sandbox action' });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
