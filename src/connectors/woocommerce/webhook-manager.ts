/**
 * Tandem registers and repairs its own WooCommerce webhooks. WooCommerce silently disables a webhook
 * after repeated failed deliveries; `ensure` re-activates it and reports it in `disabled`, so the caller
 * catches up by polling (`modified_after`) what was missed meanwhile.
 */
import { SyncError } from '../../shared/errors.js';
import type { WebhookRegistration } from '../contract-webhooks.js';
import type { WooContext } from './context.js';
import { SYSTEM } from './errors.js';
import type { WooWebhook } from './wire.js';
import { idSeg } from './path.js';

export const TANDEM_PREFIX = 'Tandem: ';
export const DEFAULT_TOPICS = ['order.created', 'order.updated', 'order.deleted', 'product.created', 'product.updated', 'product.deleted', 'customer.created', 'customer.updated'];

export interface WooWebhookInfo {
  id: string;
  name: string;
  topic: string;
  status: 'active' | 'paused' | 'disabled';
  deliveryUrl: string;
  tandem: boolean;
}

export interface EnsureReport {
  created: WooWebhookInfo[];
  /** Found disabled (or paused / pointing elsewhere) and re-activated. */
  reactivated: WooWebhookInfo[];
  /** Were disabled by WooCommerce: events may have been lost — poll to catch up. */
  disabled: WooWebhookInfo[];
  ok: WooWebhookInfo[];
  /** True when the caller must run a catch-up poll (some webhook was disabled or missing). */
  catchUp: boolean;
  /** Webhooks of Tandem's were disabled, or some were deleted while others remain: events were missed. */
  lost: boolean;
}

export interface WooWebhookManager {
  ensure(deliveryUrl: string, topics?: string[]): Promise<EnsureReport>;
  /** Every webhook on the shop (Tandem's and others'), read-only. */
  list(): Promise<WooWebhookInfo[]>;
  /** Read-only: each expected registration (topic) with its state, the one `ensure` would keep. */
  status(deliveryUrl: string, topics?: string[]): Promise<WebhookRegistration[]>;
}

function info(w: WooWebhook): WooWebhookInfo {
  return { id: String(w.id), name: w.name, topic: w.topic, status: w.status, deliveryUrl: w.delivery_url, tandem: w.name.startsWith(TANDEM_PREFIX) };
}

export function createWebhookManager(ctx: WooContext): WooWebhookManager {
  async function list(): Promise<WooWebhook[]> {
    const out: WooWebhook[] = [];
    for await (const page of ctx.transport.pages<WooWebhook>('webhooks', { status: 'all' }, { entity: 'webhook' })) out.push(...page.items);
    return out;
  }
  /** The webhook `ensure` keeps for a topic: ours, to this URL if there is one. */
  const pick = (mine: WooWebhook[], topic: string, url: string) => {
    const forTopic = mine.filter((w) => w.topic === topic);
    return forTopic.find((w) => w.delivery_url === url) ?? forTopic[0];
  };
  return {
    async list() {
      return (await list()).map(info);
    },
    async status(deliveryUrl: string, topics: string[] = DEFAULT_TOPICS): Promise<WebhookRegistration[]> {
      const mine = (await list()).filter((w) => w.name.startsWith(TANDEM_PREFIX));
      return topics.map((topic) => {
        const w = pick(mine, topic, deliveryUrl);
        if (!w) return { topic, deliveryUrl, state: 'missing', remoteId: null, pointsHere: false };
        return { topic, deliveryUrl: w.delivery_url, state: w.status, remoteId: String(w.id), pointsHere: w.delivery_url === deliveryUrl };
      });
    },
    async ensure(deliveryUrl: string, topics: string[] = DEFAULT_TOPICS): Promise<EnsureReport> {
      const secret = ctx.settings.webhookSecret;
      if (!secret) throw new SyncError('config', 'webhookSecret is not set: Tandem cannot register signed WooCommerce webhooks', { system: SYSTEM, hint: 'set webhookSecret: ${WOO_WEBHOOK_SECRET} in tandem.yaml' });
      const report: EnsureReport = { created: [], reactivated: [], disabled: [], ok: [], catchUp: false, lost: false };
      const mine = (await list()).filter((w) => w.name.startsWith(TANDEM_PREFIX));
      for (const topic of topics) {
        const exact = pick(mine, topic, deliveryUrl);
        if (!exact) {
          const res = await ctx.transport.request<WooWebhook>('POST', 'webhooks', { body: { name: `${TANDEM_PREFIX}${topic}`, topic, delivery_url: deliveryUrl, secret, status: 'active' }, entity: 'webhook' });
          report.created.push(info(res.data));
          continue;
        }
        if (exact.status === 'active' && exact.delivery_url === deliveryUrl) {
          report.ok.push(info(exact));
          continue;
        }
        if (exact.status === 'disabled') report.disabled.push(info(exact));
        // Repair: active again, our URL, our secret (the API never returns the secret, so set it again).
        const res = await ctx.transport.request<WooWebhook>('PUT', `webhooks/${idSeg(exact.id)}`, { body: { status: 'active', delivery_url: deliveryUrl, secret }, entity: 'webhook', record: String(exact.id) });
        report.reactivated.push(info(res.data));
      }
      report.catchUp = report.disabled.length > 0 || report.created.length > 0;
      // None of ours at all is a first registration (or all deleted: the engine knows whether it saw them before).
      report.lost = report.disabled.length > 0 || (report.created.length > 0 && mine.length > 0);
      if (report.disabled.length > 0) ctx.log.warn({ webhooks: report.disabled.map((w) => `${w.id}:${w.topic}`) }, 'WooCommerce had disabled Tandem webhooks after failed deliveries; re-enabled, poll to catch up');
      return report;
    },
  };
}
