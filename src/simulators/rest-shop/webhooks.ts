/**
 * Outgoing webhooks, as a shop sends them: after the response, signed with HMAC-SHA256 over
 * "<timestamp>.<raw body>", a unique delivery id (kept on retries and duplicates). Fault knobs drop or
 * duplicate deliveries; a failed delivery (network error or non-2xx) is retried twice.
 */
import { createHmac, randomInt, randomUUID } from 'node:crypto';

export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface DeliveryRecord {
  deliveryId: string;
  event: string;
  id: string;
  /** HTTP status of each attempt (0 = network error); empty when dropped. */
  attempts: number[];
  dropped: boolean;
  duplicated: boolean;
}

export interface WebhookFaults {
  dropWebhookRate: number;
  duplicateWebhookRate: number;
}

export function chance(rate: number): boolean {
  return rate > 0 && (rate >= 1 || randomInt(1_000_000) < rate * 1_000_000);
}

export class WebhookSender {
  target: WebhookTarget | null;
  readonly deliveries: DeliveryRecord[] = [];
  private readonly pending = new Set<Promise<void>>();

  constructor(
    target: WebhookTarget | null,
    private readonly faults: WebhookFaults,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    this.target = target;
  }

  /** Queues a delivery of `event` (e.g. "order.created") about `data` (the resource JSON). */
  emit(event: string, data: object): void {
    const target = this.target;
    if (!target) return;
    const body = JSON.stringify({ event, data, occurred_at: new Date().toISOString() });
    const record: DeliveryRecord = { deliveryId: randomUUID(), event, id: String((data as { id?: unknown }).id), attempts: [], dropped: false, duplicated: false };
    this.deliveries.push(record);
    if (chance(this.faults.dropWebhookRate)) {
      record.dropped = true;
      return;
    }
    record.duplicated = chance(this.faults.duplicateWebhookRate);
    const p = new Promise<void>((resolve) => setImmediate(resolve))
      .then(async () => {
        await this.deliver(target, record, body);
        if (record.duplicated) await this.deliver(target, record, body);
      })
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  private async deliver(target: WebhookTarget, record: DeliveryRecord, body: string): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const ts = String(this.nowSeconds());
      const signature = `sha256=${createHmac('sha256', target.secret).update(`${ts}.${body}`).digest('hex')}`;
      let status = 0;
      try {
        const res = await fetch(target.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-tandem-timestamp': ts, 'x-tandem-delivery': record.deliveryId, 'x-tandem-signature': signature, 'user-agent': 'RestShopSimulator/1.0' },
          body,
          signal: AbortSignal.timeout(5000),
        });
        status = res.status;
        await res.arrayBuffer();
      } catch {
        status = 0;
      }
      record.attempts.push(status);
      if (status >= 200 && status < 300) return;
      await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
    }
  }

  /** Resolves when every queued delivery has finished (tests, demo). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
