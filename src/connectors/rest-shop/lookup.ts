/** fetch by ids and findByNaturalKey: list endpoints filtered by comma-separated query parameters. */
import { naturalKeyString, type NaturalKey, type SourceRecord } from '../contract.js';
import { normalizeEmail, type CanonicalByEntity } from '../../model/index.js';
import { SyncError } from '../../shared/errors.js';
import type { RestShopContext } from './context.js';
import { SYSTEM } from './errors.js';
import { mapRecord } from './map-record.js';
import { listPages } from './paginate.js';
import type { CompiledShape, LookupParams, ShopEntity } from './shapes.js';
import { singleRecord } from './wire-values.js';

export const LOOKUP_CHUNK = 100;

/** The transport and mapper of the shop, and its name in tandem.yaml (for hints). */
export type LookupDeps = Pick<RestShopContext, 'transport' | 'mapper'> & { name?: string };

/** Entities small enough to be matched by reading their whole list when the shop has no filter for the key. */
const LISTED_WHOLE: readonly ShopEntity[] = ['category'];

/** Every record of the list endpoint (all pages, no filter), mapped. */
async function listAll<E extends ShopEntity>(deps: LookupDeps, shape: CompiledShape): Promise<SourceRecord<E>[]> {
  const out: SourceRecord<E>[] = [];
  for await (const page of listPages(deps.transport, { shape, query: {}, pageSize: shape.maxPageSize })) {
    for (const raw of page.items) out.push((await mapRecord(shape.entity as E, raw, shape, deps.mapper)).record);
  }
  return out;
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Records matching `param=v1,v2,…`, mapped; all pages followed. */
async function listWhere<E extends ShopEntity>(deps: LookupDeps, shape: CompiledShape, param: string, values: string[]): Promise<SourceRecord<E>[]> {
  const out: SourceRecord<E>[] = [];
  for (const chunk of chunks([...new Set(values)], LOOKUP_CHUNK)) {
    for await (const page of listPages(deps.transport, { shape, query: { [param]: chunk.join(',') }, pageSize: Math.min(shape.maxPageSize, Math.max(chunk.length, 50)) })) {
      for (const raw of page.items) out.push((await mapRecord(shape.entity as E, raw, shape, deps.mapper)).record);
    }
  }
  return out;
}

/** One record by `GET <path>/<id>`; null on 404. */
async function getOne<E extends ShopEntity>(deps: LookupDeps, shape: CompiledShape, id: string): Promise<SourceRecord<E> | null> {
  try {
    const res = await deps.transport.json('GET', `${shape.path}/${encodeURIComponent(id)}`, { entity: shape.entity, record: id });
    return (await mapRecord(shape.entity as E, singleRecord(res.body), shape, deps.mapper)).record;
  } catch (e) {
    if (e instanceof SyncError && e.kind === 'not_found') return null;
    throw e;
  }
}

export async function fetchByIds<E extends ShopEntity>(deps: LookupDeps, shape: CompiledShape, ids: string[]): Promise<SourceRecord<E>[]> {
  if (ids.length === 0) return [];
  const wanted = new Set(ids);
  if (shape.entity === 'stock' || shape.entity === 'price') {
    // "<sku>@<location|pricelist>": ask by SKU, keep the exact ids.
    const skus = ids.map((id) => id.slice(0, id.lastIndexOf('@') < 0 ? id.length : id.lastIndexOf('@')));
    const recs = await listWhere<E>(deps, shape, shape.query.sku, skus);
    return recs.filter((r) => wanted.has(r.id));
  }
  if (!shape.query.ids) {
    const out: SourceRecord<E>[] = [];
    for (const id of new Set(ids)) {
      const rec = await getOne<E>(deps, shape, id);
      if (rec) out.push(rec);
    }
    return out;
  }
  const recs = await listWhere<E>(deps, shape, shape.query.ids, ids);
  const seen = new Set<string>();
  return recs.filter((r) => wanted.has(r.id) && !seen.has(r.id) && seen.add(r.id));
}

/** The natural-key values a canonical record answers to. */
function keysOf(entity: ShopEntity, type: NaturalKey['type'], data: unknown): string[] {
  if (entity === 'product' && (type === 'sku' || type === 'barcode')) {
    const p = data as CanonicalByEntity['product'];
    return p.variants.map((v) => (type === 'sku' ? v.sku : v.barcode)).filter((v): v is string => Boolean(v));
  }
  if (entity === 'customer' && type === 'email') return [normalizeEmail((data as CanonicalByEntity['customer']).email)];
  if (entity === 'order' && type === 'number') return [(data as CanonicalByEntity['order']).number];
  if (entity === 'category' && type === 'name') return [(data as CanonicalByEntity['category']).name];
  if ((entity === 'stock' || entity === 'price') && type === 'sku') return [(data as { sku: string }).sku];
  return [];
}

const PARAM_OF: Partial<Record<NaturalKey['type'], keyof LookupParams>> = { sku: 'sku', barcode: 'barcode', email: 'email', number: 'number' };

export async function findByKeys(deps: LookupDeps, shape: CompiledShape, keys: NaturalKey[]): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  const byType = new Map<NaturalKey['type'], NaturalKey[]>();
  for (const k of keys) byType.set(k.type, [...(byType.get(k.type) ?? []), k]);
  for (const [type, list] of byType) {
    const paramKey = PARAM_OF[type];
    const param = paramKey ? shape.query[paramKey] : '';
    if (!param && !LISTED_WHOLE.includes(shape.entity)) {
      throw new SyncError('config', `cannot look up ${shape.entity} by ${type} in this shop`, {
        system: SYSTEM,
        entity: shape.entity,
        hint: `set systems.${deps.name ?? SYSTEM}.entities.${shape.entity}.query.${paramKey ?? type} to the shop's filter parameter`,
      });
    }
    const norm = (v: string) => (type === 'email' ? normalizeEmail(v) : v);
    const wanted = new Map<string, string[]>();
    for (const k of list) wanted.set(norm(k.value), [...(wanted.get(norm(k.value)) ?? []), naturalKeyString(k)]);
    // no filter parameter for this key (categories by name): read the list and match here
    const recs = param ? await listWhere(deps, shape, param, list.map((k) => (type === 'email' ? normalizeEmail(k.value) : k.value))) : await listAll(deps, shape);
    for (const r of recs) {
      if (!r.data) continue;
      for (const v of keysOf(shape.entity, type, r.data)) {
        for (const key of wanted.get(norm(v)) ?? []) {
          const ids = found.get(key) ?? [];
          if (!ids.includes(r.id)) ids.push(r.id);
          found.set(key, ids);
        }
      }
    }
  }
  return found;
}
