/**
 * The baseline: a catalog sync written the way a typical script or an n8n flow does it: read everything
 * from the source (paged), then ONE create call per record on the target: one Odoo JSON-RPC `create` of one
 * product, or one POST per product to the shop. No batching, no diff, no links, no natural-key lookup:
 * a second run creates everything again (in Odoo) or fails on every record (the shop refuses duplicate
 * SKUs). Runs against the same simulators and cost model as Tandem (bench/scenarios/catalog.ts).
 */
import type { SimsInfo } from './lib/sim-protocol.js';

type Item = Record<string, unknown>;

interface JsonRpcReply {
  result?: unknown;
  error?: { message?: string; data?: { message?: string } };
}

/** One JSON-RPC round trip, as n8n's Odoo node sends it (service object, execute_kw). */
async function rpc(url: string, service: string, method: string, args: unknown[]): Promise<unknown> {
  const res = await fetch(`${url}/jsonrpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: 1 }),
  });
  const body = (await res.json()) as JsonRpcReply;
  if (body.error) throw new Error(body.error.data?.message ?? body.error.message ?? 'Odoo error');
  return body.result;
}

export interface NaiveRun {
  read: number;
  written: number;
  failed: number;
  /** Requests the script sent (the simulators count them too). */
  requests: number;
}

/** Every product of the REST shop, flattened to one record per variant, then one Odoo create each. */
export async function naiveShopToErp(info: SimsInfo, prefix: string): Promise<NaiveRun> {
  const shop = info.shop!;
  const odoo = info.odoo!;
  let requests = 0;
  const uid = (await rpc(odoo.url, 'common', 'authenticate', [odoo.db, odoo.login, odoo.apiKey, {}])) as number;
  requests += 1;
  const records: Array<{ name: string; sku: string; price: number }> = [];
  for (let page = 1; ; page++) {
    const res = await fetch(`${shop.url}/products?per_page=500&page=${page}`, { headers: { authorization: `Bearer ${shop.token}`, accept: 'application/json' } });
    requests += 1;
    const body = (await res.json()) as { data: Item[]; meta: { last_page: number } };
    for (const p of body.data) {
      for (const v of p.variants as Item[]) if (String(v.sku).startsWith(`${prefix}-`)) records.push({ name: String(p.name), sku: String(v.sku), price: Number(v.price) });
    }
    if (page >= body.meta.last_page) break;
  }
  let written = 0;
  let failed = 0;
  const storable = odoo.version >= 18 ? { type: 'consu', is_storable: true } : { detailed_type: 'product' };
  for (const r of records) {
    try {
      await rpc(odoo.url, 'object', 'execute_kw', [odoo.db, uid, odoo.apiKey, 'product.product', 'create', [{ name: r.name, default_code: r.sku, list_price: r.price, ...storable }]]);
      written += 1;
    } catch {
      failed += 1;
    }
    requests += 1;
  }
  return { read: records.length, written, failed, requests };
}

/** Every Odoo product variant in one search_read (n8n's "get all"), then one shop POST per variant. */
export async function naiveErpToShop(info: SimsInfo, prefix: string): Promise<NaiveRun> {
  const shop = info.shop!;
  const odoo = info.odoo!;
  let requests = 0;
  const uid = (await rpc(odoo.url, 'common', 'authenticate', [odoo.db, odoo.login, odoo.apiKey, {}])) as number;
  requests += 1;
  const rows = (await rpc(odoo.url, 'object', 'execute_kw', [odoo.db, uid, odoo.apiKey, 'product.product', 'search_read', [[['default_code', '=like', `${prefix}-%`]]], { fields: ['display_name', 'default_code', 'lst_price'] }])) as Item[];
  requests += 1;
  let written = 0;
  let failed = 0;
  for (const r of rows) {
    const item = { name: String(r.display_name), variants: [{ sku: String(r.default_code), price: Number(r.lst_price).toFixed(2) }] };
    const res = await fetch(`${shop.url}/products/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${shop.token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ items: [item] }),
    });
    requests += 1;
    const body = (await res.json()) as { data?: Array<{ status: number }> };
    if (res.ok && body.data?.[0] && body.data[0].status < 300) written += 1;
    else failed += 1;
  }
  return { read: rows.length, written, failed, requests };
}

export interface NaiveReceiver {
  url: string;
  /** shop order id → when the ERP order was confirmed (ms epoch) */
  confirmedAt: Map<string, number>;
  errors: string[];
  /** Resolves when every accepted webhook has been processed. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The order flow of a typical n8n workflow: a Webhook trigger that answers at once (no signature check,
 * no inbox, no queue: every delivery runs as its own execution, all at the same time), then one Odoo call
 * per step and per line: find the customer by email (or create it), find each product by SKU, create the
 * sale order, confirm it. No invoice, no payment, no idempotency (a redelivered webhook makes a second order).
 */
export async function startNaiveOrderReceiver(info: SimsInfo): Promise<NaiveReceiver> {
  const { createServer } = await import('node:http');
  const odoo = info.odoo!;
  const uid = (await rpc(odoo.url, 'common', 'authenticate', [odoo.db, odoo.login, odoo.apiKey, {}])) as number;
  const kw = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => rpc(odoo.url, 'object', 'execute_kw', [odoo.db, uid, odoo.apiKey, model, method, args, kwargs]);
  const confirmedAt = new Map<string, number>();
  const errors: string[] = [];
  const running = new Set<Promise<void>>();

  async function execute(body: string): Promise<void> {
    const data = (JSON.parse(body) as { data: Item }).data;
    const customer = data.customer as Item;
    const found = (await kw('res.partner', 'search_read', [[['email', '=', customer.email]]], { fields: ['id'], limit: 1 })) as Item[];
    const partnerId = found[0]?.id ?? (await kw('res.partner', 'create', [{ name: `${String(customer.first_name)} ${String(customer.last_name)}`, email: customer.email }]));
    const lines: unknown[] = [];
    for (const l of data.lines as Item[]) {
      const [p] = (await kw('product.product', 'search_read', [[['default_code', '=', l.sku]]], { fields: ['id'], limit: 1 })) as Item[];
      if (!p) throw new Error(`no product ${String(l.sku)}`);
      lines.push([0, 0, { product_id: p.id, product_uom_qty: l.quantity, price_unit: Number(l.unit_price) }]);
    }
    const orderId = await kw('sale.order', 'create', [{ partner_id: partnerId, client_order_ref: data.number, order_line: lines }]);
    await kw('sale.order', 'action_confirm', [[orderId]]);
    confirmedAt.set(String(data.id), Date.now());
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"message":"Workflow was started"}');
      const run = execute(Buffer.concat(chunks).toString('utf8')).catch((e: unknown) => void errors.push(String(e)));
      running.add(run);
      void run.finally(() => running.delete(run));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/webhook/order`,
    confirmedAt,
    errors,
    async idle() {
      while (running.size > 0) await Promise.all([...running]);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
