/** Webhooks in the connector contract (re-exported by contract.ts): the request as received, the verdict of a verifier. */
import type { EntityType } from '../model/entities.js';

export interface RawRequest {
  method: string;
  path: string;
  /** Header names lower-cased. */
  headers: Record<string, string | undefined>;
  /** The body exactly as received: signatures are computed over these bytes. */
  body: Buffer;
  receivedAt: Date;
}

export interface WebhookEvent {
  /** Unique per delivery (X-WC-Webhook-Delivery-ID, X-Tandem-Delivery…): the inbox dedupes on it. */
  deliveryId: string;
  entity: EntityType;
  /** Id of the record in the sending system. */
  id: string;
  action: 'created' | 'updated' | 'deleted';
  occurredAt: string | null;
  /** The raw payload for this record if the webhook carried it. */
  payload?: unknown;
}

export type WebhookVerdict =
  | { ok: true; events: WebhookEvent[]; ping?: false }
  /** A handshake/ping (e.g. WooCommerce's unsigned `webhook_id=N` on creation): answer 200, enqueue nothing. */
  | { ok: true; events: []; ping: true }
  /** `deliveryId`: the delivery's id as the sender gave it, when it did (for the log line of the rejection). */
  | { ok: false; status: 400 | 401 | 413; reason: string; deliveryId?: string };

/** Hard ceiling of a webhook body in the verifiers; the server applies `server.webhooks.maxBodyBytes` (default 8 MiB) first. */
export const MAX_WEBHOOK_BODY_BYTES = 32 * 1024 * 1024;

/** One webhook Tandem expects on the shop, as the shop has it now (read-only; `missing`: none for the topic). */
export interface WebhookRegistration {
  topic: string;
  /** Where the shop delivers it (the expected URL when missing). */
  deliveryUrl: string;
  state: 'active' | 'paused' | 'disabled' | 'missing';
  /** The shop's id of the webhook; null when missing. */
  remoteId: string | null;
  /** False when it delivers to another URL than Tandem's (repair points it back). */
  pointsHere: boolean;
}
