/**
 * Webhook delivery like WC_Webhook: body = the REST v3 object (PHP json_encode), signed
 * base64(HMAC-SHA256(secret, body)), all X-WC-Webhook-* headers; 2xx/301/302 count as success; after
 * more than `maxFailures` consecutive failures the webhook is set to 'disabled' (failed_delivery()).
 */
import { createHmac } from 'node:crypto';
import type { WebhookRec, WooState } from './state.js';
import { md5, phpJson } from './php.js';
import { serializeProduct } from './serialize-product.js';
import { serializeOrder } from './serialize-order.js';
import { serializeCustomer } from './serialize-misc.js';

export interface HookEvent {
  topic: string;
  resource: 'product' | 'order' | 'customer';
  id: number;
}

export interface DeliveryLog {
  webhookId: number;
  topic: string;
  resourceId: number;
  /** HTTP status, or 0 when the delivery URL could not be reached. */
  status: number;
  ok: boolean;
}

export const USER_AGENT = 'WooCommerce/7.9.0 Hookshot (WordPress/6.1.9)';

export class WebhookDispatcher {
  readonly log: DeliveryLog[] = [];
  private pending = new Set<Promise<void>>();

  constructor(
    private readonly state: WooState,
    private readonly opts: { base: () => string; mode: () => 'sync' | 'async'; maxFailures: number; timeoutMs: number },
  ) {}

  /** One request's events: a webhook fires at most once per resource per request (is_already_processed). */
  collector(): { fire: (topic: string, resource: HookEvent['resource'], id: number) => void; events: HookEvent[] } {
    const events: HookEvent[] = [];
    const seen = new Set<string>();
    return {
      events,
      fire: (topic, resource, id) => {
        const k = `${topic}:${id}`;
        if (seen.has(k)) return;
        seen.add(k);
        events.push({ topic, resource, id });
      },
    };
  }

  async dispatch(events: HookEvent[]): Promise<void> {
    if (events.length === 0 || this.state.webhooks.size === 0) return;
    const run = async () => {
      for (const e of events) {
        for (const w of [...this.state.webhooks.values()]) {
          if (w.status === 'active' && w.topic === e.topic) await this.deliver(w, e);
        }
      }
    };
    if (this.opts.mode() === 'sync') return run();
    const p = run().finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** Waits for asynchronous deliveries (Action Scheduler in a real shop). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private payload(e: HookEvent): unknown {
    const base = this.opts.base();
    if (e.topic.endsWith('.deleted')) return { id: e.id };
    if (e.resource === 'product') {
      const p = this.state.products.get(e.id);
      return p ? serializeProduct(p, this.state, base, 'view') : { id: e.id };
    }
    if (e.resource === 'order') {
      const o = this.state.orders.get(e.id);
      return o ? serializeOrder(o, this.state, base) : { id: e.id };
    }
    const c = this.state.customers.get(e.id);
    return c ? serializeCustomer(c, base) : { id: e.id };
  }

  private async deliver(w: WebhookRec, e: HookEvent): Promise<void> {
    const body = phpJson(this.payload(e));
    const [resource, event] = w.topic.split('.');
    const headers: Record<string, string> = {
      'User-Agent': USER_AGENT,
      'Content-Type': 'application/json',
      'X-WC-Webhook-Source': `${this.opts.base()}/`,
      'X-WC-Webhook-Topic': w.topic,
      'X-WC-Webhook-Resource': resource ?? '',
      'X-WC-Webhook-Event': event ?? '',
      'X-WC-Webhook-Signature': createHmac('sha256', w.secret).update(body, 'utf8').digest('base64'),
      'X-WC-Webhook-ID': String(w.id),
      'X-WC-Webhook-Delivery-ID': md5(`wc-sim-salt${w.id}${this.state.now()}`),
    };
    const status = await post(w.deliveryUrl, body, headers, this.opts.timeoutMs);
    const ok = status >= 200 && status < 303;
    this.log.push({ webhookId: w.id, topic: w.topic, resourceId: e.id, status, ok });
    if (ok) w.failureCount = 0;
    else if (w.failureCount > this.opts.maxFailures) w.status = 'disabled';
    else w.failureCount += 1;
    w.modified = this.state.now();
  }

  /** deliver_ping(): unsigned form-encoded `webhook_id=N`, no X-WC-* headers; the result is ignored. */
  async ping(w: WebhookRec): Promise<void> {
    const status = await post(w.deliveryUrl, `webhook_id=${w.id}`, { 'User-Agent': USER_AGENT, 'Content-Type': 'application/x-www-form-urlencoded' }, this.opts.timeoutMs);
    if (status === 200) {
      // set_pending_delivery(false) + save(): the webhook's date_modified moves.
      w.pendingDelivery = false;
      w.modified = this.state.now();
    }
  }
}

async function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<number> {
  try {
    const res = await fetch(url, { method: 'POST', body, headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer().catch(() => undefined);
    return res.status;
  } catch {
    return 0;
  }
}
