/**
 * Runs in words (GET /api/runs: "12 products updated, 1 failed"), recent problems (jobs that failed or
 * wait for a retry, with the remote's message), the alerts sent (latest 20), and the read-only settings page (GET /api/settings): the
 * effective config with every secret redacted (admins only), the flows with schedule, direction and next run.
 */
import { Cron } from 'croner';
import type { Json } from '../connectors/contract.js';
import { parseSchedule } from '../config/duration.js';
import { webhookState } from '../engine/webhook-state.js';
import { SECRET_FIELDS } from '../shared/log.js';
import { fromJsonText } from '../store/columns.js';
import type { Run } from '../store/run-repo.js';
import { allows } from './auth/roles.js';
import { byEntity } from './overview-api.js';
import type { Reply, RequestContext } from './route-table.js';

const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : null);
const ORDER = ['created', 'updated', 'linked', 'deleted', 'failed', 'skipped', 'unchanged', 'differences', 'fixed'];

const PLURAL: Record<string, string> = { category: 'categories' };
const noun = (entity: string, n: number) => (n === 1 ? entity : (PLURAL[entity] ?? `${entity}s`));

/** "12 products updated, 1 failed (shop → erp)" — a run's counts in words (zeros and reads left out). */
export function runSummary(flow: string, counts: Record<string, number>): string {
  const [entity = flow, direction] = flow.split(':');
  const parts = Object.entries(counts)
    .filter(([k, n]) => typeof n === 'number' && n > 0 && k !== 'read')
    .sort(([a], [b]) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99));
  const where = direction ? ` (${direction.replace('->', ' → ')})` : '';
  if (entity === 'reconcile') return `verification: ${parts.map(([k, n]) => `${n} ${k}`).join(', ') || 'both systems agree'}`;
  if (!parts.length) return `${noun(entity, 2)}: nothing to change${counts.read ? `, ${counts.read} read` : ''}${where}`;
  const [[k0, n0], ...rest] = parts as [[string, number], ...[string, number][]];
  return `${n0} ${noun(entity, n0)} ${k0}${rest.map(([k, n]) => `, ${n} ${k}`).join('')}${where}`;
}

const runJson = (r: Run): Json => ({ id: r.id, flow: r.flow, kind: r.kind, status: r.status, startedAt: iso(r.startedAt), finishedAt: iso(r.finishedAt), seconds: r.finishedAt ? (r.finishedAt - r.startedAt) / 1000 : null, counts: r.counts, summary: runSummary(r.flow, r.counts) });

/** GET /api/runs?flow=&status=&limit= and the recent problems (failed or retrying jobs). */
export async function listRuns(c: RequestContext): Promise<Reply> {
  const p = c.url.searchParams;
  const limit = Math.min(Math.max(Number(p.get('limit') ?? 100) || 100, 1), 1000);
  const runs = await c.engine.store.runs.list({ ...(p.get('flow') && { flow: p.get('flow')! }), ...(p.get('status') && { status: p.get('status')! }), limit });
  const problems = await c.engine.store.db
    .selectFrom('jobs')
    .select(['id', 'kind', 'key', 'state', 'attempts', 'last_error', 'updated_at'])
    .where('last_error', 'is not', null)
    .where('state', 'in', ['queued', 'dead'])
    .orderBy('updated_at', 'desc')
    .limit(50)
    .execute();
  const alerts = await c.engine.store.audit.query({ action: 'alert:sent', limit: 20 });
  return {
    body: {
      runs: runs.map(runJson),
      alerts: alerts.reverse().map((a) => ({ at: iso(a.at), ...(a.detail as { type?: string; subject?: string; channels?: Json }) })) as Json,
      problems: problems.map((j) => {
        const e = fromJsonText<{ kind?: string; message?: string; hint?: string }>(j.last_error) ?? {};
        return { jobId: String(j.id), kind: j.kind, key: j.key, level: j.state === 'dead' ? 'error' : 'warning', what: j.state === 'dead' ? `failed for good after ${j.attempts} attempt(s)` : `retrying (attempt ${j.attempts})`, message: e.message ?? null, hint: e.hint ?? null, at: iso(j.updated_at) };
      }),
    } as Json,
  };
}

/** A copy of the config with every secret-looking field replaced. */
export function redactConfig(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactConfig);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELDS.includes(k) && v !== null && v !== undefined ? '[redacted]' : k === 'url' && typeof v === 'string' ? v.replace(/\/\/[^/@]*@/, '//[redacted]@') : redactConfig(v)]));
  }
  return value;
}

function nextRun(schedule: string, lastStart: number | undefined, now: number): string | null {
  const s = parseSchedule(schedule);
  if (!s) return null;
  if (s.kind === 'interval') return iso(Math.max(now, (lastStart ?? now) + s.ms));
  const cron = new Cron(s.expression, { paused: true, timezone: 'UTC' });
  const next = cron.nextRun();
  cron.stop();
  return next ? next.toISOString() : null;
}

/** GET /api/settings — config (secrets redacted), flows with schedule, direction and next run. */
export async function settings(c: RequestContext): Promise<Reply> {
  const { engine } = c;
  const now = engine.now().getTime();
  const last = await engine.store.db.selectFrom('runs').select(['flow', (eb) => eb.fn.max('started_at').as('at')]).groupBy('flow').execute();
  const lastOf = byEntity(last);
  const flows = engine.config.flows.map((f) => ({ entity: f.entity, direction: f.direction, enabled: f.enabled, schedule: f.schedule, webhooks: f.webhooks, webhookState: webhookState(engine, f), lastRun: iso(lastOf.get(f.entity)), nextRun: f.enabled ? nextRun(f.schedule, lastOf.get(f.entity), now) : null }));
  const admin = !!c.principal && allows(c.principal.role, 'admin');
  return { body: { flows, config: admin ? redactConfig(engine.config) : null } as Json };
}
