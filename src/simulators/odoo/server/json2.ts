/**
 * JSON-2 (Odoo 19): POST /json/2/<model>/<method>, `Authorization: bearer <api key>`, optional
 * X-Odoo-Database, body of named arguments; bare JSON results and real HTTP error statuses.
 */
import { OdooError } from '../orm/errors.js';
import type { HttpReply } from './jsonrpc.js';
import { runModelCall, type SimState, userByApiKey } from './state.js';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

export const NOT_FOUND_HTML =
  '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n';

const NO_DB_HTML =
  '<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>No database is selected and the requested URL was not found in the server-wide controllers.</p>\n<p>Please verify the hostname, <a href=/web/login>login</a> and try again.</p>\n\n<!-- Alternatively, use the X-Odoo-Database header. -->\n';

const UNSUPPORTED_HTML =
  "<!doctype html>\n<html lang=en>\n<title>415 Unsupported Media Type</title>\n<h1>Unsupported Media Type</h1>\n<p>Request inferred type is compatible with [&#39;http&#39;] but &#39;/json/2/&lt;__model__&gt;/&lt;__method__&gt;&#39; is type=&#39;json2&#39;.<br><br>Please verify the Content-Type request header and try again.</p>\n";

export function errorReply(e: OdooError): HttpReply {
  const headers: Record<string, string> = { ...JSON_HEADERS };
  if (e.status === 401) headers['www-authenticate'] = 'Bearer ';
  return { status: e.status, headers, body: JSON.stringify({ name: e.pyClass, message: e.message, arguments: e.args, context: {}, debug: e.debug() }) };
}

/** Python's json error for the first bad position (close enough: "Expecting value" at the offset). */
function pythonJsonError(raw: string, err: unknown): string {
  const m = /position (\d+)/.exec(String((err as Error)?.message ?? ''));
  const pos = m ? Number(m[1]) : raw.length;
  const before = raw.slice(0, pos);
  const line = before.split('\n').length;
  const col = pos - before.lastIndexOf('\n');
  return `could not parse the body as json: Expecting value: line ${line} column ${col} (char ${pos})`;
}

export interface Json2Request {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export async function handleJson2(state: SimState, req: Json2Request): Promise<HttpReply> {
  const parts = req.path.replace(/^\/json\/2\/?/, '').split('/').filter(Boolean);
  const header = (k: string) => {
    const v = req.headers[k];
    return Array.isArray(v) ? v[0] : v;
  };
  const dbHeader = header('x-odoo-database');
  if (dbHeader !== undefined && dbHeader !== state.db.dbName) {
    return { status: 404, headers: { 'content-type': 'text/html; charset=utf-8' }, body: NO_DB_HTML };
  }
  if (req.method !== 'POST' || parts.length !== 2) {
    return errorReply(new OdooError('werkzeug.exceptions.NotFound', 'Did you mean POST /json/2/<model>/<method>?'));
  }
  const ctype = (header('content-type') ?? '').toLowerCase();
  if (req.body.length > 0 && !ctype.startsWith('application/json')) {
    return { status: 415, headers: { 'content-type': 'text/html; charset=utf-8', accept: 'application/json' }, body: UNSUPPORTED_HTML };
  }
  const auth = header('authorization') ?? '';
  const m = /^bearer\s+(.+)$/i.exec(auth.trim());
  if (!m) return errorReply(new OdooError('werkzeug.exceptions.Unauthorized', 'User not authenticated, use an API Key with a Bearer Authorization header.'));
  const user = userByApiKey(state, (m[1] as string).trim());
  if (!user) return errorReply(new OdooError('werkzeug.exceptions.Unauthorized', 'Invalid apikey'));
  let body: unknown = {};
  if (req.body.trim().length) {
    try {
      body = JSON.parse(req.body);
    } catch (e) {
      return errorReply(new OdooError('werkzeug.exceptions.BadRequest', pythonJsonError(req.body, e)));
    }
  }
  // a JSON array (positional arguments) or scalar is silently ignored
  const named = body && typeof body === 'object' && !Array.isArray(body) ? { ...(body as Record<string, unknown>) } : {};
  const ids = named.ids;
  const context = named.context;
  delete named.ids;
  delete named.context;
  const [model, method] = parts as [string, string];
  try {
    const r = await runModelCall(state, { model, method, uid: user.uid, protocol: 'json2', ids, context, kwargs: named });
    return { status: 200, headers: JSON_HEADERS, body: JSON.stringify(r.value === undefined ? null : r.value), holdMs: r.holdMs };
  } catch (e) {
    if (e instanceof OdooError) return errorReply(e);
    return errorReply(new OdooError('builtins.Exception', e instanceof Error ? e.message : String(e)));
  }
}
