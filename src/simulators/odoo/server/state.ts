/**
 * What the HTTP handlers share: the database, faults, stats and the cost model.
 */
import type { OdooFaults } from '../types.js';
import type { Database } from '../orm/registry.js';
import type { UserAuth } from '../orm/types.js';
import { OdooError } from '../orm/errors.js';
import { callModel, type CallRequest, type CallResult } from '../orm/dispatch.js';
import { callCost } from './cost-model.js';
import { chance, injectedError, sleep } from './faults.js';

export interface SimState {
  db: Database;
  faults: OdooFaults;
  stats: { calls: number; byMethod: Record<string, number> };
  cost: { totalMs: number; last: { model: string; method: string; records: number; ms: number } | null };
  costModel: boolean;
  costScale: number;
}

export function unknownDbError(db: string): OdooError {
  const msg = `connection to server at "127.0.0.1", port 5432 failed: FATAL:  database "${db}" does not exist\n`;
  return new OdooError('psycopg2.OperationalError', msg);
}

/** uid for login + password or API key, or null. */
export function authenticate(state: SimState, login: unknown, password: unknown): UserAuth | null {
  for (const u of state.db.users.values()) {
    if (u.login !== login) continue;
    const rec = state.db.models.get('res.users')?.table.get(u.uid);
    if (!rec || rec.active === false) return null;
    if (typeof password === 'string' && password && (password === u.password || u.apiKeys.includes(password))) return u;
    return null;
  }
  return null;
}

export function userByApiKey(state: SimState, key: string): UserAuth | null {
  for (const u of state.db.users.values()) {
    if (!u.apiKeys.includes(key)) continue;
    const rec = state.db.models.get('res.users')?.table.get(u.uid);
    return rec && rec.active !== false ? u : null;
  }
  return null;
}

/**
 * One model call with stats, injected faults and the cost model. Throws OdooError; the protocol handler
 * formats it. `hold` is set when a timeout fault wants the response delayed.
 */
export async function runModelCall(state: SimState, req: CallRequest): Promise<CallResult & { holdMs: number }> {
  state.stats.calls += 1;
  const key = `${req.model}.${req.method}`;
  state.stats.byMethod[key] = (state.stats.byMethod[key] ?? 0) + 1;
  const injected = injectedError(state.faults);
  if (injected) throw injected;
  const result = callModel(state.db, req);
  const spec = req.method.startsWith('web_') ? (req.kwargs?.specification ?? req.args?.[1]) : undefined;
  const fields = spec && typeof spec === 'object' ? Object.keys(spec) : (req.kwargs?.fields ?? (req.method === 'read' ? req.args?.[1] : req.method === 'search_read' ? req.args?.[1] : undefined));
  const ms = callCost({ model: req.model, method: req.method, records: result.records, fields });
  state.cost.totalMs += ms;
  state.cost.last = { model: req.model, method: req.method, records: result.records, ms };
  if (state.costModel) await sleep(ms * state.costScale);
  const holdMs = chance(state.faults.timeoutRate) ? state.faults.timeoutMs : 0;
  return { ...result, holdMs };
}
