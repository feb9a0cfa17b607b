/**
 * What /readyz asks: the store answers and both systems are reachable, each check bounded (2 s) and the
 * systems' answer cached (~10 s) so a probe every second costs one light check of each system, not one
 * per probe. A system counts as reachable when its check's first item (the connection) and its login,
 * if it reports one, are ok.
 */
import { sql } from 'kysely';
import type { Engine } from '../engine/context.js';

export const CHECK_TIMEOUT_MS = 2_000;
export const SYSTEMS_TTL_MS = 10_000;

export type Readiness = { ok: true } | { ok: false; reason: string };

class Timeout extends Error {}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

export async function storeReady(engine: Engine, timeoutMs = CHECK_TIMEOUT_MS): Promise<Readiness> {
  try {
    await withTimeout(sql`select 1`.execute(engine.store.db), timeoutMs);
    return { ok: true };
  } catch (e) {
    engine.log.warn({ err: (e as Error).message }, 'readyz: store unreachable');
    return { ok: false, reason: 'store unreachable' };
  }
}

async function systemReachable(engine: Engine, role: 'shop' | 'erp', timeoutMs: number): Promise<boolean> {
  try {
    const report = await withTimeout(engine[role].check({ entities: {}, actions: [] }), timeoutMs);
    const login = report.items.find((i) => i.name === 'login');
    return report.items[0]?.ok === true && login?.ok !== false;
  } catch (e) {
    engine.log.warn({ system: engine.names[role], err: (e as Error).message }, 'readyz: system check failed');
    return false;
  }
}

interface Cached {
  at: number;
  value: Promise<Readiness>;
}

const cache = new WeakMap<Engine, Cached>();

/** Both systems reachable? Cached for `ttlMs`; one check at a time per engine. */
export function systemsReady(engine: Engine, opts: { timeoutMs?: number; ttlMs?: number; now?: () => number } = {}): Promise<Readiness> {
  const now = (opts.now ?? Date.now)();
  const hit = cache.get(engine);
  if (hit && now - hit.at < (opts.ttlMs ?? SYSTEMS_TTL_MS)) return hit.value;
  const timeoutMs = opts.timeoutMs ?? CHECK_TIMEOUT_MS;
  const value = Promise.all([systemReachable(engine, 'shop', timeoutMs), systemReachable(engine, 'erp', timeoutMs)]).then(([shop, erp]): Readiness => {
    if (!shop) return { ok: false, reason: 'shop unreachable' };
    if (!erp) return { ok: false, reason: 'erp unreachable' };
    return { ok: true };
  });
  cache.set(engine, { at: now, value });
  return value;
}
