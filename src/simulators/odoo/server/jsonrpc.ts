/**
 * POST /jsonrpc: services common (version, login, authenticate, about), db (server_version, list) and
 * object (execute_kw, execute). Errors are HTTP 200 envelopes with Odoo's class names; a method
 * returning None gives a response without `result`.
 */
import { OdooError } from '../orm/errors.js';
import { serverVersionInfo } from '../versions.js';
import { authenticate, runModelCall, type SimState, unknownDbError } from './state.js';

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: string;
  holdMs?: number;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

function envelope(state: SimState, id: unknown, payload: { result?: unknown; error?: OdooError }): string {
  const out: Record<string, unknown> = { jsonrpc: '2.0', id: id ?? null };
  if (payload.error) {
    const e = payload.error;
    const data =
      state.db.traits.messages === 19
        ? { name: e.pyClass, message: e.message, arguments: e.args, context: {}, debug: e.pyClass === 'odoo.exceptions.AccessDenied' ? `${e.pyClass}: ${e.message}` : e.debug() }
        : { name: e.pyClass, debug: e.debug(), message: e.message, arguments: e.args, context: {} };
    out.error = { code: state.db.traits.jsonrpcErrorCode, message: 'Odoo Server Error', data };
  } else if (payload.result !== undefined) {
    out.result = payload.result;
  }
  return JSON.stringify(out);
}

function checkDb(state: SimState, db: unknown): void {
  if (db !== state.db.dbName) throw unknownDbError(String(db));
}

function pyMissing(fn: string, names: string[]): OdooError {
  const q = names.map((n) => `'${n}'`);
  const list = q.length === 1 ? q[0] : q.length === 2 ? `${q[0]} and ${q[1]}` : `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
  return new OdooError('builtins.TypeError', `${fn}() missing ${names.length} required positional argument${names.length === 1 ? '' : 's'}: ${list}`);
}

async function dispatch(state: SimState, service: unknown, method: unknown, args: unknown[]): Promise<{ result: unknown; holdMs: number }> {
  const t = state.db.traits;
  if (service === 'common') {
    switch (method) {
      case 'version':
        return { result: { server_version: t.serverVersion, server_version_info: serverVersionInfo(t), server_serie: t.serverSerie, protocol_version: 1 }, holdMs: 0 };
      case 'about':
        return { result: args[0] ? ['See http://openerp.com', t.serverVersion] : 'See http://openerp.com', holdMs: 0 };
      case 'login':
      case 'authenticate': {
        const need = method === 'login' ? ['db', 'login', 'password'] : ['db', 'login', 'password', 'user_agent_env'];
        if (args.length < need.length) throw pyMissing(`exp_${method}`, need.slice(args.length));
        checkDb(state, args[0]);
        const u = authenticate(state, args[1], args[2]);
        return { result: u ? u.uid : false, holdMs: 0 };
      }
      default:
        throw new OdooError('builtins.KeyError', `exp_${String(method)}`, { reprMessage: `'exp_${String(method)}'` });
    }
  }
  if (service === 'db') {
    switch (method) {
      case 'server_version':
        return { result: t.serverVersion, holdMs: 0 };
      case 'list':
        return { result: [state.db.dbName], holdMs: 0 };
      default:
        throw new OdooError('odoo.exceptions.AccessDenied', 'Access Denied');
    }
  }
  if (service === 'object') {
    if (args.length < 3) throw new OdooError('builtins.IndexError', 'list index out of range');
    const [db, uidRaw, password] = args;
    if (method !== 'execute' && method !== 'execute_kw') throw new OdooError('builtins.NameError', `Method not available ${String(method)}`);
    checkDb(state, db);
    const uid = Number(uidRaw);
    const user = state.db.users.get(uid);
    const rec = state.db.models.get('res.users')?.table.get(uid);
    if (!user || !rec || rec.active === false || typeof password !== 'string' || (password !== user.password && !user.apiKeys.includes(password))) {
      throw new OdooError('odoo.exceptions.AccessDenied', 'Access Denied');
    }
    const rest = args.slice(3);
    if (method === 'execute_kw') {
      const names = ['obj', 'method', 'args'];
      if (rest.length < 3) throw pyMissing('execute_kw', names.slice(rest.length));
      const [model, m, a, kw] = rest as [unknown, unknown, unknown, unknown];
      const positional = Array.isArray(a) ? a : [a];
      const kwargs = kw && typeof kw === 'object' && !Array.isArray(kw) ? (kw as Record<string, unknown>) : {};
      const r = await runModelCall(state, { model: String(model), method: String(m), uid, protocol: 'jsonrpc', args: positional, kwargs });
      return { result: r.value, holdMs: r.holdMs };
    }
    if (rest.length < 2) throw pyMissing('execute', ['obj', 'method'].slice(rest.length));
    const [model, m, ...positional] = rest;
    const r = await runModelCall(state, { model: String(model), method: String(m), uid, protocol: 'jsonrpc', args: positional, kwargs: {} });
    return { result: r.value, holdMs: r.holdMs };
  }
  throw new OdooError('builtins.KeyError', String(service), { reprMessage: `'${String(service)}'` });
}

export async function handleJsonRpc(state: SimState, raw: string): Promise<HttpReply> {
  let req: unknown;
  try {
    req = JSON.parse(raw);
  } catch {
    return { status: 400, headers: { 'content-type': 'text/html; charset=utf-8' }, body: 'Invalid JSON data' };
  }
  const r = (req && typeof req === 'object' ? req : {}) as { id?: unknown; params?: { service?: unknown; method?: unknown; args?: unknown } };
  const params = r.params ?? {};
  const args = Array.isArray(params.args) ? params.args : [];
  try {
    const { result, holdMs } = await dispatch(state, params.service, params.method, args);
    return { status: 200, headers: JSON_HEADERS, body: envelope(state, r.id, { result }), holdMs };
  } catch (e) {
    if (e instanceof OdooError) return { status: 200, headers: JSON_HEADERS, body: envelope(state, r.id, { error: e }) };
    const err = new OdooError('builtins.Exception', e instanceof Error ? e.message : String(e));
    return { status: 200, headers: JSON_HEADERS, body: envelope(state, r.id, { error: err }) };
  }
}
