/**
 * Keeps the shop's webhooks pointing at Tandem (where the shop supports registering them): creates missing
 * ones, re-enables those the shop disabled after failed deliveries, and — because events were missed
 * meanwhile — enqueues a poll of every flow the shop feeds (polling is the safety net). `tandem serve`
 * runs it every `server.webhookCheck` (default 1m).
 *
 * The alert goes out only for a real loss: webhooks the shop disabled, or deleted after this process
 * had seen them in place. The first start, which only registers them, is not one. While the webhooks
 * are down (a loss was found, or the check itself failed) every check also polls the orders, so an order
 * waits at most one interval.
 */
import type { Engine } from './context.js';
import { flowJob } from './jobs/kinds.js';
import { scheduleKey } from '../queue/index.js';
import { alertWebhooksRepaired } from './watch-health.js';
import type { EntityType } from '../model/index.js';

export function webhookUrl(engine: Engine): string | undefined {
  const s = engine.config.systems[engine.names.shop] as { webhookUrl?: string } | undefined;
  if (s?.webhookUrl) return s.webhookUrl;
  const base = engine.config.server.publicUrl;
  return base ? `${base.replace(/\/$/, '')}/webhooks/${engine.names.shop}` : undefined;
}

interface WatchState {
  /** This process has seen the webhooks in place once. */
  established: boolean;
  /** The last check found a loss or could not check. */
  down: boolean;
}

const watches = new WeakMap<Engine, WatchState>();

export interface WebhookCheck {
  checked: boolean;
  catchUp: boolean;
  /** A real loss (alerted). */
  lost: boolean;
  /** Orders were polled because the webhooks were down. */
  polledOrders: boolean;
}

async function poll(engine: Engine, entities: EntityType[]): Promise<void> {
  for (const entity of entities) await engine.queue.enqueue({ ...flowJob(engine, entity), key: scheduleKey(`flow:${entity}`), dedupe: true });
}

function shopFedFlows(engine: Engine): EntityType[] {
  return engine.config.flows.filter((x) => x.enabled && x.direction !== 'erp->shop').map((f) => f.entity);
}

export async function maintainWebhooks(engine: Engine): Promise<WebhookCheck> {
  const url = webhookUrl(engine);
  if (!engine.shop.webhooks || !url) return { checked: false, catchUp: false, lost: false, polledOrders: false };
  const w = watches.get(engine) ?? { established: false, down: false };
  watches.set(engine, w);
  const orderFlow = shopFedFlows(engine).includes('order');
  let report: { catchUp: boolean; lost?: boolean };
  try {
    report = await engine.shop.webhooks.ensure(url);
  } catch (e) {
    // Cannot tell whether they work: poll the orders on this interval until a check succeeds.
    w.down = true;
    if (orderFlow) await poll(engine, ['order']);
    throw e;
  }
  const lost = report.lost === true || (w.established && report.catchUp);
  const wasDown = w.down;
  w.established = true;
  w.down = lost;
  if (lost) await alertWebhooksRepaired(engine);
  if (report.catchUp) await poll(engine, shopFedFlows(engine));
  else if (wasDown && orderFlow) await poll(engine, ['order']);
  return { checked: true, catchUp: report.catchUp, lost, polledOrders: orderFlow && (report.catchUp || wasDown) };
}
