/**
 * The chaos suite's shop webhooks, delivered by the runner itself so that every decision comes from the
 * seeded PRNG: a delivery may be dropped, duplicated, delayed (which reorders it) or replayed much later
 * (a captured signed body sent again); a serve process that is down is retried for about 6 s (a shop
 * retries), then the delivery is lost (the order poll is the safety net).
 */
import { signWebhook } from '../../src/connectors/rest-shop/webhook.js';

export interface WebhookChaos {
  drop: number;
  duplicate: number;
  delayMaxMs: number;
  replay: number;
}

export interface Deliverer {
  send(event: string, data: object): void;
  /** Re-sends captured bodies (the replays chosen by the PRNG), with fresh signatures as an attacker could not. */
  replayCaptured(): void;
  flush(): Promise<void>;
  counts: { sent: number; dropped: number; duplicated: number; replayed: number; failed: number };
  /** Why the failed deliveries failed (last attempt). */
  failures: string[];
}

export function createDeliverer(random: () => number, chaos: WebhookChaos, targets: () => string[], secret: string): Deliverer {
  const pending = new Set<Promise<void>>();
  const captured: string[] = [];
  const counts = { sent: 0, dropped: 0, duplicated: 0, replayed: 0, failed: 0 };
  const failures: string[] = [];
  let turn = 0;

  const post = async (body: string): Promise<void> => {
    let lastFailure = '';
    for (let attempt = 0; attempt < 12; attempt++) {
      const list = targets();
      const url = list[turn++ % list.length];
      if (url) {
        try {
          const ts = Math.floor(Date.now() / 1000);
          const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tandem-timestamp': String(ts), 'x-tandem-delivery': `chaos-${counts.sent}`, 'x-tandem-signature': signWebhook(secret, ts, body) }, body, signal: AbortSignal.timeout(5000) });
          await res.arrayBuffer();
          if (res.status < 500) return;
          lastFailure = `HTTP ${res.status}`;
        } catch (e) {
          lastFailure = (e as Error).message; // the process is down: try again
        }
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    counts.failed += 1;
    failures.push(lastFailure);
  };
  const later = (ms: number, fn: () => Promise<void>) => {
    const p = new Promise<void>((r) => setTimeout(r, ms)).then(fn).finally(() => pending.delete(p));
    pending.add(p);
  };

  return {
    counts,
    failures,
    send(event, data) {
      const body = JSON.stringify({ event, data, occurred_at: new Date().toISOString() });
      counts.sent += 1;
      const r = random();
      if (r < chaos.drop) {
        counts.dropped += 1;
        return;
      }
      const delay = Math.floor(random() * chaos.delayMaxMs);
      later(delay, () => post(body));
      if (random() < chaos.duplicate) {
        counts.duplicated += 1;
        later(delay + Math.floor(random() * chaos.delayMaxMs), () => post(body));
      }
      if (random() < chaos.replay) captured.push(body);
    },
    replayCaptured() {
      for (const body of captured.splice(0)) {
        counts.replayed += 1;
        later(0, () => post(body));
      }
    },
    async flush() {
      while (pending.size) await Promise.all([...pending]);
    },
  };
}
