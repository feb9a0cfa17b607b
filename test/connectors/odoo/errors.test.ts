/**
 * Error mapping against the responses of real Odoo 17 and 19 servers, taken verbatim from the recordings:
 * every error class in 08_errors maps to the expected kind and keeps Odoo's own message.
 */
import { describe, it, expect } from 'vitest';
import { SyncError, type ErrorKind } from '../../../src/shared/errors.js';
import { parseJson2, parseJsonRpc } from '../../../src/connectors/odoo/transport.js';
import { faultToSyncError, kindOfFault } from '../../../src/connectors/odoo/errors.js';
import { asHttp17, asHttp19, loadFlow, type Exchange17, type Exchange19 } from './recordings.js';

/** The message as Tandem words it: Odoo's text, except PostgreSQL's words for a missing database. */
const shown = (message: string): string => {
  const db = /database "([^"]+)" does not exist/.exec(message)?.[1];
  return db === undefined ? message.trim() : `database "${db}" does not exist on this Odoo server`;
};

/** What each recorded failure means for the sync (written out by hand, not derived from the code). */
function expectedKind(name: string | undefined, message: string, status: number): ErrorKind {
  if (!name) {
    if (status === 404 && /No database is selected/.test(message)) return 'config';
    return 'invalid_data'; // 400 Invalid JSON data, 415 wrong content type: our request is malformed
  }
  if (name === 'odoo.exceptions.AccessDenied' || name === 'werkzeug.exceptions.Unauthorized') return 'auth';
  if (name === 'odoo.exceptions.AccessError') return 'permission';
  if (name === 'odoo.exceptions.MissingError') return 'not_found';
  if (name === 'psycopg2.OperationalError' && /does not exist/.test(message)) return 'config';
  if (name === 'odoo.exceptions.UserError' && /^Object .* doesn't exist/.test(message)) return 'config';
  if (name === 'werkzeug.exceptions.NotFound') return 'config';
  if (name === 'builtins.AttributeError' && /does not exist/.test(message)) return 'config';
  if (['odoo.exceptions.ValidationError', 'odoo.exceptions.UserError', 'werkzeug.exceptions.UnprocessableEntity', 'werkzeug.exceptions.BadRequest'].includes(name)) return 'invalid_data';
  if (name.startsWith('builtins.')) return 'invalid_data';
  throw new Error(`no expectation written for ${name}`);
}

function thrown(fn: () => unknown): SyncError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SyncError) return e;
    throw e;
  }
  throw new Error('expected a SyncError');
}

describe('odoo error mapping: 17 JSON-RPC (08_errors)', () => {
  const flow = loadFlow<Exchange17>('odoo17', '08_errors.jsonl');
  const failures = flow.filter((x) => x.http_status !== 200 || (typeof x.response === 'object' && x.response !== null && 'error' in x.response));

  it('the recording has the failures this test is about', () => {
    expect(failures.length).toBeGreaterThanOrEqual(25);
  });

  for (const x of failures) {
    it(`#${x.seq} ${x.label}`, () => {
      const res = x.response as { id?: number; error?: { code: number; data: { name: string; message: string } } } | string;
      const id = typeof res === 'object' ? (res.id ?? null) : null;
      const err = thrown(() => parseJsonRpc(asHttp17(x), id));
      const name = typeof res === 'object' ? res.error?.data.name : undefined;
      const message = typeof res === 'object' ? (res.error?.data.message ?? '') : res;
      expect(err.kind).toBe(expectedKind(name, message, x.http_status));
      expect(err.message).toBe(shown(message));
      expect(err.system).toBe('odoo');
      if (name) expect(err.code).toBe(name);
      if (err.kind === 'auth' || err.kind === 'permission' || err.kind === 'config') expect(err.hint).toBeTruthy();
    });
  }

  it('successful exchanges of the same file are not errors (wrong login → false, missing read → [])', () => {
    const ok = flow.filter((x) => !failures.includes(x));
    for (const x of ok) {
      const res = x.response as { id: number };
      expect(() => parseJsonRpc(asHttp17(x), res.id)).not.toThrow();
    }
    expect(parseJsonRpc(asHttp17(ok[0]!), (ok[0]!.response as { id: number }).id)).toBe(false);
  });

  it('permission errors name the Odoo group to add in the hint', () => {
    const quant = failures.find((x) => x.label.includes('stock.quant inventory create'))!;
    const err = thrown(() => parseJsonRpc(asHttp17(quant), null));
    expect(err.kind).toBe('permission');
    expect(err.hint).toContain('Inventory/User');
  });
});

describe('odoo error mapping: 19 JSON-2 and legacy JSON-RPC (08_errors)', () => {
  const flow = loadFlow<Exchange19>('odoo19', '08_errors.jsonl');
  const failures = flow.filter((x) => {
    const b = x.response.body as Record<string, unknown> | null;
    return x.response.status >= 400 || (x.protocol === 'jsonrpc' && b !== null && typeof b === 'object' && 'error' in b);
  });

  it('covers every JSON-2 status of the README (400, 401, 403, 404, 415, 422, 500)', () => {
    const statuses = new Set(failures.filter((x) => x.protocol === 'json2').map((x) => x.response.status));
    for (const s of [400, 401, 403, 404, 415, 422, 500]) expect(statuses.has(s)).toBe(true);
  });

  for (const x of failures) {
    it(`#${x.seq} ${x.protocol} ${x.label}`, () => {
      const http = asHttp19(x);
      const body = x.response.body as { id?: number; name?: string; message?: string; error?: { code: number; data: { name: string; message: string } } } | string;
      let name: string | undefined;
      let message: string;
      let err: SyncError;
      if (x.protocol === 'jsonrpc') {
        const env = body as { id: number; error?: { code: number; data: { name: string; message: string } } };
        err = thrown(() => parseJsonRpc(http, typeof env === 'object' ? env.id : null));
        name = typeof env === 'object' ? env.error?.data.name : undefined;
        message = typeof env === 'object' ? (env.error?.data.message ?? '') : (body as string);
        if (typeof env === 'object' && env.error) expect(env.error.code).toBe(0);
      } else {
        err = thrown(() => parseJson2(http));
        name = typeof body === 'object' ? body.name : undefined;
        message = typeof body === 'object' ? (body.message ?? '') : (body as string);
      }
      expect(err.kind).toBe(expectedKind(name, message, x.response.status));
      if (name) {
        expect(err.message).toBe(shown(message));
        expect(err.code).toBe(name);
      } else {
        expect(err.message.length).toBeGreaterThan(0);
      }
      if (x.protocol === 'json2') expect(err.status).toBe(x.response.status);
    });
  }
});

describe('odoo error mapping: outages and concurrency', () => {
  it('a serialization failure is a retryable conflict (JSON-RPC envelope and JSON-2 500)', () => {
    const name = 'psycopg2.errors.SerializationFailure';
    const message = 'could not serialize access due to concurrent update';
    const rpc = { status: 200, headers: new Headers(), text: JSON.stringify({ jsonrpc: '2.0', id: 7, error: { code: 200, message: 'Odoo Server Error', data: { name, message } } }) };
    const e1 = thrown(() => parseJsonRpc(rpc, 7));
    expect(e1.kind).toBe('conflict');
    expect(e1.retryable).toBe(true);
    const e2 = thrown(() => parseJson2({ status: 500, headers: new Headers(), text: JSON.stringify({ name, message, arguments: [message], context: {} }) }));
    expect(e2.kind).toBe('conflict');
    expect(e2.message).toBe(message);
    expect(kindOfFault({ name: 'psycopg2.OperationalError', message: 'could not serialize access due to concurrent update' })).toBe('conflict');
  });

  it('HTTP 5xx without an Odoo error body is unavailable (retryable); 429 is rate_limited with Retry-After', () => {
    for (const status of [500, 502, 503, 504]) {
      const e = thrown(() => parseJson2({ status, headers: new Headers({ 'content-type': 'text/html' }), text: '<html><body>Bad Gateway</body></html>' }));
      expect(e.kind).toBe('unavailable');
      expect(e.retryable).toBe(true);
      const r = thrown(() => parseJsonRpc({ status, headers: new Headers(), text: 'upstream error' }, 1));
      expect(r.kind).toBe('unavailable');
    }
    const limited = thrown(() => parseJson2({ status: 429, headers: new Headers({ 'retry-after': '3' }), text: '' }));
    expect(limited.kind).toBe('rate_limited');
    expect(limited.retryAfterMs).toBe(3000);
  });

  it('an unknown server-side exception class is treated as an outage, an unknown built-in as a bad call', () => {
    expect(faultToSyncError({ name: 'odoo.addons.custom.SomethingBroke', message: 'boom', status: 500 }).kind).toBe('unavailable');
    expect(faultToSyncError({ name: 'builtins.ZeroDivisionError', message: 'division by zero', status: 500 }).kind).toBe('invalid_data');
  });

  it('a JSON-RPC session expiry (code 100) is an auth problem', () => {
    const e = thrown(() => parseJsonRpc({ status: 200, headers: new Headers(), text: JSON.stringify({ jsonrpc: '2.0', id: 1, error: { code: 100, message: 'Odoo Session Expired', data: { name: 'odoo.http.SessionExpiredException', message: 'Session expired' } } }) }, 1));
    expect(e.kind).toBe('auth');
  });
});
