/** Minimal JSON-RPC and JSON-2 clients for the simulator tests (raw HTTP, no connector code). */
import type { OdooSimulator } from '../../../src/simulators/index.js';

export interface RawReply {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: unknown;
}

export async function post(url: string, body: string, headers: Record<string, string> = {}, method = 'POST'): Promise<RawReply> {
  const r = await fetch(url, { method, headers, ...(method === 'GET' ? {} : { body }) });
  const text = await r.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  const h: Record<string, string> = {};
  r.headers.forEach((v, k) => (h[k] = v));
  return { status: r.status, headers: h, text, json };
}

export function rpcClient(sim: OdooSimulator, who: { uid: number; apiKey: string } = sim.admin) {
  let id = 0;
  const call = async (service: string, method: string, args: unknown[]) => {
    const r = await post(`${sim.url}/jsonrpc`, JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: ++id }), { 'content-type': 'application/json' });
    return r.json as { result?: unknown; error?: { code: number; message: string; data: { name: string; message: string } } };
  };
  const ex = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => call('object', 'execute_kw', [sim.db, who.uid, who.apiKey, model, method, args, kwargs]);
  /** execute_kw that throws on error envelopes. */
  const ok = async <T = unknown>(model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<T> => {
    const r = await ex(model, method, args, kwargs);
    if (r.error) throw new Error(`${r.error.data.name}: ${r.error.data.message}`);
    return r.result as T;
  };
  return { call, ex, ok };
}

export function json2Client(sim: OdooSimulator, key: string = sim.admin.apiKey) {
  return (model: string, method: string, body: unknown, headers: Record<string, string> = {}) =>
    post(`${sim.url}/json/2/${model}/${method}`, JSON.stringify(body), { 'content-type': 'application/json', authorization: `bearer ${key}`, ...headers });
}
