/**
 * WooCommerce webhook verification: X-WC-Webhook-Signature = base64(HMAC-SHA256(secret, RAW body)),
 * compared in constant time. The unsigned creation ping (form-encoded `webhook_id=N`) is answered 200
 * and enqueues nothing. WooCommerce signs no timestamp, so replays are caught by the inbox's de-dup
 * on the hash of the signed body (server/intake.ts), not by a freshness check.
 *
 * Only the body is signed: the X-WC-Webhook-* headers (topic, delivery id) can be changed on a captured
 * body, so what the body means comes from the body itself (its `_links`, else its shape). A body that is
 * just `{ "id": N }` is what WooCommerce sends for a deleted (or vanished) record: such an event is a
 * deletion of the topic's resource, which the engine answers by re-reading that record's current state.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { EntityType } from '../../model/index.js';
import type { Logger } from '../../shared/log.js';
import type { RawRequest, WebhookEvent, WebhookVerdict } from '../contract.js';
import { MAX_WEBHOOK_BODY_BYTES } from '../contract.js';
import { gmt } from './wire.js';

const RESOURCES: Record<string, EntityType> = { order: 'order', product: 'product', customer: 'customer' };
const ACTIONS: Record<string, WebhookEvent['action']> = { created: 'created', updated: 'updated', deleted: 'deleted', restored: 'updated' };

function reject(log: Logger | undefined, status: 400 | 401 | 413, reason: string, req: RawRequest): WebhookVerdict {
  log?.warn({ status, reason, path: req.path, bytes: req.body.length, webhookId: req.headers['x-wc-webhook-id'] }, 'WooCommerce webhook rejected');
  const deliveryId = req.headers['x-wc-webhook-delivery-id'];
  return deliveryId ? { ok: false, status, reason, deliveryId } : { ok: false, status, reason };
}

export function signWooWebhook(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

export function isPing(req: RawRequest): boolean {
  return !req.headers['x-wc-webhook-signature'] && /^webhook_id=\d+$/.test(req.body.toString('utf8').trim());
}

const LINK_RE = /\/wc\/v\d+\/(orders|products|customers)\b/;
const LINKED: Record<string, EntityType> = { orders: 'order', products: 'product', customers: 'customer' };

/** The resource a signed body is about: its own `_links.self`/`collection`, else fields only that resource has. */
export function resourceOfBody(b: Record<string, unknown>): EntityType | undefined {
  const links = b._links as Record<string, Array<{ href?: unknown }> | undefined> | undefined;
  for (const rel of ['self', 'collection'] as const) {
    const href = links && typeof links === 'object' ? links[rel]?.[0]?.href : undefined;
    const m = typeof href === 'string' ? LINK_RE.exec(href) : null;
    if (m) return LINKED[m[1] as string];
  }
  if (Array.isArray(b.line_items) || 'order_key' in b) return 'order';
  if ('username' in b || ('role' in b && 'email' in b)) return 'customer';
  if ('sku' in b && 'type' in b) return 'product';
  return undefined;
}

export function verifyWooWebhook(secret: string | undefined, req: RawRequest, log?: Logger): WebhookVerdict {
  if (req.body.length > MAX_WEBHOOK_BODY_BYTES) return reject(log, 413, `body of ${req.body.length} bytes is over the ${MAX_WEBHOOK_BODY_BYTES}-byte limit`, req);
  if (isPing(req)) {
    log?.info({ body: req.body.toString('utf8').trim() }, 'WooCommerce webhook ping');
    return { ok: true, events: [], ping: true };
  }
  const given = req.headers['x-wc-webhook-signature'];
  if (!given) return reject(log, 401, 'missing X-WC-Webhook-Signature header', req);
  if (!secret) return reject(log, 401, 'no webhookSecret configured for this WooCommerce system', req);
  const expected = createHmac('sha256', secret).update(req.body).digest();
  const got = Buffer.from(given.trim(), 'base64');
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) return reject(log, 401, 'signature does not match the body (wrong secret or modified body)', req);
  let body: unknown;
  try {
    body = JSON.parse(req.body.toString('utf8'));
  } catch {
    return reject(log, 400, 'body is not valid JSON', req);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return reject(log, 400, 'body is not a JSON object', req);
  const topic = req.headers['x-wc-webhook-topic'] ?? '';
  const [resource = '', event = ''] = topic.split('.');
  const b = body as { id?: unknown; type?: unknown; parent_id?: unknown; date_modified_gmt?: unknown };
  if (b.id === undefined || b.id === null) return reject(log, 400, 'body has no id', req);
  const idOnly = Object.keys(b).length === 1;
  const entity = idOnly ? RESOURCES[resource] : resourceOfBody(body as Record<string, unknown>);
  if (!entity || !ACTIONS[event]) {
    log?.info({ topic }, 'WooCommerce webhook topic ignored');
    return { ok: true, events: [] };
  }
  if (!idOnly && RESOURCES[resource] !== entity) log?.warn({ topic, body: entity }, 'WooCommerce webhook topic header does not match its signed body: the body wins');
  const action: WebhookEvent['action'] = idOnly ? 'deleted' : event === 'created' ? 'created' : 'updated';
  // A variation fires product.* with its own body: the event is about its parent product.
  const isVariation = b.type === 'variation' && Number(b.parent_id) > 0;
  const id = String(isVariation ? b.parent_id : b.id);
  // X-WC-Webhook-Delivery-ID is wp_hash(webhook id + current second): several deliveries in one second
  // share it. Webhook id + delivery id + body hash identifies one delivery.
  const bodyHash = createHash('sha256').update(req.body).digest('hex').slice(0, 16);
  const delivery = req.headers['x-wc-webhook-delivery-id'] ?? 'none';
  const event2: WebhookEvent = {
    deliveryId: `wc:${req.headers['x-wc-webhook-id'] ?? '?'}:${delivery}:${bodyHash}`,
    entity,
    id,
    action: isVariation && !idOnly ? 'updated' : action,
    occurredAt: typeof b.date_modified_gmt === 'string' ? gmt(b.date_modified_gmt) : null,
    payload: body,
  };
  return { ok: true, events: [event2] };
}
