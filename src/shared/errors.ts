/**
 * One error type for everything that can go wrong while syncing. The queue reads only `retryable`
 * (derived from `kind`) and `retryAfterMs`; people read `message`, which always says what failed,
 * on which record and field where known, and what to do next.
 */
export const ERROR_KINDS = [
  'network',
  'rate_limited',
  'unavailable',
  'conflict',
  'auth',
  'permission',
  'not_found',
  'invalid_data',
  'mapping',
  'config',
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Kinds worth retrying: the same call may succeed later without anybody changing anything. */
const RETRYABLE: ReadonlySet<ErrorKind> = new Set<ErrorKind>(['network', 'rate_limited', 'unavailable', 'conflict']);

export function isRetryableKind(kind: ErrorKind): boolean {
  return RETRYABLE.has(kind);
}

export interface SyncErrorOptions {
  /** The remote system that reported the error ('odoo', 'woocommerce', …). */
  system?: string;
  /** Entity and record the error is about, e.g. entity 'product', record 'SKU-42'. */
  entity?: string;
  record?: string;
  field?: string;
  /** The remote's own error code / class (e.g. 'odoo.exceptions.ValidationError', 'product_invalid_sku'). */
  code?: string;
  /** HTTP status, when there was one. */
  status?: number;
  /** Server asked us to wait this long (Retry-After) before retrying. */
  retryAfterMs?: number;
  /** What the operator should do next. */
  hint?: string;
  /** Extra machine-readable details (never secrets). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class SyncError extends Error {
  override readonly name = 'SyncError';
  readonly kind: ErrorKind;
  readonly system?: string;
  readonly entity?: string;
  readonly record?: string;
  readonly field?: string;
  readonly code?: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly hint?: string;
  readonly details?: Record<string, unknown>;

  constructor(kind: ErrorKind, message: string, opts: SyncErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.kind = kind;
    this.system = opts.system;
    this.entity = opts.entity;
    this.record = opts.record;
    this.field = opts.field;
    this.code = opts.code;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
    this.hint = opts.hint;
    this.details = opts.details;
  }

  get retryable(): boolean {
    return isRetryableKind(this.kind);
  }

  /** Same error, with the record it concerns filled in (keeps what was already known). */
  about(where: { entity?: string; record?: string; field?: string }): SyncError {
    return new SyncError(this.kind, this.message, {
      ...this.options(),
      entity: this.entity ?? where.entity,
      record: this.record ?? where.record,
      field: this.field ?? where.field,
    });
  }

  options(): SyncErrorOptions {
    return {
      system: this.system,
      entity: this.entity,
      record: this.record,
      field: this.field,
      code: this.code,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      hint: this.hint,
      details: this.details,
      cause: this.cause,
    };
  }

  /** One line for a person: "[odoo] product SKU-1 field barcode: Barcode(s) already assigned… → hint". */
  describe(): string {
    const where = [this.entity, this.record].filter(Boolean).join(' ');
    const field = this.field ? ` field ${this.field}` : '';
    const prefix = `${this.system ? `[${this.system}] ` : ''}${where ? `${where}${field}: ` : field ? `${field.trim()}: ` : ''}`;
    return `${prefix}${this.message}${this.hint ? ` — ${this.hint}` : ''}`;
  }

  toJSON(): SerializedError {
    return {
      kind: this.kind,
      message: this.message,
      retryable: this.retryable,
      ...(this.system && { system: this.system }),
      ...(this.entity && { entity: this.entity }),
      ...(this.record && { record: this.record }),
      ...(this.field && { field: this.field }),
      ...(this.code && { code: this.code }),
      ...(this.status !== undefined && { status: this.status }),
      ...(this.retryAfterMs !== undefined && { retryAfterMs: this.retryAfterMs }),
      ...(this.hint && { hint: this.hint }),
      ...(this.details && { details: this.details }),
    };
  }

  static fromJSON(e: SerializedError): SyncError {
    const { kind, message, ...rest } = e;
    return new SyncError(kind, message, rest);
  }
}

export interface SerializedError {
  kind: ErrorKind;
  message: string;
  retryable: boolean;
  system?: string;
  entity?: string;
  record?: string;
  field?: string;
  code?: string;
  status?: number;
  retryAfterMs?: number;
  hint?: string;
  details?: Record<string, unknown>;
}

/**
 * Turns anything thrown into a SyncError. Unknown errors (bugs, TypeErrors) are NOT retried:
 * retrying a bug only multiplies its effects; they dead-letter with their message so someone looks.
 */
export function toSyncError(err: unknown, fallbackKind: ErrorKind = 'invalid_data'): SyncError {
  if (err instanceof SyncError) return err;
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code && NETWORK_CODES.has(code)) {
      return new SyncError('network', `${err.message}`, { code, cause: err });
    }
    if (code && isTransientStoreError(err, code)) {
      return new SyncError('unavailable', `the store is unavailable for now: ${err.message}`, { code, cause: err, hint: 'the job is retried; if it lasts, check the database server (connections, disk, restarts)' });
    }
    if (err.name === 'TimeoutError' || err.name === 'AbortError') {
      return new SyncError('unavailable', `request timed out: ${err.message}`, { code: err.name, cause: err });
    }
    return new SyncError(fallbackKind, err.message, { code: err.name, cause: err });
  }
  return new SyncError(fallbackKind, String(err));
}

/**
 * A store error that passes by itself: PostgreSQL's SQLSTATE classes 08 (connection exception), 53
 * (insufficient resources: too many connections, disk full, out of memory), 57P (the server shutting down or
 * restarting), 40001/40P01 (serialization failure, deadlock: the transaction may simply run again); SQLite's
 * BUSY/LOCKED (another process holds the file). Without this a job that met one became a dead letter at once.
 */
function isTransientStoreError(err: Error, code: string): boolean {
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code.startsWith('SQLITE_BUSY_')) return true;
  // every pooled connection stayed busy for the whole connect wait (connect-postgres.ts PoolWaitTimeoutError)
  if (code === 'TANDEM_POOL_WAIT') return true;
  // pg's DatabaseError carries the SQLSTATE in `code` and a `severity`
  if (!('severity' in err) || !/^[0-9A-Z]{5}$/.test(code)) return false;
  return code.startsWith('08') || code.startsWith('53') || code.startsWith('57P') || code === '40001' || code === '40P01';
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Error for the person at the terminal: one line, exit code 2, no stack trace unless --verbose. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}
