/**
 * One pass of the retention purge (scheduled by `tandem serve`, hourly): personal fields older than
 * retention.personalData are redacted (store/purge-personal-data.ts), ended sessions and old failed-login
 * counts are deleted, and webhook deliveries older than server.webhooks.dedupeWindow leave the inbox. One process at a time (a lease), so several serve processes share the work.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { parseInterval } from '../config/duration.js';
import type { Engine } from '../engine/context.js';
import { redactPersonal } from '../shared/redact-personal.js';
import { purgePersonalData, type PurgeCounts } from '../store/index.js';
import { sessionLimits } from './auth/authenticate.js';

const LEASE = 'retention.purge';
const LEASE_MS = 30 * 60_000;
const DAY_MS = 86_400_000;

/** The counts of redacted rows, or null when another process is purging. */
export async function runRetention(engine: Engine): Promise<PurgeCounts | null> {
  const owner = `${hostname()}/${process.pid}:${randomUUID().slice(0, 8)}`;
  if (!(await engine.store.locks.tryAcquire(LEASE, owner, LEASE_MS))) return null;
  try {
    const now = engine.now().getTime();
    const keep = parseInterval(engine.config.retention.personalData) ?? 30 * DAY_MS;
    const counts = await purgePersonalData(engine.store.db, now - keep, redactPersonal);
    const { idleMs, maxAgeMs } = sessionLimits(engine);
    await engine.store.sessions.deleteExpired(now - idleMs, now - maxAgeMs);
    const dedupeMs = parseInterval(engine.config.server.webhooks.dedupeWindow) ?? 7 * DAY_MS;
    const deliveries = await engine.store.inbox.purgeBefore(now - dedupeMs);
    if (deliveries > 0) engine.log.info({ deliveries, olderThan: engine.config.server.webhooks.dedupeWindow }, 'retention: webhook deliveries past the de-dup window deleted');
    await engine.store.loginFailures.prune(now - Math.max(DAY_MS, 2 * (parseInterval(engine.config.server.login.window) ?? 0)));
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    if (total > 0) engine.log.info({ redacted: counts, olderThan: engine.config.retention.personalData }, 'retention: personal data redacted');
    return counts;
  } finally {
    await engine.store.locks.release(LEASE, owner);
  }
}
