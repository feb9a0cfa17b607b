/**
 * /healthz (the process answers), /readyz (store reachable, worker running) and /metrics. The probes are
 * public for load balancers and Kubernetes, so they say only ok or not ok and a fixed reason — the
 * store's own error goes to the log, not to whoever asks.
 */
import { sql } from 'kysely';
import type { Reply, RequestContext } from './route-table.js';

export function healthz(): Reply {
  return { body: { ok: true } };
}

export async function readyz(c: RequestContext): Promise<Reply> {
  try {
    await sql`select 1`.execute(c.engine.store.db);
  } catch (e) {
    c.engine.log.warn({ err: (e as Error).message }, 'readyz: store unreachable');
    return { status: 503, body: { ok: false, reason: 'store unreachable' } };
  }
  if (!c.ready()) return { status: 503, body: { ok: false, reason: 'worker not running' } };
  return { body: { ok: true } };
}

export async function metrics(c: RequestContext): Promise<Reply> {
  const { engine } = c;
  const counts = await engine.queue.counts();
  for (const [state, n] of Object.entries(counts)) engine.metrics.jobs.set({ state }, n);
  return { body: await engine.metrics.registry.metrics(), type: engine.metrics.registry.contentType };
}
