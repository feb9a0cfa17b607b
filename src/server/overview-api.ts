/**
 * GET /api/overview — the console's first page in one answer: each system's health (last successful run,
 * failed runs and rate-limited jobs in 24 h, last webhook received), webhook flows, queue depth by kind,
 * sync lag per flow, orders today, and hourly series over the last 24 h. Read from the store, except the
 * webhook registrations: a read-only look at the shop (GET only; bounded by REGISTRATIONS_TIMEOUT_MS).
 * POST /api/webhooks/repair — registers missing shop webhooks and re-enables disabled ones (operator).
 */
import type { Json } from '../connectors/contract.js';
import type { Engine } from '../engine/context.js';
import { maintainWebhooks, webhookUrl } from '../engine/maintain-webhooks.js';
import { webhookState } from '../engine/webhook-state.js';
import { fromJsonText } from '../store/columns.js';
import { actorOf } from './auth/principal.js';
import type { Reply, RequestContext } from './route-table.js';

const HOUR = 3_600_000;
export const REGISTRATIONS_TIMEOUT_MS = 5_000;
const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : null);

/** Percentile (0–100) of sorted numbers; null for none. */
export function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
}

async function queueByKind(engine: Engine): Promise<Json> {
  const rows = await engine.store.db.selectFrom('jobs').select(['kind', 'state', (eb) => eb.fn.countAll<number>().as('n')]).where('state', 'in', ['queued', 'running', 'dead']).groupBy(['kind', 'state']).execute();
  const out: Record<string, Record<string, number>> = {};
  for (const r of rows) (out[r.kind] ??= { queued: 0, running: 0, dead: 0 })[r.state] = Number(r.n);
  return out;
}

async function hourly(engine: Engine, now: number) {
  const from = now - 24 * HOUR;
  const db = engine.store.db;
  const [orders, runs, dead] = await Promise.all([
    db.selectFrom('orders').select(['ordered_at', 'imported_at']).where('ordered_at', '>=', from).execute(),
    db.selectFrom('runs').select(['flow', 'status', 'started_at', 'finished_at', 'counts']).where('started_at', '>=', from).execute(),
    db.selectFrom('jobs').select(['updated_at']).where('state', '=', 'dead').where('updated_at', '>=', from).execute(),
  ]);
  const bucket = (at: number) => Math.min(23, Math.floor((at - from) / HOUR));
  const series = Array.from({ length: 24 }, (_, i) => ({ hour: iso(from + i * HOUR), orders: 0, records: 0, failures: 0 }));
  const latencies: number[] = [];
  for (const o of orders) {
    series[bucket(o.ordered_at)]!.orders++;
    if (o.imported_at) latencies.push(o.imported_at - o.ordered_at);
  }
  for (const r of runs) {
    const counts = fromJsonText<Record<string, number>>(r.counts) ?? {};
    series[bucket(r.started_at)]!.records += (counts.created ?? 0) + (counts.updated ?? 0);
    if (r.status === 'failed') series[bucket(r.started_at)]!.failures++;
  }
  for (const d of dead) series[bucket(d.updated_at)]!.failures++;
  latencies.sort((a, b) => a - b);
  return { series, runs, latency: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), orders: latencies.length } };
}

/** Runs are named `<entity>:<direction>` (or `<entity>`): the latest time per entity. */
export function byEntity(rows: Array<{ flow: string; at: unknown }>): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) {
    const entity = r.flow.split(':')[0]!;
    out.set(entity, Math.max(out.get(entity) ?? 0, Number(r.at)));
  }
  return out;
}

/**
 * Each webhook Tandem expects on the shop and its state there; null when the shop has no such check or
 * no webhook URL is configured. A failure or timeout is reported as `error`, never fails the page.
 */
export async function registrations(engine: Engine): Promise<Json> {
  const url = webhookUrl(engine);
  const hooks = engine.shop.webhooks;
  if (!url || !hooks?.status) return null;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the shop did not answer within ${REGISTRATIONS_TIMEOUT_MS / 1000} s`)), REGISTRATIONS_TIMEOUT_MS);
  });
  try {
    return { items: (await Promise.race([hooks.status(url), timeout])) as unknown as Json, error: null };
  } catch (e) {
    return { items: [], error: `could not read the shop's webhooks: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    clearTimeout(timer);
  }
}

export async function overview(c: RequestContext): Promise<Reply> {
  const { engine } = c;
  const now = engine.now().getTime();
  const db = engine.store.db;
  const dayStart = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  const [queue, h, lastOk, today, recentErrors, lastWebhook, regs] = await Promise.all([
    queueByKind(engine),
    hourly(engine, now),
    db.selectFrom('runs').select(['flow', (eb) => eb.fn.max('finished_at').as('at')]).where('status', '=', 'ok').groupBy('flow').execute(),
    db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).where('ordered_at', '>=', dayStart).executeTakeFirst(),
    db.selectFrom('jobs').select(['state', 'last_error', 'updated_at']).where('state', 'in', ['queued', 'dead']).where('last_error', 'is not', null).where('updated_at', '>=', now - 24 * HOUR).limit(5000).execute(),
    db.selectFrom('inbox').select(['entity', (eb) => eb.fn.max('received_at').as('at')]).groupBy('entity').execute(),
    registrations(engine),
  ]);
  const okAt = byEntity(lastOk);
  const runs24 = h.runs.length;
  const lastSuccess = Math.max(0, ...okAt.values());
  // errors are the remote's own (SyncError.system): each system's failed and retrying jobs of the last 24 h
  const errors = recentErrors.map((j) => ({ state: j.state, ...fromJsonText<{ kind?: string; system?: string }>(j.last_error) }));
  const systems = (['shop', 'erp'] as const).map((side) => {
    const type = (engine.config.systems[engine.names[side]] as { type?: string } | undefined)?.type ?? side;
    const mine = errors.filter((e) => e.system === type || e.system === engine.names[side]);
    return {
      side,
      name: engine.names[side],
      type,
      lastSuccess: iso(lastSuccess || null),
      runs24h: runs24,
      failedRuns24h: h.runs.filter((r) => r.status === 'failed').length,
      errors24h: mine.length,
      deadLetters24h: mine.filter((e) => e.state === 'dead').length,
      rateLimitedJobs: mine.filter((e) => e.state === 'queued' && e.kind === 'rate_limited').length,
    };
  });
  const flows = engine.config.flows.map((f) => {
    const at = okAt.get(f.entity);
    return { entity: f.entity, direction: f.direction, enabled: f.enabled, webhooks: f.webhooks, webhookState: webhookState(engine, f), lastSuccess: iso(at), lagSeconds: at ? Math.round((now - at) / 1000) : null, lastWebhook: iso(lastWebhook.find((w) => w.entity === f.entity)?.at as number | undefined) };
  });
  return {
    body: {
      now: iso(now),
      systems,
      webhooks: { url: webhookUrl(engine) ?? null, managed: !!engine.shop.webhooks, registrations: regs },
      queue,
      flows,
      ordersToday: Number(today?.n ?? 0),
      series: h.series,
      latency: h.latency,
    } as Json,
  };
}

export async function repairWebhooks(c: RequestContext): Promise<Reply> {
  const r = await maintainWebhooks(c.engine);
  await c.engine.store.audit.record({ entity: 'webhook', action: 'webhook:repair', actor: actorOf(c.principal!), detail: { ...r } });
  const message = !r.checked ? 'this shop has no webhooks Tandem can register (or server.publicUrl is not set): polling keeps it in sync' : r.catchUp ? 'webhooks repaired; a poll of every shop flow is queued to catch up on missed events' : 'every webhook is registered and active';
  return { body: { ok: true, ...r, message } };
}
