/**
 * The REST API behind the dashboard: status, dead letters (list / show / replay / discard), an order's
 * trace, manual syncs and reconciles, the audit log. A viewer sees payloads with personal fields
 * redacted; operators and admins see them in full. Who may call what is in routes.ts.
 */
import type { Json } from '../connectors/contract.js';
import { traceOrder } from '../engine/trace.js';
import type { Job } from '../queue/index.js';
import { redactPersonal } from '../shared/redact-personal.js';
import { allows } from './auth/roles.js';
import { actorOf } from './auth/principal.js';
import { discardDeadLetter, replayDeadLetter } from './dead-letter-actions.js';
import { HttpError, type Reply, type RequestContext } from './route-table.js';
import { parseEntity, startReconcile, triggerSync } from './sync-actions.js';
import { parseTime } from './parse-time.js';
import type { EntityType } from '../model/entities.js';
import { webhookState } from '../engine/webhook-state.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** Personal fields redacted unless the caller is an operator or admin. */
function forCaller<T>(c: RequestContext, value: T): T {
  return c.principal && allows(c.principal.role, 'operator') ? value : redactPersonal(value);
}

const actor = (c: RequestContext): string => actorOf(c.principal!);

export async function status(c: RequestContext): Promise<Reply> {
  const { engine } = c;
  const [jobs, runs, cursors] = await Promise.all([engine.queue.counts(), engine.store.runs.list({ limit: 20 }), engine.store.cursors.list()]);
  return {
    body: {
      systems: engine.names,
      jobs,
      flows: engine.config.flows.map((f) => ({ entity: f.entity, direction: f.direction, schedule: f.schedule, webhooks: f.webhooks, webhookState: webhookState(engine, f), enabled: f.enabled })),
      runs: runs.map((r) => ({ id: r.id, flow: r.flow, kind: r.kind, status: r.status, startedAt: iso(r.startedAt), finishedAt: r.finishedAt ? iso(r.finishedAt) : null, counts: r.counts as Json })),
      cursors: cursors.map((cur) => ({ key: cur.key, updatedAt: iso(cur.updatedAt) })),
    } as Json,
  };
}

/** The `tandem serve` processes sharing the store, with the jobs running on each (issue 17). */
export async function nodes(c: RequestContext): Promise<Reply> {
  const list = await c.engine.store.nodes.list();
  return { body: { nodes: list.map((n) => ({ id: n.id, host: n.host, pid: n.pid, startedAt: iso(n.startedAt), lastSeen: iso(n.lastSeen), runningJobs: n.runningJobs })) } };
}

function deadLetterJson(j: Job): Json {
  return {
    id: j.id,
    kind: j.kind,
    key: j.key,
    record: j.recordKey,
    state: j.state,
    attempts: j.attempts,
    failures: j.failures,
    lastFailedAt: j.lastFailedAt === null ? null : iso(j.lastFailedAt),
    error: j.lastError as unknown as Json,
    payload: j.payload,
    createdAt: iso(j.createdAt),
    updatedAt: iso(j.updatedAt),
  };
}

export async function deadLetters(c: RequestContext): Promise<Reply> {
  const limit = Math.min(Math.max(Number(c.url.searchParams.get('limit') ?? 100) || 100, 1), 1000);
  const jobs = await c.engine.queue.list({ state: 'dead', limit });
  return { body: forCaller(c, jobs.map(deadLetterJson)) };
}

export async function deadLetter(c: RequestContext): Promise<Reply> {
  const job = await c.engine.queue.get(c.params.id as string);
  if (!job) throw new HttpError(404, `no job ${c.params.id}`);
  return { body: forCaller(c, deadLetterJson(job)) };
}

export async function replay(c: RequestContext): Promise<Reply> {
  const body = await c.json();
  const id = c.params.id as string;
  await replayDeadLetter(c.engine, id, { actor: actor(c), ...(body.payload !== undefined && { payload: body.payload }) });
  return { body: { ok: true, id } };
}

export async function discard(c: RequestContext): Promise<Reply> {
  const body = await c.json();
  const id = c.params.id as string;
  await discardDeadLetter(c.engine, id, { actor: actor(c), ...(typeof body.reason === 'string' && { reason: body.reason }) });
  return { body: { ok: true, id } };
}

export async function trace(c: RequestContext): Promise<Reply> {
  const t = await traceOrder(c.engine, c.params.ref as string);
  if (!t.order) throw new HttpError(404, `no order "${c.params.ref}" (give the shop's order id or number, or the ERP's id)`);
  return { body: forCaller(c, t as unknown as Json) };
}

export async function sync(c: RequestContext): Promise<Reply> {
  const body = await c.json();
  const jobId = await triggerSync(c.engine, parseEntity(body.entity), actor(c));
  return { status: 202, body: { ok: true, jobId } };
}

export async function reconcileRun(c: RequestContext): Promise<Reply> {
  const body = await c.json();
  if (body.entities !== undefined && !Array.isArray(body.entities)) throw new HttpError(400, '"entities" must be a list of entity names');
  const entities = Array.isArray(body.entities) ? body.entities.map((e) => parseEntity(e)) : undefined;
  const run = await startReconcile(c.engine, { ...(entities && { entities: entities as EntityType[] }), fix: body.fix === true, actor: actor(c) });
  c.background(run.done);
  return { status: 202, body: { ok: true, runId: run.runId } };
}

/** GET /api/audit?since=&until=&actor=&action=&all=1&limit= — people's actions (all=1: the engine's too). */
export async function audit(c: RequestContext): Promise<Reply> {
  const q = c.url.searchParams;
  const now = c.engine.now().getTime();
  const since = q.get('since');
  const until = q.get('until');
  const events = await c.engine.store.audit.query({
    ...(since && { since: parseTime(since, now, 'since') }),
    ...(until && { until: parseTime(until, now, 'until') }),
    ...(q.get('actor') && { actor: q.get('actor')! }),
    ...(q.get('action') && { action: q.get('action')! }),
    byActor: q.get('all') !== '1',
    limit: Math.min(Math.max(Number(q.get('limit') ?? 500) || 500, 1), 5000),
  });
  return { body: forCaller(c, events.map((e) => ({ id: e.id, at: iso(e.at), actor: e.actor, action: e.action, entity: e.entity, shopId: e.shopId, erpId: e.erpId, orderNumber: e.orderNumber, jobId: e.jobId, detail: e.detail }))) };
}
