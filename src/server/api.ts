/** Read-mostly REST API behind the dashboard: status, runs, dead letters (show / replay / discard), trace. */
import type { Json } from '../connectors/contract.js';
import type { Engine } from '../engine/context.js';
import { traceOrder } from '../engine/trace.js';

export async function status(engine: Engine): Promise<Json> {
  const [jobs, runs, cursors] = await Promise.all([engine.queue.counts(), engine.store.runs.list({ limit: 20 }), engine.store.cursors.list()]);
  return {
    systems: engine.names,
    jobs,
    flows: engine.config.flows.map((f) => ({ entity: f.entity, direction: f.direction, schedule: f.schedule, webhooks: f.webhooks, enabled: f.enabled })),
    runs: runs.map((r) => ({ id: r.id, flow: r.flow, kind: r.kind, status: r.status, startedAt: new Date(r.startedAt).toISOString(), finishedAt: r.finishedAt ? new Date(r.finishedAt).toISOString() : null, counts: r.counts as Json })),
    cursors: cursors.map((c) => ({ key: c.key, updatedAt: new Date(c.updatedAt).toISOString() })),
  } as Json;
}

export async function deadLetters(engine: Engine, limit = 100): Promise<Json> {
  const jobs = await engine.queue.list({ state: 'dead', limit });
  return jobs.map((j) => ({ id: j.id, kind: j.kind, key: j.key, attempts: j.attempts, error: j.lastError as unknown as Json, payload: j.payload, updatedAt: new Date(j.updatedAt).toISOString() }));
}

export async function replay(engine: Engine, id: string, payload?: Json): Promise<Json> {
  await engine.queue.replay(id, payload === undefined ? {} : { payload });
  return { ok: true, id };
}

export async function discard(engine: Engine, id: string): Promise<Json> {
  await engine.queue.discard(id);
  return { ok: true, id };
}

export async function trace(engine: Engine, ref: string): Promise<Json> {
  return (await traceOrder(engine, ref)) as unknown as Json;
}
