/**
 * Python exceptions as Odoo reports them: class path (data.name), message, arguments, and the HTTP status
 * JSON-2 gives them (19). Over /jsonrpc every error is HTTP 200 in an error envelope.
 */
import type { Env, Model } from './types.js';
export type PyClass =
  | 'odoo.exceptions.AccessError'
  | 'odoo.exceptions.AccessDenied'
  | 'odoo.exceptions.MissingError'
  | 'odoo.exceptions.UserError'
  | 'odoo.exceptions.ValidationError'
  | 'odoo.exceptions.RedirectWarning'
  | 'builtins.ValueError'
  | 'builtins.TypeError'
  | 'builtins.KeyError'
  | 'builtins.AttributeError'
  | 'builtins.IndexError'
  | 'builtins.AssertionError'
  | 'builtins.NameError'
  | 'builtins.Exception'
  | 'psycopg2.OperationalError'
  | 'psycopg2.errors.SerializationFailure'
  | 'werkzeug.exceptions.NotFound'
  | 'werkzeug.exceptions.Unauthorized'
  | 'werkzeug.exceptions.UnprocessableEntity'
  | 'werkzeug.exceptions.BadRequest'
  | 'werkzeug.exceptions.InternalServerError';

const STATUS: Partial<Record<PyClass, number>> = {
  'odoo.exceptions.AccessError': 403,
  'odoo.exceptions.AccessDenied': 401,
  'odoo.exceptions.MissingError': 404,
  'odoo.exceptions.UserError': 422,
  'odoo.exceptions.ValidationError': 422,
  'odoo.exceptions.RedirectWarning': 422,
  'werkzeug.exceptions.NotFound': 404,
  'werkzeug.exceptions.Unauthorized': 401,
  'werkzeug.exceptions.UnprocessableEntity': 422,
  'werkzeug.exceptions.BadRequest': 400,
};

const WERKZEUG_TITLE: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  422: 'Unprocessable Entity',
  500: 'Internal Server Error',
};

export class OdooError extends Error {
  readonly pyClass: PyClass;
  /** Set for werkzeug exceptions: arguments are [message, status]. */
  readonly werkzeug: boolean;
  /** Message Python prints in `KeyError`-style (repr) when it differs from message. */
  readonly reprMessage: string | undefined;

  constructor(pyClass: PyClass, message: string, opts: { reprMessage?: string } = {}) {
    super(message);
    this.name = 'OdooError';
    this.pyClass = pyClass;
    this.werkzeug = pyClass.startsWith('werkzeug.');
    this.reprMessage = opts.reprMessage;
  }

  get status(): number {
    return STATUS[this.pyClass] ?? 500;
  }

  /** `arguments` as Odoo serializes them. */
  get args(): unknown[] {
    return this.werkzeug ? [this.message, this.status] : [this.message];
  }

  /** The last line(s) of the traceback: what `data.debug` ends with. */
  get debugTail(): string {
    const short = this.pyClass.startsWith('builtins.') ? this.pyClass.slice('builtins.'.length) : this.pyClass;
    if (this.werkzeug) return `${short}: ${this.status} ${WERKZEUG_TITLE[this.status] ?? ''}: ${this.message}`;
    return `${short}: ${(this.reprMessage ?? this.message).replace(/\n+$/, '')}`;
  }

  debug(): string {
    return `Traceback (most recent call last):\n  File "odoo-simulator", line 1, in <module>\n${this.debugTail}\n`;
  }
}

export const userError = (msg: string) => new OdooError('odoo.exceptions.UserError', msg);
export const validationError = (msg: string) => new OdooError('odoo.exceptions.ValidationError', msg);
export const accessError = (msg: string) => new OdooError('odoo.exceptions.AccessError', msg);
export const valueError = (msg: string) => new OdooError('builtins.ValueError', msg);
export const typeError = (msg: string) => new OdooError('builtins.TypeError', msg);

export function missingError(model: string, ids: number[], uid: number): OdooError {
  const tuple = ids.length === 1 ? `${ids[0]},` : ids.join(', ');
  return new OdooError('odoo.exceptions.MissingError', `Record does not exist or has been deleted.\n(Record: ${model}(${tuple}), User: ${uid})`);
}

/** Python repr of a JSON value: 'x', True, None, ['a', 1]. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v.includes("'") && !v.includes('"') ? `"${v}"` : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`)
      .join(', ')}}`;
  }
  return String(v);
}

/** Python repr of a tuple built from a JSON list: ('name', '=', 'x'). */
export function pyTuple(items: unknown[]): string {
  return items.length === 1 ? `(${pyRepr(items[0])},)` : `(${items.map(pyRepr).join(', ')})`;
}

export function ruleError(env: Env, model: Model, op: string): OdooError {
  const user = env.user;
  const who = `${user ? env.displayName('res.users', user.uid) : 'User'} (id=${env.uid})`;
  return new OdooError(
    'odoo.exceptions.AccessError',
    `Uh-oh! Looks like you have stumbled upon some top-secret records.\n\nSorry, ${who} doesn't have '${op}' access to:\n- ${model.spec.description} (${model.name})\n\nIf you really, really need access, perhaps you can win over your friendly administrator with a batch of freshly baked cookies.`,
  );
}

export function invalidField(env: Env, model: Model, field: string, where: 'read' | 'write'): OdooError {
  if (env.traits.messages === 19) {
    return valueError(where === 'write' ? `Invalid field '${field}' in '${model.name}'` : `Invalid field '${field}' on '${model.name}'`);
  }
  return valueError(`Invalid field '${field}' on model '${model.name}'`);
}
