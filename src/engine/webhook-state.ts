/**
 * What "webhooks" means for a flow right now, for people (serve's start, /api/status, the dashboard):
 * 'polling only, every 5m' when the flow takes no webhooks, or when Tandem would register them with the shop
 * but has no URL to give (neither server.publicUrl nor the shop's webhookUrl); the ERP's flows are polled.
 */
import type { FlowConfig } from '../config/schema.js';
import type { Engine } from './context.js';
import { webhookUrl } from './maintain-webhooks.js';

export type WebhookState = 'on' | 'off' | `polling only, every ${string}`;

export function webhookState(engine: Engine, flow: Pick<FlowConfig, 'webhooks' | 'direction' | 'schedule'>): WebhookState {
  if (flow.direction === 'erp->shop') return 'off'; // the ERP sends no webhooks: polled on the schedule
  if (!flow.webhooks) return `polling only, every ${flow.schedule}`;
  return registrable(engine) ? `polling only, every ${flow.schedule}` : 'on';
}

/** Tandem registers the shop's webhooks itself but has no URL to give it. (A shop without a registration
 * API, like the REST shop, is set up by its admin to send them: Tandem cannot tell, so it says 'on'.) */
function registrable(engine: Engine): boolean {
  return Boolean(engine.shop.webhooks) && !webhookUrl(engine);
}

/** The start warning of `tandem serve` when shop-fed flows want webhooks but none can be registered. */
export function pollingOnlyWarning(engine: Engine): string | undefined {
  if (!registrable(engine)) return undefined;
  const flows = engine.config.flows.filter((f) => f.enabled && f.webhooks && f.direction !== 'erp->shop');
  if (flows.length === 0) return undefined;
  const list = flows.map((f) => `${f.entity} every ${f.schedule}`).join(', ');
  return `server.publicUrl is not set, so the shop's webhooks are not registered: polling only (${list}). Set server.publicUrl to the URL the shop can reach (e.g. https://tandem.example.com) for changes within seconds`;
}
