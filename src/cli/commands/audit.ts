/**
 * `tandem audit`: who did what and when — replays, payload edits, discards, fixes, manual syncs, logins,
 * users and tokens (with --all also the engine's own steps).
 */
import type { Command } from 'commander';
import { act, type CliContext, type Session } from '../context.js';
import { parseTime } from '../../server/parse-time.js';
import { withStore } from '../with-store.js';
import { table } from '../engine.js';
import { UsageError } from '../../shared/errors.js';

export interface AuditOptions {
  since?: string;
  until?: string;
  actor?: string;
  action?: string;
  all?: boolean;
  limit?: string;
  json?: boolean;
}

export function register(program: Command, session: Session): void {
  program
    .command('audit')
    .description('who did what and when: replays, edits, discards, fixes, manual syncs, logins, users, tokens')
    .option('--since <when>', 'from this time: a duration back ("2d", "12h") or a date/time (2025-01-31, 2025-01-31T08:00:00Z)')
    .option('--until <when>', 'up to this time (same forms)')
    .option('--actor <actor>', 'only this actor, e.g. user:alice, token:prometheus, cli:root, anonymous')
    .option('--action <action>', 'only this action (dlq:replay) or family (dlq, login, user, token, sync, reconcile)')
    .option('--all', 'also the engine\'s own events (order steps, writes)')
    .option('--limit <n>', 'the latest n events', '200')
    .option('--json', 'print as JSON, with the details (payloads before/after)')
    .action(act(session, (opts: AuditOptions, ctx) => action(opts, ctx)));
}

const brief = (detail: unknown): string => {
  if (!detail || typeof detail !== 'object') return detail === null || detail === undefined ? '' : String(detail);
  const { before: _b, after: _a, ...rest } = detail as Record<string, unknown>;
  const text = Object.entries(rest).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
  const edited = 'after' in (detail as object) ? ' (payload edited: --json shows before/after)' : '';
  return (text.length > 120 ? `${text.slice(0, 117)}…` : text) + edited;
};

export async function action(opts: AuditOptions, ctx: CliContext): Promise<number> {
  const now = Date.now();
  const limit = Number(opts.limit ?? 200);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a positive whole number, got "${opts.limit}"`);
  const events = await withStore(ctx, (store) =>
    store.audit.query({
      ...(opts.since && { since: parseTime(opts.since, now, '--since') }),
      ...(opts.until && { until: parseTime(opts.until, now, '--until') }),
      ...(opts.actor && { actor: opts.actor }),
      ...(opts.action && { action: opts.action }),
      byActor: !opts.all,
      limit,
    }),
  );
  if (ctx.json) ctx.out(JSON.stringify(events.map((e) => ({ ...e, at: new Date(e.at).toISOString() })), null, 2));
  else if (events.length === 0) ctx.out('no audit events match');
  else ctx.out(table(['when', 'actor', 'action', 'record', 'detail'], events.map((e) => [new Date(e.at).toISOString(), e.actor ?? '(engine)', e.action, [e.entity, e.shopId ?? e.erpId ?? e.orderNumber ?? e.jobId ?? ''].filter(Boolean).join(' '), brief(e.detail)])));
  return 0;
}
