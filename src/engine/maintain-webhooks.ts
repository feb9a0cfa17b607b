/**
 * Keeps the shop's webhooks pointing at Tandem (where the shop supports registering them): creates missing
 * ones, re-enables those the shop disabled after failed deliveries, and — because events were missed
 * meanwhile — enqueues a poll of every flow the shop feeds (polling is the safety net).
 */
import type { Engine } from './context.js';
import { flowJob } from './jobs/kinds.js';
import { scheduleKey } from '../queue/index.js';
import { alertWebhooksRepaired } from './watch-health.js';

export function webhookUrl(engine: Engine): string | undefined {
  const s = engine.config.systems[engine.names.shop] as { webhookUrl?: string } | undefined;
  if (s?.webhookUrl) return s.webhookUrl;
  const base = engine.config.server.publicUrl;
  return base ? `${base.replace(/\/$/, '')}/webhooks/${engine.names.shop}` : undefined;
}

export async function maintainWebhooks(engine: Engine): Promise<{ checked: boolean; catchUp: boolean }> {
  const url = webhookUrl(engine);
  if (!engine.shop.webhooks || !url) return { checked: false, catchUp: false };
  const { catchUp } = await engine.shop.webhooks.ensure(url);
  if (catchUp) {
    await alertWebhooksRepaired(engine);
    for (const f of engine.config.flows.filter((x) => x.enabled && x.direction !== 'erp->shop')) {
      await engine.queue.enqueue({ ...flowJob(engine, f.entity), key: scheduleKey(`flow:${f.entity}`), dedupe: true });
    }
  }
  return { checked: true, catchUp };
}
