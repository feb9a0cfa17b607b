/**
 * Replays recorded Odoo traffic (../shared/recordings/odoo17|odoo19/flows/*.jsonl) against the simulator:
 * secrets substituted, recorded ids mapped to the ids the simulator returned earlier (per model, learned
 * from responses), the simulator's clock driven along the recorded timeline, and every response
 * shape-compared with the recorded one.
 */
import { RECORDINGS_DIR } from '../../helpers/recordings.js';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { OdooSimulator } from '../../../src/simulators/index.js';
import { compareShape } from './shape-compare.js';
import { IdMap } from './replay-ids.js';

export const RECORDINGS = RECORDINGS_DIR;

export interface Exchange {
  file: string;
  seq: number;
  label: string;
  protocol: 'jsonrpc' | 'json2' | 'http';
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON body, or the raw text when `raw`. */
  body: unknown;
  raw: boolean;
  expected: { status: number; headers: Record<string, string>; body: unknown };
}

export interface Outcome {
  exchange: Exchange;
  diffs: string[];
  actual: { status: number; body: unknown };
}

export function loadFlows(version: 17 | 19): Exchange[] {
  const dir = join(RECORDINGS, `odoo${version}`, 'flows');
  const out: Exchange[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const r = JSON.parse(line) as Record<string, unknown>;
      if (version === 17) {
        out.push({
          file,
          seq: r.seq as number,
          label: r.label as string,
          protocol: 'jsonrpc',
          method: 'POST',
          path: '/jsonrpc',
          headers: { 'Content-Type': 'application/json' },
          body: r.request,
          raw: r.request_is_raw_text === true,
          expected: { status: r.http_status as number, headers: {}, body: r.response },
        });
      } else {
        const req = r.request as { method: string; path: string; headers?: Record<string, string>; body: unknown };
        const res = r.response as { status: number; headers: Record<string, string>; body: unknown };
        const ctype = Object.entries(req.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
        out.push({
          file,
          seq: r.seq as number,
          label: r.label as string,
          protocol: r.protocol as Exchange['protocol'],
          method: req.method,
          path: req.path,
          headers: req.headers ?? {},
          body: req.body,
          raw: typeof req.body === 'string' && ctype.includes('json'),
          expected: { status: res.status, headers: res.headers, body: res.body },
        });
      }
    }
  }
  return out;
}

// ------------------------------------------------------------------ recorded timeline

const DT_RE = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g;

/** The recorded server time of each exchange, inferred from the datetimes its responses reveal. */
export function timeline(flows: Exchange[]): number[] {
  const dates = flows.map((x) => (JSON.stringify(x.expected.body).match(DT_RE) ?? []).map((d) => Date.parse(`${d.replace(' ', 'T')}Z`)));
  const out: number[] = [];
  let seen = -Infinity;
  let prev = -Infinity;
  for (let i = 0; i < flows.length; i++) {
    // files were not recorded in file order (19's 01 ran last): each file has its own timeline
    if (i === 0 || flows[i]?.file !== flows[i - 1]?.file) {
      seen = -Infinity;
      prev = -Infinity;
    }
    let t = seen;
    for (let j = i; j < flows.length && flows[j]?.file === flows[i]?.file; j++) {
      const later = (dates[j] as number[]).filter((d) => d >= seen);
      if (later.length) {
        t = Math.min(...later);
        break;
      }
    }
    if (!Number.isFinite(t)) t = Number.isFinite(prev) ? prev : (out[out.length - 1] ?? Date.parse('2026-11-26T00:00:00Z'));
    t = Math.max(t, prev);
    out.push(t);
    prev = t;
    for (const d of dates[i] as number[]) if (d > seen) seen = d;
  }
  return out;
}

// ------------------------------------------------------------------ replay

export interface ReplayOptions {
  sim: OdooSimulator;
  version: 17 | 19;
  /** Sets the simulator clock (ms since the epoch). */
  setClock: (ms: number) => void;
}

const WRONG = 'wrong-secret-0000';
const RESTRICTED_PW = 'restricted-flow-password';

function secretFor(o: ReplayOptions, x: Exchange, uid?: number): string {
  const l = x.label.toLowerCase();
  if (/wrong password|bad api key|bad key/.test(l)) return WRONG;
  if (/password instead of (an )?api key/.test(l)) return o.sim.admin.password;
  if (uid !== undefined) {
    if (uid === o.sim.admin.uid) return o.sim.admin.apiKey;
    return o.version === 19 ? o.sim.restricted.apiKey : RESTRICTED_PW;
  }
  if (/restricted/.test(l)) return o.version === 19 ? o.sim.restricted.apiKey : RESTRICTED_PW;
  if (/with password/.test(l)) return o.sim.admin.password;
  return o.sim.admin.apiKey;
}

function loginFor(o: ReplayOptions, x: Exchange): string {
  return /restricted/.test(x.label.toLowerCase()) ? o.sim.restricted.login : o.sim.admin.login;
}

const RECORDED_DBS = new Set(['erp', 'erp19']);

function rewriteJsonRpc(o: ReplayOptions, ids: IdMap, x: Exchange): { body: unknown; model?: string; method?: string } {
  const body = JSON.parse(JSON.stringify(x.body)) as { params?: { service?: string; method?: string; args?: unknown[] } };
  const p = body.params;
  if (!p || !Array.isArray(p.args)) return { body };
  const args = p.args;
  if (typeof args[0] === 'string' && RECORDED_DBS.has(args[0])) args[0] = o.sim.db;
  if (p.service === 'common' && (p.method === 'login' || p.method === 'authenticate')) {
    if (args[1] === '<SECRET>') args[1] = loginFor(o, x);
    if (args[2] === '<SECRET>') args[2] = secretFor(o, x);
    return { body };
  }
  if (p.service === 'object' && args.length >= 3) {
    const uid = ids.id('res.users', args[1]) as number;
    args[1] = uid;
    if (args[2] === '<SECRET>') args[2] = secretFor(o, x, uid);
    const model = args[3] as string | undefined;
    const method = args[4] as string | undefined;
    if (model && method && args.length >= 6) {
      args[5] = ids.positional(model, method, Array.isArray(args[5]) ? args[5] : []);
      if (args[6] && typeof args[6] === 'object') args[6] = ids.named(model, method, args[6] as Record<string, unknown>);
      // the only other secret in a request is the password of a user the flow creates (the restricted one)
      p.args = JSON.parse(JSON.stringify(args).replaceAll('"<SECRET>"', JSON.stringify(RESTRICTED_PW)));
      return { body, model, method };
    }
  }
  return { body };
}

async function send(o: ReplayOptions, x: Exchange, ids: IdMap): Promise<{ status: number; headers: Record<string, string>; body: unknown; model?: string; method?: string }> {
  const headers: Record<string, string> = {};
  let model: string | undefined;
  let method: string | undefined;
  let payload: string | undefined;
  for (const [k, v] of Object.entries(x.headers)) {
    if (k.toLowerCase() === 'content-length') continue;
    if (k.toLowerCase() === 'authorization') headers[k] = v.replace('<SECRET>', secretFor(o, x));
    else if (k.toLowerCase() === 'x-odoo-database') headers[k] = RECORDED_DBS.has(v) ? o.sim.db : v;
    else headers[k] = v;
  }
  if (x.protocol === 'jsonrpc' && !x.raw && x.body && typeof x.body === 'object') {
    const r = rewriteJsonRpc(o, ids, x);
    payload = JSON.stringify(r.body);
    model = r.model;
    method = r.method;
  } else if (x.protocol === 'json2' && x.body && typeof x.body === 'object' && !Array.isArray(x.body)) {
    const parts = x.path.split('/');
    model = parts[3];
    method = parts[4];
    payload = JSON.stringify(model && method ? ids.named(model, method, x.body as Record<string, unknown>) : x.body);
  } else if (x.body !== null && x.body !== undefined) {
    payload = typeof x.body === 'string' ? x.body : JSON.stringify(x.body);
  }
  if (x.protocol === 'json2' && !model) {
    const parts = x.path.split('/');
    model = parts[3];
    method = parts[4];
  }
  const r = await fetch(`${o.sim.url}${x.path}`, { method: x.method, headers, ...(x.method === 'GET' || payload === undefined ? {} : { body: payload }) });
  const text = await r.text();
  let body: unknown = text;
  if ((r.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
  const h: Record<string, string> = {};
  r.headers.forEach((v, k) => (h[k] = v));
  return { status: r.status, headers: h, body, ...(model ? { model } : {}), ...(method ? { method } : {}) };
}

const COMPARED_HEADERS = ['content-type', 'www-authenticate', 'accept'];

/** Names of all relational fields of all simulated models: their numbers are ids. */
function relationalKeys(sim: OdooSimulator, models: string[]): Set<string> {
  const out = new Set<string>();
  for (const m of models) for (const [n, f] of Object.entries(sim.env.fieldsOf(m) ?? {})) if (f.relation) out.add(n);
  return out;
}

const ID_METHODS = new Set(['create', 'search']);

export async function replay(o: ReplayOptions, flows: Exchange[]): Promise<Outcome[]> {
  const ids = new IdMap(o.sim);
  const idKeys = relationalKeys(o.sim, [...new Set(flows.flatMap((x) => [x.path.split('/')[3] ?? '', ((x.body as { params?: { args?: unknown[] } })?.params?.args?.[3] as string) ?? '']))].filter((m) => o.sim.env.hasModel(m)));
  if (o.version === 19) ids.learn('res.users', 5, o.sim.restricted.uid);
  const times = timeline(flows);
  const out: Outcome[] = [];
  for (let i = 0; i < flows.length; i++) {
    const x = flows[i] as Exchange;
    o.setClock((times[i] as number) + 1);
    const act = await send(o, x, ids);
    const diffs: string[] = [];
    if (act.status !== x.expected.status) diffs.push(`HTTP status ${x.expected.status} ≠ ${act.status}`);
    if (x.protocol !== 'jsonrpc' || o.version === 19) {
      for (const h of COMPARED_HEADERS) {
        const e = x.expected.headers[h];
        if (e !== act.headers[h]) diffs.push(`header ${h}: ${JSON.stringify(e)} ≠ ${JSON.stringify(act.headers[h])}`);
      }
    }
    const rootIsIds = ID_METHODS.has(act.method ?? '');
    if (x.protocol === 'jsonrpc' && x.expected.body && typeof x.expected.body === 'object' && act.body && typeof act.body === 'object') {
      const { result: er, ...eRest } = x.expected.body as Record<string, unknown>;
      const { result: ar, ...aRest } = act.body as Record<string, unknown>;
      diffs.push(...compareShape(eRest, aRest, { idKeys }));
      if ('result' in (x.expected.body as object) || 'result' in (act.body as object)) {
        if (!('result' in (act.body as object))) diffs.push('$.result: missing');
        else if (!('result' in (x.expected.body as object))) diffs.push('$.result: present but the recorded response has no result (None)');
        else diffs.push(...compareShape(er, ar, { idKeys, rootIsIds }, '$.result'));
      }
    } else {
      diffs.push(...compareShape(x.expected.body, act.body, { idKeys, rootIsIds: rootIsIds && act.status === 200 }));
    }
    out.push({ exchange: x, diffs, actual: { status: act.status, body: act.body } });
    // learn ids from successful model calls
    const rec = x.protocol === 'jsonrpc' ? (x.expected.body as { result?: unknown })?.result : x.expected.body;
    const got = x.protocol === 'jsonrpc' ? (act.body as { result?: unknown })?.result : act.body;
    if (act.model && act.method && act.status === 200 && rec !== undefined) ids.learnResult(act.model, act.method, rec, got);
    if (x.protocol === 'jsonrpc' && !act.model && typeof rec === 'number' && typeof got === 'number') ids.learn('res.users', rec, got);
  }
  return out;
}

/** Per-file summary lines: "02_catalog.jsonl 39/40". */
export function summarize(outcomes: Outcome[]): Map<string, { total: number; matched: number }> {
  const m = new Map<string, { total: number; matched: number }>();
  for (const x of outcomes) {
    const s = m.get(x.exchange.file) ?? { total: 0, matched: 0 };
    s.total += 1;
    if (!x.diffs.length) s.matched += 1;
    m.set(x.exchange.file, s);
  }
  return m;
}
