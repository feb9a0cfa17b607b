/**
 * Verifies a webhook from the shop: `X-Tandem-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw
 * body>")>`, `X-Tandem-Timestamp` (unix seconds, at most 5 minutes from the receiving clock either way),
 * `X-Tandem-Delivery` (unique per delivery; retries and duplicates reuse it). The clock is the request's
 * `receivedAt`. Never throws: every bad request is a verdict with a status and a reason.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ENTITY_TYPES, type EntityType } from '../../model/entities.js';
import type { Logger } from '../../shared/log.js';
import { MAX_WEBHOOK_BODY_BYTES, type RawRequest, type WebhookEvent, type WebhookVerdict } from '../contract.js';
import { toUtcIso } from './keyset.js';
import { idStr, obj } from './wire-values.js';

export const WEBHOOK_TOLERANCE_SECONDS = 300;
export const SIGNATURE_HEADER = 'x-tandem-signature';
export const TIMESTAMP_HEADER = 'x-tandem-timestamp';
export const DELIVERY_HEADER = 'x-tandem-delivery';

/** The signature header value a shop sends for this timestamp and raw body. */
export function signWebhook(secret: string, timestamp: number | string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

const ACTIONS: Record<string, WebhookEvent['action']> = { created: 'created', updated: 'updated', deleted: 'deleted' };

function reject(status: 400 | 401 | 413, reason: string): WebhookVerdict {
  return { ok: false, status, reason };
}

function signatureMatches(secret: string, timestamp: string, body: Buffer, header: string): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function verifyRestShopWebhook(req: RawRequest, secret: string | undefined, toleranceSeconds = WEBHOOK_TOLERANCE_SECONDS): WebhookVerdict {
  if (req.body.length > MAX_WEBHOOK_BODY_BYTES) return reject(413, `body of ${req.body.length} bytes is over the ${MAX_WEBHOOK_BODY_BYTES}-byte limit`);
  if (!secret) return reject(401, 'no webhookSecret is configured for this shop, so no delivery can be verified');
  const signature = req.headers[SIGNATURE_HEADER];
  const timestamp = req.headers[TIMESTAMP_HEADER];
  if (!signature) return reject(401, `missing ${SIGNATURE_HEADER} header`);
  if (!timestamp || !/^\d{1,12}$/.test(timestamp.trim())) return reject(401, `missing or non-numeric ${TIMESTAMP_HEADER} header`);
  const skew = Math.abs(req.receivedAt.getTime() / 1000 - Number(timestamp));
  if (skew > toleranceSeconds) return reject(401, `stale timestamp: ${Math.round(skew)} s from this server's clock (limit ${toleranceSeconds} s); replayed delivery or clock drift`);
  if (!signatureMatches(secret, timestamp.trim(), req.body, signature)) return reject(401, 'signature does not match (wrong secret, or the body was changed on the way)');
  const deliveryId = req.headers[DELIVERY_HEADER]?.trim();
  if (!deliveryId) return reject(400, `missing ${DELIVERY_HEADER} header`);
  let body: unknown;
  try {
    body = JSON.parse(req.body.toString('utf8'));
  } catch (e) {
    return reject(400, `malformed JSON: ${(e as Error).message}`);
  }
  const b = obj(body);
  const data = obj(b.data);
  if (typeof b.event !== 'string' || !/^[a-z_]+\.[a-z_]+$/.test(b.event)) return reject(400, 'body has no "event" like "order.created"');
  const id = idStr(data.id);
  if (id === undefined) return reject(400, 'body has no data.id');
  const [entityName, actionName] = b.event.split('.') as [string, string];
  const action = ACTIONS[actionName] ?? 'updated';
  if (!(ENTITY_TYPES as readonly string[]).includes(entityName)) {
    // Signed and well-formed, but about something Tandem does not sync: acknowledge, enqueue nothing.
    return { ok: true, events: [] };
  }
  const entity = entityName as EntityType;
  const stockKey = entity === 'stock' && typeof data.sku === 'string' ? `${data.sku}@${typeof data.location === 'string' ? data.location : 'default'}` : undefined;
  return {
    ok: true,
    events: [
      {
        deliveryId,
        entity,
        id: stockKey ?? id,
        action,
        occurredAt: toUtcIso(b.occurred_at) ?? toUtcIso(data.updated_at),
        payload: data,
      },
    ],
  };
}

/** The connector's verifier: `verifyRestShopWebhook` with the system's secret, the rejected delivery's id and a log line. */
export function verifyRestShopDelivery(settings: { webhookSecret?: string | undefined }, req: RawRequest, log?: Logger): WebhookVerdict {
  const verdict = verifyRestShopWebhook(req, settings.webhookSecret);
  const delivery = req.headers[DELIVERY_HEADER];
  if (!verdict.ok) {
    log?.warn({ status: verdict.status, reason: verdict.reason, delivery, bytes: req.body.length }, 'webhook rejected');
    return delivery ? { ...verdict, deliveryId: delivery } : verdict;
  }
  if (verdict.events.length === 0) log?.info({ delivery }, 'webhook acknowledged: event Tandem does not sync');
  return verdict;
}
