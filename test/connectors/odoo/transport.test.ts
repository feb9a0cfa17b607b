/**
 * The transport against recorded exchanges: the requests it builds have the shape real Odoo servers were
 * sent (17: execute_kw with positional domain/vals; 19: JSON-2 named arguments), and the recorded responses
 * parse to the right values (absent `result` / body `null` = None).
 */
import { describe, it, expect } from 'vitest';
import { OdooTransport, toJsonRpcArgs, type OdooTransportOptions } from '../../../src/connectors/odoo/transport.js';
import { SyncError } from '../../../src/shared/errors.js';
import { loadFlow, type Exchange17, type Exchange19 } from './recordings.js';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that answers from a script (url suffix → response body/status) and records every request. */
function scriptedFetch(answer: (req: Sent) => { status?: number; body: unknown; raw?: boolean }) {
  const sent: Sent[] = [];
  const fn = (async (input: string | URL | Request, init?: RequestInit) => {
    const req: Sent = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    sent.push(req);
    const a = answer(req);
    return new Response(a.raw ? (a.body as string) : JSON.stringify(a.body), { status: a.status ?? 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { fn, sent };
}

const base: OdooTransportOptions = { url: 'http://odoo.test/', db: 'erp', user: 'shop-bot', apiKey: 'k-123', protocol: 'auto', version: 'auto', lang: 'en_US', tz: 'UTC', timeoutMs: 5000 };

function rpcResult(req: Sent, result: unknown, omitResult = false) {
  const id = (req.body as { id: number }).id;
  return { body: omitResult ? { jsonrpc: '2.0', id } : { jsonrpc: '2.0', id, result } };
}

describe('odoo transport: JSON-RPC (16–18)', () => {
  const version17 = loadFlow<Exchange17>('odoo17', '01_login_version.jsonl')[0]!.response as { result: unknown };

  it('detects 17 (GET /web/version absent → common.version), logs in once, and sends execute_kw with positional vals_list', async () => {
    const { fn, sent } = scriptedFetch((req) => {
      if (req.url.endsWith('/web/version')) return { status: 404, body: '<html>Not Found</html>', raw: true };
      const p = (req.body as { params: { service: string; method: string } }).params;
      if (p.service === 'common' && p.method === 'version') return rpcResult(req, version17.result);
      if (p.service === 'common' && p.method === 'authenticate') return rpcResult(req, 2);
      return rpcResult(req, [42]);
    });
    const t = new OdooTransport({ ...base, fetch: fn });
    expect(await t.server()).toEqual({ major: 17, version: '17.0-20240709', protocol: 'jsonrpc' });
    const ids = await t.call<number[]>('product.template', 'create', { kwargs: { vals_list: [{ name: 'Tee' }] } });
    await t.call('product.template', 'create', { kwargs: { vals_list: [{ name: 'Tee 2' }] } });
    expect(ids).toEqual([42]);
    const auth = sent.filter((s) => (s.body as { params?: { method?: string } })?.params?.method === 'authenticate');
    expect(auth).toHaveLength(1);
    expect((auth[0]!.body as { params: { args: unknown[] } }).params.args).toEqual(['erp', 'shop-bot', 'k-123', {}]);
    const create = sent.find((s) => (s.body as { params?: { method?: string } })?.params?.method === 'execute_kw')!;
    expect(create.url).toBe('http://odoo.test/jsonrpc');
    expect(create.body).toMatchObject({ jsonrpc: '2.0', method: 'call', params: { service: 'object', method: 'execute_kw' } });
    expect((create.body as { params: { args: unknown[] } }).params.args).toEqual(['erp', 2, 'k-123', 'product.template', 'create', [[{ name: 'Tee' }]], { context: { lang: 'en_US', tz: 'UTC' } }]);
    const rpcIds = sent.filter((s) => s.body).map((s) => (s.body as { id: number }).id);
    expect(new Set(rpcIds).size).toBe(rpcIds.length);
  });

  it('a response without `result` is None (null): stock.quant.action_apply_inventory of the 17 recording', async () => {
    const rec = loadFlow<Exchange17>('odoo17', '04_stock.jsonl').find((x) => x.label.includes('action_apply_inventory'))!;
    expect(rec.response).not.toHaveProperty('result');
    const { fn } = scriptedFetch((req) => {
      const p = (req.body as { params: { method: string } }).params;
      if (p.method === 'authenticate') return rpcResult(req, 2);
      return rpcResult(req, null, true);
    });
    const t = new OdooTransport({ ...base, protocol: 'jsonrpc', version: '17', fetch: fn });
    expect(await t.call('stock.quant', 'action_apply_inventory', { ids: [37], context: { inventory_mode: true } })).toBeNull();
  });

  it('a refused login is SyncError kind auth, not retryable, with a hint', async () => {
    const { fn } = scriptedFetch((req) => rpcResult(req, false));
    const t = new OdooTransport({ ...base, protocol: 'jsonrpc', version: '17', fetch: fn });
    const err = await t.call('res.partner', 'search', { kwargs: { domain: [] } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncError);
    expect((err as SyncError).kind).toBe('auth');
    expect((err as SyncError).retryable).toBe(false);
    expect((err as SyncError).hint).toMatch(/API key/);
  });

  it('builds the same args/kwargs split as the recorded 17 requests', () => {
    const flows = ['02_catalog.jsonl', '03_incremental_sync.jsonl', '05_customer.jsonl', '06_order_flow.jsonl'].flatMap((f) => loadFlow<Exchange17>('odoo17', f));
    const checked = new Set<string>();
    for (const x of flows) {
      const args = (x.request as { params: { args: unknown[] } }).params.args;
      const [model, method, positional, kwargs] = args.slice(3) as [string, string, unknown[], Record<string, unknown>];
      const named: Record<string, unknown> = {};
      const names: Record<string, string[]> = { search_read: ['domain'], search_count: ['domain'], search: ['domain'], write: ['ids', 'vals'], read: ['ids', 'fields'], create: ['vals_list'] };
      const order = names[method];
      if (!order || positional.length !== order.length) continue;
      order.forEach((n, i) => (named[n] = positional[i]));
      const { ids, ...rest } = named as { ids?: number[] };
      const built = toJsonRpcArgs(method, { ids, kwargs: { ...rest, ...kwargs } as never });
      expect([built.args, built.kwargs], `${model}.${method} #${x.seq}`).toEqual([positional, kwargs]);
      checked.add(method);
    }
    expect([...checked].sort()).toEqual(['create', 'read', 'search', 'search_count', 'search_read', 'write']);
  });
});

describe('odoo transport: JSON-2 (19+)', () => {
  const v19 = loadFlow<Exchange19>('odoo19', '01_login_version.jsonl')[0]!;

  it('detects 19 with GET /web/version and calls /json/2/<model>/<method> with named arguments and a bearer key', async () => {
    const { fn, sent } = scriptedFetch((req) => {
      if (req.url.endsWith('/web/version')) return { body: v19.response.body };
      if (req.url.endsWith('/json/2/sale.order/action_confirm')) return { body: true };
      if (req.url.endsWith('/json/2/stock.quant/action_apply_inventory')) return { body: null };
      return { body: [1] };
    });
    const t = new OdooTransport({ ...base, fetch: fn });
    expect((await t.server()).protocol).toBe('json2');
    expect(await t.call('sale.order', 'create', { kwargs: { vals_list: [{ partner_id: 6 }] } })).toEqual([1]);
    expect(await t.call('sale.order', 'action_confirm', { ids: [1] })).toBe(true);
    expect(await t.call('stock.quant', 'action_apply_inventory', { ids: [1], context: { inventory_mode: true } })).toBeNull();
    const create = sent.find((s) => s.url.endsWith('/sale.order/create'))!;
    expect(create.method).toBe('POST');
    expect(create.headers.Authorization).toBe('bearer k-123');
    expect(create.headers['X-Odoo-Database']).toBe('erp');
    expect(create.body).toEqual({ vals_list: [{ partner_id: 6 }], context: { lang: 'en_US', tz: 'UTC' } });
    expect(Array.isArray(create.body)).toBe(false);
    const confirm = sent.find((s) => s.url.endsWith('/action_confirm'))!;
    expect(confirm.body).toEqual({ ids: [1], context: { lang: 'en_US', tz: 'UTC' } });
  });

  it('a 401 from JSON-2 is kind auth with Odoo\'s message', async () => {
    const bad = loadFlow<Exchange19>('odoo19', '08_errors.jsonl')[0]!;
    const { fn } = scriptedFetch(() => ({ status: 401, body: bad.response.body }));
    const t = new OdooTransport({ ...base, protocol: 'json2', version: '19', fetch: fn });
    const err = (await t.call('res.partner', 'search_read', { kwargs: { domain: [] } }).catch((e: unknown) => e)) as SyncError;
    expect(err.kind).toBe('auth');
    expect(err.message).toBe('Invalid apikey');
    expect(err.status).toBe(401);
  });

  it('gets the uid from res.users/context_get', async () => {
    const rec = loadFlow<Exchange19>('odoo19', '01_login_version.jsonl').find((x) => x.request.path.endsWith('context_get'))!;
    const { fn } = scriptedFetch(() => ({ body: rec.response.body }));
    const t = new OdooTransport({ ...base, protocol: 'json2', version: '19', fetch: fn });
    expect(await t.uid()).toBe(2);
  });

  it('an unreachable server is a network error', async () => {
    const t = new OdooTransport({ ...base, url: 'http://127.0.0.1:1', protocol: 'json2', version: '19' });
    const err = (await t.call('res.partner', 'search_read', { kwargs: { domain: [] } }).catch((e: unknown) => e)) as SyncError;
    expect(err.kind).toBe('network');
    expect(err.retryable).toBe(true);
  });
});
