/**
 * Comparison of a recorded WooCommerce exchange with the simulator's answer: status, the headers that
 * matter, and the body shape (keys and JSON types at every path), with values compared where they do
 * not depend on ids, dates or host names. Recorded ids are mapped to the simulator's as they appear.
 */
export type Kind = 'post' | 'user' | 'webhook' | 'note' | 'item' | 'meta';

export class IdMap {
  private readonly maps = new Map<Kind, Map<number, number>>();

  get(kind: Kind, rec: number): number | undefined {
    return this.maps.get(kind)?.get(rec);
  }

  /** Learns rec → act; false when rec was already mapped to something else. */
  learn(kind: Kind, rec: number, act: number): boolean {
    let m = this.maps.get(kind);
    if (!m) this.maps.set(kind, (m = new Map()));
    const known = m.get(rec);
    if (known === undefined) {
      m.set(rec, act);
      return true;
    }
    return known === act;
  }

  map(kind: Kind, rec: number): number {
    return this.get(kind, rec) ?? rec;
  }
}

const POST_KEYS = new Set(['product_id', 'variation_id', 'parent_id', 'resource_id']);
const DATE_KEY = /^date_|_gmt$|^date$/;
/** Values that depend on the host, random keys or ids embedded in text: compared by type only. */
const TYPE_ONLY = new Set(['href', 'permalink', 'payment_url', 'order_key', 'avatar_url', 'location', 'permalink_template', 'note', 'unique_sku', 'total_sales', 'related_ids']);
/** Arrays whose length depends on the rest of the shop. */
const ANY_LENGTH = new Set(['related_ids']);

function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function idKind(parent: string, routeKind: Kind): Kind {
  if (parent === 'meta_data') return 'meta';
  if (parent === 'line_items' || parent === 'shipping_lines' || parent === 'fee_lines' || parent === 'coupon_lines') return 'item';
  if (parent === 'refunds' || parent === 'create' || parent === 'update' || parent === 'delete') return routeKind;
  return routeKind;
}

export function compareBody(rec: unknown, act: unknown, ids: IdMap, routeKind: Kind, problems: string[], path = '$', parent = '', key = ''): void {
  const tr = typeOf(rec);
  const ta = typeOf(act);
  if (tr !== ta) {
    // WooCommerce returns an image id as "" for simple products and 0 for variations; accept either for an id.
    problems.push(`${path}: type ${ta}, recorded ${tr}`);
    return;
  }
  if (tr === 'array') {
    const r = rec as unknown[];
    const a = act as unknown[];
    if (key === 'variations' && r.every((x) => typeof x === 'number')) {
      if (r.length !== a.length) problems.push(`${path}: ${a.length} items, recorded ${r.length}`);
      r.forEach((x, i) => typeof a[i] === 'number' && !ids.learn('post', x as number, a[i] as number) && problems.push(`${path}[${i}]: id ${String(a[i])} is not the mapped ${String(ids.get('post', x as number))}`));
      return;
    }
    if (ANY_LENGTH.has(key)) return;
    if (r.length !== a.length) {
      problems.push(`${path}: ${a.length} items, recorded ${r.length}`);
      return;
    }
    const kind = idKind(key, routeKind);
    const aligned = r.map((x, i) => {
      const rid = (x as { id?: unknown })?.id;
      if (typeof rid === 'number' && rid !== 0) {
        const mapped = ids.get(kind, rid);
        const hit = mapped === undefined ? undefined : a.find((y) => (y as { id?: unknown })?.id === mapped);
        if (hit !== undefined) return hit;
      }
      // Ids the replay has not seen yet (system notes…): align on a natural key instead of position.
      for (const k of ['note', 'sku', 'email', 'topic']) {
        const want = (x as Record<string, unknown>)?.[k];
        if (typeof want === 'string') {
          const hit = a.find((y) => (y as Record<string, unknown>)?.[k] === want);
          if (hit !== undefined) return hit;
        }
      }
      return a[i];
    });
    r.forEach((x, i) => compareBody(x, aligned[i], ids, routeKind, problems, `${path}[${i}]`, key, ''));
    return;
  }
  if (tr === 'object') {
    const r = rec as Record<string, unknown>;
    const a = act as Record<string, unknown>;
    const rk = Object.keys(r);
    const ak = Object.keys(a);
    const missing = rk.filter((k) => !(k in a));
    const extra = ak.filter((k) => !(k in r));
    if (missing.length) problems.push(`${path}: missing keys ${missing.join(', ')}`);
    if (extra.length) problems.push(`${path}: extra keys ${extra.join(', ')}`);
    if (key === '_links') return;
    for (const k of rk) if (k in a) compareBody(r[k], a[k], ids, routeKind, problems, `${path}.${k}`, key || parent, k);
    return;
  }
  // Leaves.
  if (key === 'id' && typeof rec === 'number') {
    if (rec === 0 || act === 0) {
      if (rec !== act) problems.push(`${path}: ${String(act)}, recorded ${rec}`);
      return;
    }
    const kind = idKind(parent, routeKind);
    if (!ids.learn(kind, rec, act as number)) problems.push(`${path}: id ${String(act)} is not the mapped ${String(ids.get(kind, rec))} (${kind})`);
    return;
  }
  if (POST_KEYS.has(key) && typeof rec === 'number' && rec !== 0) {
    if (!ids.learn('post', rec, act as number)) problems.push(`${path}: ${String(act)} is not the mapped ${String(ids.get('post', rec))}`);
    return;
  }
  if (key === 'customer_id' && typeof rec === 'number' && rec !== 0) {
    if (!ids.learn('user', rec, act as number)) problems.push(`${path}: ${String(act)} is not the mapped ${String(ids.get('user', rec))}`);
    return;
  }
  if (key === 'number' && typeof rec === 'string') {
    if (String(ids.map('post', Number(rec))) !== act) problems.push(`${path}: "${String(act)}", recorded "${rec}" (mapped ${ids.map('post', Number(rec))})`);
    return;
  }
  if (DATE_KEY.test(key) || TYPE_ONLY.has(key) || key === '') return;
  if (key === 'delivery_url' && typeof rec === 'string' && typeof act === 'string') {
    // The recorded receiver ran on :3999; ours on a random port. The path must match.
    if (new URL(rec).pathname !== new URL(act).pathname) problems.push(`${path}: ${act}, recorded ${rec}`);
    return;
  }
  if (key === 'value' && parent === 'meta_data' && /^\d{9,}$/.test(String(rec))) return;
  if (key === 'display_value' || (key === 'value' && /^\d+$/.test(String(rec)) && parent === 'meta_data')) {
    // _refunded_item_id holds an item id.
    return;
  }
  if (rec !== act) problems.push(`${path}: ${JSON.stringify(act)}, recorded ${JSON.stringify(rec)}`);
}

/** The rel values of a Link header ("next", "prev", or the api.w.org discovery link). */
export function linkRels(link: string | null | undefined): string[] {
  if (!link) return [];
  return [...link.matchAll(/rel="([^"]+)"/g)].map((m) => m[1]!).sort();
}

/** Latest recorded date in a body ("YYYY-MM-DDTHH:MM:SS" GMT fields), as epoch ms. */
export function latestDate(body: unknown): number | null {
  let max: number | null = null;
  const walk = (v: unknown, key: string): void => {
    if (typeof v === 'string' && key.endsWith('_gmt') && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(v)) {
      const t = Date.parse(`${v}Z`);
      if (max === null || t > max) max = t;
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(body, '');
  return max;
}
