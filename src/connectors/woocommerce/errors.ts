/** WooCommerce / WordPress REST error shapes → SyncError kinds, keeping Woo's own code and message. */
import { SyncError } from '../../shared/errors.js';
import type { ErrorKind } from '../../shared/errors.js';
import { kindForStatus, parseRetryAfter } from '../../shared/http.js';

export const SYSTEM = 'woocommerce';

export interface WooErrorBody {
  code: string;
  message: string;
  data?: unknown;
}

export function isWooError(v: unknown): v is WooErrorBody {
  return !!v && typeof v === 'object' && typeof (v as WooErrorBody).code === 'string' && typeof (v as WooErrorBody).message === 'string';
}

/** Woo messages may carry HTML (registration-error-email-exists): keep the text only. */
export function plainText(message: string): string {
  return message.replace(/<[^>]*>/g, '').replace(/&[a-z]+;/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Codes whose HTTP status does not say what they mean. */
const CODE_KINDS: Record<string, ErrorKind> = {
  // WooCommerce answers HTTP 500 for a refund larger than what is left: a data problem, not an outage.
  woocommerce_rest_cannot_create_order_refund: 'invalid_data',
  woocommerce_rest_authentication_error: 'auth',
  woocommerce_rest_authentication_missing_parameter: 'auth',
  product_invalid_sku: 'invalid_data',
  'registration-error-email-exists': 'invalid_data',
  woocommerce_rest_request_entity_too_large: 'invalid_data',
  rest_no_route: 'config',
};

const HINTS: Partial<Record<ErrorKind, string>> = {
  auth: 'check consumerKey/consumerSecret (WooCommerce → Settings → Advanced → REST API); over plain http WooCommerce needs OAuth 1.0a (auth: auto), Basic auth needs https',
  permission: 'give the REST API key Read/Write permission (WooCommerce → Settings → Advanced → REST API)',
  rate_limited: 'the shop or its host throttles requests; Tandem waits and retries (lower rateLimit.perSecond)',
  unavailable: 'the shop is slow or failing; Tandem retries with backoff',
  config: 'check the url: the WooCommerce REST API is expected under /wp-json/wc/v3 (permalinks must not be "Plain")',
};

/**
 * OAuth 1.0a over plain http: WooCommerce signs the request with the site's own address (WordPress →
 * Settings → General), so the url in tandem.yaml must be exactly that address.
 */
const SIGNATURE_HINT =
  'check consumerSecret in tandem.yaml (its variable): it must be the secret shown with this consumer key (WooCommerce → Settings → Advanced → REST API); if it is right, the url must be exactly the WordPress site address (Settings → General: http://localhost:8080 and http://127.0.0.1:8080 sign differently); or use https; or, for a shop behind a TLS-terminating proxy that sets X-Forwarded-Proto, auth: basic';

export function statusOf(data: unknown): number | undefined {
  if (typeof data === 'number') return data;
  if (data && typeof data === 'object' && typeof (data as { status?: unknown }).status === 'number') return (data as { status: number }).status;
  return undefined;
}

export function errorFromWoo(e: WooErrorBody, httpStatus: number, ctx: { where?: string; entity?: string; record?: string; retryAfter?: string | null } = {}): SyncError {
  let kind: ErrorKind = CODE_KINDS[e.code] ?? kindForStatus(httpStatus === 200 ? (statusOf(e.data) ?? 400) : httpStatus);
  if (/write permissions|not allowed to (create|edit|delete)/i.test(e.message) && kind === 'auth') kind = 'permission';
  const details: Record<string, unknown> = {};
  if (e.data && typeof e.data === 'object') {
    const d = e.data as Record<string, unknown>;
    if (d.params) details.params = d.params;
    if (d.resource_id !== undefined) details.resourceId = d.resource_id;
    if (d.unique_sku !== undefined) details.uniqueSku = d.unique_sku;
  }
  const params = (details.params ?? {}) as Record<string, string>;
  const paramText = Object.entries(params).map(([k, v]) => `${k}: ${v}`).join('; ');
  return new SyncError(kind, `${plainText(e.message)}${paramText && !e.message.includes(paramText) ? ` (${paramText})` : ''}${ctx.where ? ` [${ctx.where}]` : ''}`, {
    system: SYSTEM,
    code: e.code,
    status: httpStatus,
    entity: ctx.entity,
    record: ctx.record,
    retryAfterMs: kind === 'rate_limited' ? (parseRetryAfter(ctx.retryAfter) ?? 1000) : undefined,
    hint: /provided signature does not match/i.test(e.message) ? SIGNATURE_HINT : HINTS[kind],
    details: Object.keys(details).length > 0 ? details : undefined,
  });
}

/** An error response that is not Woo's JSON shape (proxy pages, PHP fatals, maintenance mode). */
export function errorFromStatus(status: number, text: string, ctx: { where: string; retryAfter?: string | null }): SyncError {
  const kind = kindForStatus(status);
  const snippet = plainText(text).slice(0, 200);
  return new SyncError(kind, `HTTP ${status} from WooCommerce${snippet ? `: ${snippet}` : ''} [${ctx.where}]`, {
    system: SYSTEM,
    status,
    retryAfterMs: kind === 'rate_limited' ? (parseRetryAfter(ctx.retryAfter) ?? 1000) : undefined,
    hint: HINTS[kind],
  });
}
