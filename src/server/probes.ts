/**
 * /healthz (the process answers: liveness only), /readyz (store reachable, worker running, shop and ERP
 * reachable: readiness.ts) and /metrics. The probes are
 * public for load balancers and Kubernetes, so they say only ok or not ok and a fixed reason — the
 * store's own error goes to the log, not to whoever asks.
 */
import type { Reply, RequestContext } from './route-table.js';
import { storeReady, systemsReady } from './readiness.js';

export function healthz(): Reply {
  return { body: { ok: true } };
}

export async function readyz(c: RequestContext): Promise<Reply> {
  const store = await storeReady(c.engine);
  if (!store.ok) return { status: 503, body: store };
  if (!c.ready()) return { status: 503, body: { ok: false, reason: 'worker not running' } };
  const systems = await systemsReady(c.engine);
  if (!systems.ok) return { status: 503, body: systems };
  return { body: { ok: true } };
}

export async function metrics(c: RequestContext): Promise<Reply> {
  const { engine } = c;
  const counts = await engine.queue.counts();
  for (const [state, n] of Object.entries(counts)) engine.metrics.jobs.set({ state }, n);
  return { body: await engine.metrics.registry.metrics(), type: engine.metrics.registry.contentType };
}
