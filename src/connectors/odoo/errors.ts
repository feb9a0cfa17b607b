/**
 * Odoo errors → SyncError. Pure: the transport hands over what the server said (JSON-RPC error envelope,
 * JSON-2 error body, or a bare HTTP status) and gets one SyncError with Odoo's own message kept, `code` =
 * the Python class path, and a hint that says what to do.
 *
 * The class decides the kind, the HTTP status only when there is no class (HTML error page, proxy error):
 * a JSON-2 500 carrying builtins.ValueError is a bad request that will fail again, not an outage.
 */
import { SyncError, type ErrorKind } from '../../shared/errors.js';
import { kindForStatus, parseRetryAfter } from '../../shared/http.js';

export const SYSTEM = 'odoo';

/** The error part of a JSON-RPC envelope, or a JSON-2 error body. */
export interface OdooFault {
  /** Python class path: data.name (JSON-RPC) or name (JSON-2). */
  name?: string;
  message?: string;
  /** JSON-RPC error.code (200 in ≤18, 0 in 19; 100 = session expired). */
  rpcCode?: number;
  /** HTTP status of the response. */
  status?: number;
  /** Raw text when the body was not JSON (HTML error pages). */
  text?: string;
  retryAfter?: string | null;
}

export interface FaultContext {
  model?: string;
  method?: string;
  user?: string;
}

const SERIALIZATION = /could not serialize access|concurrent update|deadlock detected|lock not available|could not obtain lock/i;

/** Class path → kind, for the classes Odoo raises (see 08_errors of 17 and 19). */
const KIND_BY_CLASS: Record<string, ErrorKind> = {
  'odoo.exceptions.AccessDenied': 'auth',
  'werkzeug.exceptions.Unauthorized': 'auth',
  'odoo.http.SessionExpiredException': 'auth',
  'odoo.exceptions.AccessError': 'permission',
  'werkzeug.exceptions.Forbidden': 'permission',
  'odoo.exceptions.MissingError': 'not_found',
  'odoo.exceptions.ValidationError': 'invalid_data',
  'odoo.exceptions.UserError': 'invalid_data',
  'odoo.exceptions.RedirectWarning': 'invalid_data',
  'odoo.exceptions.except_orm': 'invalid_data',
  'odoo.exceptions.LockError': 'conflict',
  'odoo.exceptions.ConcurrencyError': 'conflict',
  'werkzeug.exceptions.UnprocessableEntity': 'invalid_data',
  'werkzeug.exceptions.BadRequest': 'invalid_data',
  'werkzeug.exceptions.UnsupportedMediaType': 'invalid_data',
  'werkzeug.exceptions.NotFound': 'not_found',
  'werkzeug.exceptions.TooManyRequests': 'rate_limited',
  'werkzeug.exceptions.ServiceUnavailable': 'unavailable',
  'psycopg2.errors.SerializationFailure': 'conflict',
  'psycopg2.extensions.TransactionRollbackError': 'conflict',
  'psycopg2.errors.DeadlockDetected': 'conflict',
  'psycopg2.errors.LockNotAvailable': 'conflict',
  'psycopg2.errors.InFailedSqlTransaction': 'conflict',
  'builtins.MemoryError': 'unavailable',
};

/** Python built-ins raised for malformed calls (unknown field, bad domain, wrong argument): our request is wrong. */
const BAD_CALL = /^builtins\.(ValueError|TypeError|KeyError|AttributeError|IndexError|AssertionError|NameError)$/;

export function kindOfFault(f: OdooFault): ErrorKind {
  const name = f.name ?? '';
  const message = f.message ?? f.text ?? '';
  if (f.rpcCode === 100) return 'auth';
  const byClass = KIND_BY_CLASS[name];
  if (byClass) {
    if (isUnknownModelOrMethod(name, message) || isUnknownDatabase(name, message, f.status)) return 'config';
    return byClass;
  }
  if (name.startsWith('psycopg2')) {
    if (SERIALIZATION.test(message)) return 'conflict';
    if (isUnknownDatabase(name, message, f.status)) return 'config';
    return 'unavailable';
  }
  if (SERIALIZATION.test(message)) return 'conflict';
  if (isUnknownModelOrMethod(name, message)) return 'config';
  if (BAD_CALL.test(name)) return 'invalid_data';
  // Other built-ins (ZeroDivisionError in a custom module…) fail again the same way; anything else unknown
  // (a server-side crash, an exception class of an add-on) is treated as an outage and retried: Odoo rolled
  // the transaction back, so a retry cannot duplicate an effect.
  if (name.startsWith('builtins.')) return 'invalid_data';
  if (name) return 'unavailable';
  if (isUnknownDatabase(name, message, f.status)) return 'config';
  return kindForStatus(f.status ?? 500);
}

function isUnknownModelOrMethod(name: string, message: string): boolean {
  if (name === 'odoo.exceptions.UserError' && /^Object \S+ doesn't exist/.test(message)) return true;
  if (name === 'werkzeug.exceptions.NotFound' && /(model|method) '[^']+' does not exist|Did you mean POST/.test(message)) return true;
  if (name === 'builtins.AttributeError' && /The method '[^']+' does not exist/.test(message)) return true;
  return false;
}

function isUnknownDatabase(name: string, message: string, status?: number): boolean {
  if (name.startsWith('psycopg2') && /database "[^"]*" does not exist/.test(message)) return true;
  return !name && status === 404 && /No database is selected/.test(message);
}

/** The one function the transport calls. */
export function faultToSyncError(f: OdooFault, ctx: FaultContext = {}): SyncError {
  const kind = kindOfFault(f);
  const message = cleanMessage(f);
  return new SyncError(kind, message, {
    system: SYSTEM,
    code: f.name || (f.status !== undefined ? `http_${f.status}` : undefined),
    status: f.status,
    retryAfterMs: parseRetryAfter(f.retryAfter ?? null),
    hint: hintFor(kind, f, ctx),
    details: ctx.model ? { model: ctx.model, method: ctx.method } : undefined,
  });
}

/** PostgreSQL's words for a missing database, as Odoo passes them on, said for the person at the terminal. */
function missingDatabase(message: string): string | undefined {
  const db = /database "([^"]+)" does not exist/.exec(message)?.[1];
  return db === undefined ? undefined : `database "${db}" does not exist on this Odoo server`;
}

function cleanMessage(f: OdooFault): string {
  if (f.message) return missingDatabase(f.message) ?? f.message.trim();
  if (f.text) {
    const plain = f.text
      .replace(/<script[\s\S]*?<\/script>/gi, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ')
      .trim();
    if (plain) return plain.slice(0, 500);
  }
  return f.status !== undefined ? `Odoo answered HTTP ${f.status}` : 'Odoo returned an error without a message';
}

function hintFor(kind: ErrorKind, f: OdooFault, ctx: FaultContext): string | undefined {
  const message = f.message ?? f.text ?? '';
  const who = ctx.user ? `user ${ctx.user}` : 'the integration user';
  switch (kind) {
    case 'auth':
      return 'check the login and API key in tandem.yaml (Odoo: Preferences → Account Security → New API Key); keys expire';
    case 'permission': {
      const groups = /allowed for the following groups:\s*([\s\S]*?)(?:\n\n|Contact your administrator|$)/.exec(message);
      const list = groups?.[1]
        ?.split('\n')
        .map((l) => l.replace(/^[\s\t-]+/, '').trim())
        .filter(Boolean);
      if (list && list.length > 0) return `add ${who} to the group ${list.join(' or ')} in Odoo (Settings → Users)`;
      const model = /\(([a-z0-9_.]+)\)/.exec(message)?.[1] ?? ctx.model;
      return `${who} lacks access${model ? ` to ${model}` : ''}: give it the needed group in Odoo (Settings → Users), or run \`tandem check\``;
    }
    case 'not_found':
      return 'the record was deleted or archived in Odoo; Tandem will re-create or re-link it on the next sync';
    case 'config':
      if (/database/.test(message)) return 'check `db` in tandem.yaml: it must name an existing Odoo database (the database selector at /web/database/selector lists them)';
      return 'a model or method is missing: install the Odoo app it belongs to (sale_management, stock, account, delivery) or check the Odoo version';
    case 'conflict':
      return 'Odoo was updating the same records in another transaction; Tandem retries';
    case 'unavailable':
      return 'Odoo is down, restarting or overloaded; Tandem retries with backoff';
    case 'rate_limited':
      return 'Odoo (or a proxy in front of it) limits the request rate; lower rateLimit in tandem.yaml';
    default:
      return undefined;
  }
}

/** For HTTP failures without a body Odoo wrote (proxy 502, HTML 404 of an unknown database…). */
export function httpFault(status: number, text: string, retryAfter: string | null): OdooFault {
  return { status, text, retryAfter };
}
