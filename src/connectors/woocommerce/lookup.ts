/** fetch(ids) and findByNaturalKey(keys) for every entity the WooCommerce connector supports. */
import type { EntityType } from '../../model/index.js';
import { SyncError } from '../../shared/errors.js';
import type { NaturalKey, SourceRecord } from '../contract.js';
import { naturalKeyString, stockId } from '../contract.js';
import type { WooContext } from './context.js';
import { SYSTEM } from './errors.js';
import { categoryRecord, customerRecord, orderRecord, priceRecords, productRecord, stockRecords, withRefundDetails } from './records.js';
import type { WooCategory, WooCustomer, WooOrder, WooProduct } from './wire.js';
import { decodeEntities } from './html.js';

function numericIds(ids: string[]): number[] {
  return [...new Set(ids.filter((id) => /^\d+$/.test(id)).map(Number))];
}

async function listByInclude<T>(ctx: WooContext, path: string, ids: number[], extra: Record<string, string> = {}): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100);
    for await (const page of ctx.transport.pages<T>(path, { include: chunk.join(','), ...extra })) out.push(...page.items);
  }
  return out;
}

/** SKUs of stock / price record ids ("<sku>@default"). */
function skusOf(ids: string[]): string[] {
  return ids.map((id) => id.replace(/@[^@]*$/, ''));
}

export async function fetchRecords<E extends EntityType>(ctx: WooContext, entity: E, ids: string[]): Promise<SourceRecord<E>[]> {
  if (ids.length === 0) return [];
  const records: SourceRecord[] = [];
  switch (entity) {
    case 'product': {
      const currency = await ctx.currency();
      const products = (await listByInclude<WooProduct>(ctx, 'products', numericIds(ids), { context: 'edit' })).filter((p) => p.type !== 'variation');
      const variationsOf = await ctx.variationsOf(products);
      for (const p of products) records.push(productRecord(ctx, currency, p, variationsOf.get(p.id) ?? []));
      break;
    }
    case 'stock':
    case 'price': {
      const currency = await ctx.currency();
      const found = await ctx.lookupSkus(skusOf(ids));
      const wanted = new Set(ids);
      for (const ref of found.values()) {
        const p = ref.raw;
        const list = entity === 'stock' ? stockRecords({ ...p, type: 'simple' }, []) : priceRecords({ ...p, type: 'simple' }, [], currency);
        records.push(...list.filter((r) => wanted.has(r.id)));
      }
      break;
    }
    case 'customer':
      records.push(...(await listByInclude<WooCustomer>(ctx, 'customers', numericIds(ids), { role: 'all' })).map(customerRecord));
      break;
    case 'order':
      for (const o of await listByInclude<WooOrder>(ctx, 'orders', numericIds(ids))) records.push(orderRecord(ctx, await withRefundDetails(ctx, o)));
      break;
    case 'category':
      records.push(...(await listByInclude<WooCategory>(ctx, 'products/categories', numericIds(ids))).map(categoryRecord));
      break;
    default:
      throw new SyncError('config', `the WooCommerce connector cannot fetch ${entity}`, { system: SYSTEM, entity });
  }
  return records as SourceRecord<E>[];
}

function add(out: Map<string, string[]>, key: NaturalKey, id: string): void {
  const k = naturalKeyString(key);
  const list = out.get(k) ?? [];
  if (!list.includes(id)) list.push(id);
  out.set(k, list);
}

export async function findRecords(ctx: WooContext, entity: EntityType, keys: NaturalKey[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (keys.length === 0) return out;
  if (['product', 'stock', 'price'].includes(entity)) {
    const skuKeys = keys.filter((k) => k.type === 'sku');
    const found = await ctx.lookupSkus(skuKeys.map((k) => k.value));
    for (const k of skuKeys) {
      const ref = found.get(k.value.trim().toLowerCase());
      if (!ref) continue;
      if (entity === 'product') add(out, k, String(ref.parentId || ref.id));
      else if (entity === 'stock') add(out, k, stockId(ref.raw.sku, 'default'));
      else add(out, k, `${ref.raw.sku}@default`);
    }
    return out;
  }
  for (const k of keys) {
    if (entity === 'customer' && k.type === 'email') {
      const res = await ctx.transport.request<WooCustomer[]>('GET', 'customers', { query: { email: k.value.trim(), role: 'all' }, entity });
      for (const c of res.data) add(out, k, String(c.id));
    } else if (entity === 'order' && k.type === 'number') {
      const res = /^\d+$/.test(k.value)
        ? await ctx.transport.request<WooOrder[]>('GET', 'orders', { query: { include: k.value }, entity })
        : await ctx.transport.request<WooOrder[]>('GET', 'orders', { query: { search: k.value, per_page: 100 }, entity });
      for (const o of res.data) if (o.number === k.value || String(o.id) === k.value) add(out, k, String(o.id));
    } else if (entity === 'category' && k.type === 'name') {
      const res = await ctx.transport.request<WooCategory[]>('GET', 'products/categories', { query: { search: k.value, per_page: 100 }, entity });
      for (const c of res.data) if (decodeEntities(c.name).toLowerCase() === k.value.trim().toLowerCase()) add(out, k, String(c.id));
    }
  }
  return out;
}

