/**
 * GET /api/records?q=&entity= — one record looked up by SKU, e-mail or id on either side: its link, both
 * systems' current values field by field (differences marked), when it last synced and what happened last
 * (the latest audit events of the record). Reads both systems live (one fetch each).
 */
import type { Json, NaturalKey, SourceRecord } from '../connectors/contract.js';
import type { Engine } from '../engine/context.js';
import { labelOf } from '../engine/records/batch.js';
import { comparableView } from '../engine/records/comparable.js';
import { translateRefs } from '../engine/records/refs.js';
import type { EntityType } from '../model/entities.js';
import { redactPersonal } from '../shared/redact-personal.js';
import { allows } from './auth/roles.js';
import { adminLink } from './admin-links.js';
import { HttpError, type Reply, type RequestContext } from './route-table.js';
import { parseEntity } from './sync-actions.js';

const LOOKUP_ENTITIES: EntityType[] = ['product', 'customer', 'category'];

/** Leaf values by dotted path (arrays by index; variants by SKU so both sides line up). */
export function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      const key = v && typeof v === 'object' && typeof (v as { sku?: unknown }).sku === 'string' ? (v as { sku: string }).sku : String(i);
      flatten(v, `${prefix}[${key}]`, out);
    });
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (k !== 'id') flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, value === null || value === undefined ? '' : String(value));
  return out;
}

/** Both sides' fields in one list: path, shop value, ERP value, whether they differ. */
export function compareFields(entity: EntityType, shop: unknown, erp: unknown): Array<{ field: string; shop: string | null; erp: string | null; differs: boolean }> {
  const a = shop ? flatten(comparableView(entity, shop)) : new Map<string, string>();
  const b = erp ? flatten(comparableView(entity, erp)) : new Map<string, string>();
  const fields = [...new Set([...a.keys(), ...b.keys()])].sort();
  return fields.map((f) => ({ field: f, shop: a.get(f) ?? null, erp: b.get(f) ?? null, differs: !!shop && !!erp && (a.get(f) ?? '') !== (b.get(f) ?? '') }));
}

function keysFor(entity: EntityType, q: string): NaturalKey[] {
  if (entity === 'customer') return q.includes('@') ? [{ type: 'email', value: q.trim().toLowerCase() }] : [];
  if (entity === 'product') return [{ type: 'sku', value: q }];
  return [{ type: 'name', value: q }];
}

async function idsOf(engine: Engine, entity: EntityType, q: string): Promise<{ shopId: string | null; erpId: string | null }> {
  const link = (await engine.store.links.get(entity, 'shop', q)) ?? (await engine.store.links.get(entity, 'erp', q));
  if (link) return { shopId: link.shopId, erpId: link.erpId };
  const keys = keysFor(entity, q);
  if (!keys.length) return { shopId: null, erpId: null };
  const [s, e] = await Promise.all([engine.shop.findByNaturalKey(entity, keys), engine.erp.findByNaturalKey(entity, keys)]);
  const first = (m: Map<string, string[]>) => [...m.values()][0]?.[0] ?? null;
  const shopId = first(s);
  const erpId = first(e);
  const viaLink = shopId ? await engine.store.links.get(entity, 'shop', shopId) : erpId ? await engine.store.links.get(entity, 'erp', erpId) : undefined;
  return { shopId: shopId ?? viaLink?.shopId ?? null, erpId: erpId ?? viaLink?.erpId ?? null };
}

/** Both sides' references in ERP ids, through the category links (as the verification compares them). */
async function inErpIds(engine: Engine, entity: EntityType, shop: unknown, erp: unknown): Promise<[unknown, unknown]> {
  if (entity !== 'product' && entity !== 'category') return [shop, erp];
  const links = new Map<string, string>();
  for await (const l of engine.store.links.iterate('category')) links.set(l.shopId, l.erpId);
  const known = new Set(links.values());
  return [shop && translateRefs(entity, shop, (_e, id) => links.get(id)), erp && translateRefs(entity, erp, (_e, id) => (known.has(id) ? id : undefined))];
}

async function fetchOne(conn: Engine['shop'] | Engine['erp'], entity: EntityType, id: string | null): Promise<SourceRecord | null> {
  if (!id) return null;
  return (await conn.fetch(entity, [id]))[0] ?? null;
}

export async function lookupRecord(c: RequestContext): Promise<Reply> {
  const { engine } = c;
  const q = (c.url.searchParams.get('q') ?? '').trim();
  if (!q) throw new HttpError(400, 'give "q": a SKU, an e-mail address, or a record id of either system');
  const entities = c.url.searchParams.get('entity') ? [parseEntity(c.url.searchParams.get('entity'))] : LOOKUP_ENTITIES.filter((e) => engine.config.flows.some((f) => f.entity === e && f.enabled));
  for (const entity of entities) {
    const { shopId, erpId } = await idsOf(engine, entity, q);
    if (!shopId && !erpId) continue;
    const [shop, erp, link, events] = await Promise.all([
      fetchOne(engine.shop, entity, shopId),
      fetchOne(engine.erp, entity, erpId),
      shopId ? engine.store.links.get(entity, 'shop', shopId) : engine.store.links.get(entity, 'erp', erpId!),
      engine.store.audit.query({ entity, ...(shopId ? { shopId } : { erpId: erpId! }), limit: 10 }),
    ]);
    const body = {
      entity,
      shopId,
      erpId,
      label: labelOf(entity, shop?.data ?? erp?.data, q),
      links: { shop: adminLink(engine, 'shop', entity, shopId), erp: adminLink(engine, 'erp', entity, erpId) },
      linked: !!link,
      syncedAt: link ? new Date(link.syncedAt).toISOString() : null,
      fields: compareFields(entity, ...(await inErpIds(engine, entity, shop?.data, erp?.data))),
      errors: { shop: shop?.error?.message ?? null, erp: erp?.error?.message ?? null },
      events: events.map((e) => ({ at: new Date(e.at).toISOString(), actor: e.actor, action: e.action, detail: e.detail })),
    };
    return { body: (c.principal && allows(c.principal.role, 'operator') ? body : redactPersonal(body)) as unknown as Json };
  }
  throw new HttpError(404, `nothing found for "${q}" in ${entities.join(', ')} (try a SKU, an e-mail address or an id)`);
}
