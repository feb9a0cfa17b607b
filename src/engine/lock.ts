/**
 * One sync of an entity at a time, across processes: the initial sync run from the CLI, the scheduled
 * poll and the webhook-triggered jobs of `tandem serve` all take the same lease, so they never decide
 * "not there yet, create it" about the same record at the same moment.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { SyncError } from '../shared/errors.js';
import type { Engine } from './context.js';

const TTL_MS = 60_000;
/** Leases this async call chain holds: a flow run that syncs records inside holds the lease already. */
const held = new AsyncLocalStorage<ReadonlySet<string>>();

export const entityLock = (entity: string) => `sync:${entity}`;
/** Whoever creates a customer in the ERP (the customer flow, an order import) holds the lease of its email. */
export const customerLock = (email: string) => `customer:${email.trim().toLowerCase()}`;

/** Runs `fn` holding every lease in `names` (taken in sorted order, so two callers never deadlock). */
export function withLocks<T>(engine: Engine, names: string[], fn: () => Promise<T>, opts: { wait?: boolean; maxWaitMs?: number } = {}): Promise<T> {
  const sorted = [...new Set(names)].sort();
  const run = sorted.reduceRight<() => Promise<T>>((inner, name) => () => withLock(engine, name, inner, opts), fn);
  return run();
}

/** True when `owner` ("host/pid:…") names a process of this machine that no longer runs. */
function deadHere(owner: string): boolean {
  const m = /^(.*)\/(\d+):/.exec(owner);
  if (!m || m[1] !== hostname() || Number(m[2]) === process.pid) return false;
  try {
    process.kill(Number(m[2]), 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Runs `fn` holding the lease `name`. `wait`: keep trying (CLI runs); otherwise a held lease is a
 * retryable conflict (queue jobs come back a little later).
 */
export async function withLock<T>(engine: Engine, name: string, fn: () => Promise<T>, opts: { wait?: boolean; maxWaitMs?: number } = {}): Promise<T> {
  const mine = held.getStore() ?? new Set<string>();
  if (mine.has(name)) return fn();
  const owner = `${hostname()}/${process.pid}:${randomUUID().slice(0, 8)}`;
  const deadline = Date.now() + (opts.maxWaitMs ?? 10 * 60_000);
  let announced = false;
  while (!(await engine.store.locks.tryAcquire(name, owner, TTL_MS))) {
    const holder = await engine.store.locks.holder(name);
    if (holder && deadHere(holder.owner)) {
      // the holder was a process on this machine that is gone (killed mid-sync): its lease is void now,
      // not when it expires — a rerun after a crash must not wait out the TTL
      engine.log.warn({ lock: name, holder: holder.owner }, 'taking over the lease of a process that died');
      await engine.store.locks.release(name, holder.owner);
      continue;
    }
    if (!opts.wait) {
      throw new SyncError('conflict', `${name} is running elsewhere (${holder?.owner ?? 'another process'})`, { retryAfterMs: 2_000 });
    }
    if (Date.now() > deadline) throw new SyncError('conflict', `gave up waiting for ${name}, held by ${holder?.owner ?? 'another process'}`, { hint: 'another tandem process is syncing the same entity; try again when it has finished' });
    if (!announced) {
      engine.log.info({ lock: name, holder: holder?.owner }, 'waiting for another sync of the same entity to finish');
      announced = true;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const timer = setInterval(() => void engine.store.locks.renew(name, owner, TTL_MS).catch(() => undefined), TTL_MS / 3);
  try {
    return await held.run(new Set([...mine, name]), fn);
  } finally {
    clearInterval(timer);
    await engine.store.locks.release(name, owner);
  }
}
