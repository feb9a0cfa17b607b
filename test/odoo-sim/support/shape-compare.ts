/**
 * "Shape compare" of a recorded Odoo response with the simulator's: same keys, same JSON types at every
 * path, same values for everything that is not an id, a record name or a date. Differences come back as
 * readable lines: `$.result[0].state: "sale" ≠ "draft"`.
 */
export interface CompareOptions {
  /** Keys whose string values are compared for type only (tracebacks). */
  typeOnlyKeys?: Set<string>;
  /** Accept arrays of different lengths (data that existed only in the recorded database). */
  lengthTolerant?: boolean;
  /** Keys whose numbers are record ids (relational field names); `id`, `*_id`, `*_ids` always are. */
  idKeys?: Set<string>;
  /** The whole value is ids (results of create / search). */
  rootIsIds?: boolean;
}

const DEFAULT_TYPE_ONLY = new Set(['debug']);

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function isIdKey(key: string): boolean {
  return key === 'id' || key === 'res_id' || key === 'uid' || key.endsWith('_id') || key.endsWith('_ids') || key === 'ids' || key === 'active_id' || key === 'active_ids' || key === 'view_id';
}

/** Digits are what differs between two databases (ids, sequence numbers, dates, unique suffixes). */
export function normalizeText(s: string): string {
  return s.replace(/\d+/g, '#');
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

export function compareShape(expected: unknown, actual: unknown, opts: CompareOptions = {}, path = '$', idContext = opts.rootIsIds === true): string[] {
  const diffs: string[] = [];
  const typeOnly = opts.typeOnlyKeys ?? DEFAULT_TYPE_ONLY;
  const ke = kind(expected);
  const ka = kind(actual);
  if (ke !== ka) {
    diffs.push(`${path}: type ${ke} ${show(expected)} ≠ ${ka} ${show(actual)}`);
    return diffs;
  }
  const key = path.slice(path.lastIndexOf('.') + 1).replace(/\[\d+\]$/, '');
  if (ke === 'object') {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const missing = Object.keys(e).filter((k) => !(k in a));
    const extra = Object.keys(a).filter((k) => !(k in e));
    if (missing.length) diffs.push(`${path}: missing keys ${missing.join(', ')}`);
    if (extra.length) diffs.push(`${path}: unexpected keys ${extra.join(', ')}`);
    for (const k of Object.keys(e)) if (k in a) diffs.push(...compareShape(e[k], a[k], opts, `${path}.${k}`, isIdKey(k) || (opts.idKeys?.has(k) ?? false)));
    return diffs;
  }
  if (ke === 'array') {
    const e = expected as unknown[];
    const a = actual as unknown[];
    if (e.length !== a.length && !(opts.lengthTolerant && e.length && a.length)) diffs.push(`${path}: length ${e.length} ≠ ${a.length}`);
    const n = Math.min(e.length, a.length);
    // many2one pairs [id, name]: the first element is an id; domain leaves [field, op, ids]
    const m2o = e.length === 2 && typeof e[0] === 'number' && typeof e[1] === 'string';
    const leaf = e.length === 3 && typeof e[0] === 'string' && typeof e[1] === 'string' && (isIdKey(e[0]) || (opts.idKeys?.has(e[0]) ?? false));
    for (let i = 0; i < n; i++) diffs.push(...compareShape(e[i], a[i], opts, `${path}[${i}]`, idContext || (m2o && i === 0) || (leaf && i === 2)));
    if (a.length > n && e.length) for (let i = n; i < a.length; i++) diffs.push(...compareShape(e[0], a[i], opts, `${path}[${i}]`, true).filter((d) => d.includes('type') || d.includes('keys')));
    return diffs;
  }
  if (ke === 'number') {
    if (!idContext && expected !== actual) diffs.push(`${path}: ${show(expected)} ≠ ${show(actual)}`);
    return diffs;
  }
  if (ke === 'string') {
    if (typeOnly.has(key)) return diffs;
    if (normalizeText(expected as string) !== normalizeText(actual as string)) diffs.push(`${path}: ${show(expected)} ≠ ${show(actual)}`);
    return diffs;
  }
  if (expected !== actual) diffs.push(`${path}: ${show(expected)} ≠ ${show(actual)}`);
  return diffs;
}
