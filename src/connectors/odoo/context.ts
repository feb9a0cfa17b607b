/**
 * What every Odoo adapter receives: the transport, cached lookups, the version traits, settings. Plus the
 * few ORM helpers they share (batched read, create that always returns a list, SKU of variants).
 */
import type { Json } from '../contract.js';
import type { Logger } from '../../shared/log.js';
import { SyncError } from '../../shared/errors.js';
import type { OdooTransport } from './transport.js';
import type { OdooLookups } from './lookups.js';
import type { OdooTraits } from './versions.js';
import { traitsFor } from './versions.js';
import { SYSTEM } from './errors.js';
import { chunks, m2oId, text, type OdooRecord } from './values.js';
import { TtlCache } from '../../shared/ttl-cache.js';

/** ids per read/search call: keeps requests well under proxies' body limits. */
export const READ_CHUNK = 1000;
/** records per create call (the speed win is the list; Odoo handles 1,000 in one call in ~4 s). */
export const CREATE_CHUNK = 1000;

export interface OdooContext {
  name: string;
  t: OdooTransport;
  lookups: OdooLookups;
  log?: Logger;
  /** Re-read window of incremental reads, seconds. */
  overlapSeconds: number;
  /** Prefix of shop order numbers in client_order_ref ("shop-"; "" = none). */
  orderRefPrefix?: string;
  /** invoice_policy of the products Tandem creates. */
  invoicePolicy: 'order' | 'delivery';
  /** Products created with Odoo's chatter (follower + "created" message); false: `tracking_disable`, as Odoo's import. */
  productChatter?: boolean;
  traits(): Promise<OdooTraits>;
}

export async function traitsOf(t: OdooTransport): Promise<OdooTraits> {
  return traitsFor((await t.server()).major);
}

/** read() in chunks; missing ids are silently absent (Odoo's read drops them). */
export async function readMany(env: OdooContext, model: string, ids: number[], fields: string[], context?: Record<string, Json>): Promise<OdooRecord[]> {
  const out: OdooRecord[] = [];
  for (const part of chunks([...new Set(ids)], READ_CHUNK)) {
    if (part.length === 0) continue;
    out.push(...(await env.t.call<OdooRecord[]>(model, 'read', { ids: part, kwargs: { fields }, context })));
  }
  return out;
}

/** search_read with a domain, every page (limit pageSize, by id). */
export async function searchAll(env: OdooContext, model: string, domain: Json[], fields: string[], context?: Record<string, Json>, pageSize = READ_CHUNK): Promise<OdooRecord[]> {
  const out: OdooRecord[] = [];
  let lastId = 0;
  for (;;) {
    const rows = await env.t.call<OdooRecord[]>(model, 'search_read', {
      kwargs: { domain: [...domain, ['id', '>', lastId]], fields, order: 'id asc', limit: pageSize },
      context,
    });
    out.push(...rows);
    if (rows.length < pageSize) return out;
    lastId = rows[rows.length - 1]!.id;
  }
}

/** create() with a list, always returning the list of new ids (JSON-RPC and JSON-2 alike). */
export async function createMany(env: OdooContext, model: string, valsList: Record<string, Json>[], context?: Record<string, Json>): Promise<number[]> {
  const out: number[] = [];
  for (const part of chunks(valsList, CREATE_CHUNK)) {
    const res = await env.t.call<number[] | number>(model, 'create', { kwargs: { vals_list: part }, context });
    const list = Array.isArray(res) ? res : [res];
    if (list.length !== part.length) throw new SyncError('unavailable', `Odoo created ${list.length} ${model} records for ${part.length} values`, { system: SYSTEM });
    out.push(...list);
  }
  return out;
}

export async function createOne(env: OdooContext, model: string, vals: Record<string, Json>, context?: Record<string, Json>): Promise<number> {
  const [id] = await createMany(env, model, [vals], context);
  return id as number;
}

/** A variant's SKU changes rarely and is read with every order state: remembered for a minute per connector. */
const skuCache = TtlCache.perOwner<OdooContext, number, string | null>(60_000, 20_000);

/** Variant SKUs just read elsewhere (e.g. the SKU lookup of an order import): skusOf need not read them again. */
export function rememberSkus(env: OdooContext, rows: Array<{ id: number; sku: string | null }>): void {
  const cache = skuCache(env);
  for (const r of rows) cache.set(r.id, r.sku);
}

/** product.product id → default_code (SKU), for the given variant ids; archived variants included. */
export async function skusOf(env: OdooContext, productIds: number[]): Promise<Map<number, string | null>> {
  const cache = skuCache(env);
  const out = new Map<number, string | null>();
  const missing: number[] = [];
  for (const id of new Set(productIds)) {
    const hit = cache.get(id);
    if (hit) out.set(id, hit.value);
    else missing.push(id);
  }
  if (missing.length) {
    const rows = (await readMany(env, 'product.product', missing, ['default_code'], { active_test: false })).map((r) => ({ id: r.id, sku: text(r.default_code) }));
    for (const r of rows) out.set(r.id, r.sku);
    rememberSkus(env, rows);
  }
  return out;
}

/** SKU → product.product ids (exact default_code match; archived included when asked). */
export async function variantsBySku(env: OdooContext, skus: string[], opts: { includeArchived?: boolean; extraDomain?: Json[]; fields?: string[] } = {}): Promise<OdooRecord[]> {
  const out: OdooRecord[] = [];
  for (const part of chunks([...new Set(skus)], READ_CHUNK)) {
    if (part.length === 0) continue;
    out.push(
      ...(await env.t.call<OdooRecord[]>('product.product', 'search_read', {
        kwargs: { domain: [['default_code', 'in', part], ...(opts.extraDomain ?? [])], fields: opts.fields ?? ['default_code', 'product_tmpl_id', 'active'] },
        context: opts.includeArchived ? { active_test: false } : undefined,
      })),
    );
  }
  return out;
}

export function groupIds(rows: OdooRecord[], key: string): Map<number, OdooRecord[]> {
  const out = new Map<number, OdooRecord[]>();
  for (const r of rows) {
    const k = m2oId(r[key]);
    if (k === null) continue;
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/** Result of an action method: an act_window dict (wizard to handle, or the created record's res_id). */
export interface ActWindow {
  type: string;
  res_model?: string;
  res_id?: number | false;
  context?: Record<string, Json>;
  domain?: Json;
}

export function asAction(value: Json): ActWindow | null {
  if (value && typeof value === 'object' && !Array.isArray(value) && typeof (value as Record<string, Json>).type === 'string') return value as unknown as ActWindow;
  return null;
}
