/**
 * Laravel-shaped error responses → SyncError. 422 `{message, errors: {field: [msgs]}}` names the field,
 * 404/401/403 `{message}`, 429 with Retry-After, 5xx. The shop's own message is kept.
 */
import { SyncError } from '../../shared/errors.js';
import { kindForStatus, parseRetryAfter } from '../../shared/http.js';

export const SYSTEM = 'rest-shop';

interface LaravelError {
  message?: unknown;
  errors?: unknown;
}

const HINTS: Partial<Record<SyncError['kind'], string>> = {
  auth: 'the shop refused the credentials: check systems.<name>.auth in tandem.yaml (token, user/password or header key)',
  permission: 'the credentials lack access to this endpoint: give the API user/token the abilities the REST shop contract needs',
  rate_limited: 'the shop throttles requests: Tandem waits for Retry-After and retries; lower systems.<name>.rateLimit to avoid it',
  unavailable: 'the shop answered with a server error: Tandem retries with backoff; check the shop\'s logs if it persists',
  conflict: 'the record changed in the shop at the same time: Tandem retries',
};

function parseBody(text: string): LaravelError {
  try {
    const body: unknown = JSON.parse(text);
    return body && typeof body === 'object' ? (body as LaravelError) : {};
  } catch {
    return {};
  }
}

/** First field of a Laravel `errors` bag, without the batch prefix (`items.3.name` → `name`). */
export function firstFieldError(errors: unknown): { field: string; message: string } | undefined {
  if (!errors || typeof errors !== 'object') return undefined;
  for (const [key, msgs] of Object.entries(errors as Record<string, unknown>)) {
    const first = Array.isArray(msgs) ? msgs[0] : msgs;
    return { field: key.replace(/^items\.\d+\./, ''), message: typeof first === 'string' ? first : String(first) };
  }
  return undefined;
}

export interface ErrorContext {
  /** The system's name in tandem.yaml (for hints); SyncError.system is always 'rest-shop'. */
  name: string;
  /** e.g. "GET /products" */
  where?: string;
  entity?: string;
  record?: string;
}

/** SyncError for a status + Laravel body (a whole response or one item of a batch result). */
export function errorFromStatus(status: number, body: LaravelError, ctx: ErrorContext, retryAfter?: string | null): SyncError {
  const kind = kindForStatus(status);
  const fieldError = status === 422 ? firstFieldError(body.errors) : undefined;
  const shopMessage = typeof body.message === 'string' && body.message ? body.message : `HTTP ${status}`;
  const message = fieldError && !shopMessage.startsWith(fieldError.message) ? `${fieldError.message} (${shopMessage})` : shopMessage;
  return new SyncError(kind, message, {
    system: SYSTEM,
    entity: ctx.entity,
    record: ctx.record,
    field: fieldError?.field,
    status,
    retryAfterMs: status === 429 ? (parseRetryAfter(retryAfter) ?? 1000) : parseRetryAfter(retryAfter),
    hint: HINTS[kind]?.replace('<name>', ctx.name),
    details: {
      ...(ctx.where && { request: ctx.where }),
      ...(body.errors !== undefined && { errors: body.errors as Record<string, unknown> }),
    },
  });
}

export function errorFromResponse(res: { status: number; headers: Headers; text: string }, ctx: ErrorContext): SyncError {
  return errorFromStatus(res.status, parseBody(res.text), ctx, res.headers.get('retry-after'));
}
