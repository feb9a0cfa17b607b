/** Raw WooCommerce objects → SourceRecords (canonical data or a per-record mapping error). */
import type { EntityType } from '../../model/index.js';
import { SCHEMAS } from '../../model/index.js';
import { SyncError } from '../../shared/errors.js';
import type { SourceRecord } from '../contract.js';
import { stockId } from '../contract.js';
import type { WooContext } from './context.js';
import { SYSTEM } from './errors.js';
import { toPrice, toProduct, toStockLevel } from './map-product.js';
import { toCustomer } from './map-customer.js';
import { toOrder } from './map-order.js';
import type { WooCategory, WooCustomer, WooOrder, WooProduct, WooRefund, WooVariation } from './wire.js';
import { gmt } from './wire.js';
import { decodeEntities } from './html.js';
import { idSeg } from './path.js';

function mapped<E extends EntityType>(entity: E, id: string, updatedAt: string | null, raw: unknown, build: () => unknown, extra: Partial<SourceRecord<E>> = {}): SourceRecord<E> {
  try {
    const parsed = SCHEMAS[entity].safeParse(build());
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'}`);
    }
    return { entity, id, updatedAt, data: parsed.data as SourceRecord<E>['data'], raw, ...extra };
  } catch (e) {
    const error = e instanceof SyncError ? e : new SyncError('mapping', (e as Error).message, { system: SYSTEM, entity, record: id });
    return { entity, id, updatedAt, error, raw, ...extra };
  }
}

export function productRecord(ctx: WooContext, currency: string, p: WooProduct, variations: WooVariation[]): SourceRecord<'product'> {
  const childIds: Record<string, string> = Object.fromEntries(variations.filter((v) => v.sku).map((v) => [v.sku, String(v.id)]));
  return mapped('product', String(p.id), gmt(p.date_modified_gmt), { ...p, variations_data: variations }, () => toProduct(p, variations, { currency, weightUnit: ctx.settings.weightUnit }).product, {
    childIds,
    deleted: p.status === 'trash',
  });
}

/** One stock level per SKU that manages stock (simple products and variations). */
export function stockRecords(p: WooProduct, variations: WooVariation[]): SourceRecord<'stock'>[] {
  const items: Array<WooProduct | WooVariation> = p.type === 'variable' ? variations : [p];
  const out: SourceRecord<'stock'>[] = [];
  for (const v of items) {
    const level = toStockLevel(v);
    if (level) out.push({ entity: 'stock', id: stockId(level.sku, 'default'), updatedAt: gmt(v.date_modified_gmt), data: level, raw: v });
  }
  return out;
}

export function priceRecords(p: WooProduct, variations: WooVariation[], currency: string): SourceRecord<'price'>[] {
  const items: Array<WooProduct | WooVariation> = p.type === 'variable' ? variations : [p];
  const out: SourceRecord<'price'>[] = [];
  for (const v of items) {
    if (!v.sku) continue;
    out.push(mapped('price', `${v.sku}@default`, gmt(v.date_modified_gmt), v, () => toPrice(v, currency) ?? { sku: v.sku }));
  }
  return out;
}

export function customerRecord(c: WooCustomer): SourceRecord<'customer'> {
  return mapped('customer', String(c.id), gmt(c.date_modified_gmt), c, () => toCustomer(c));
}

/** Adds the refunds' line items (one GET per order that has refunds): what came back, by SKU. */
export async function withRefundDetails(ctx: WooContext, o: WooOrder): Promise<WooOrder> {
  if (!o.refunds?.length) return o;
  const { data } = await ctx.transport.request<WooRefund[]>('GET', `orders/${idSeg(o.id)}/refunds`, { entity: 'order', record: String(o.id) });
  return { ...o, refund_details: data };
}

export function orderRecord(ctx: WooContext, o: WooOrder): SourceRecord<'order'> {
  return mapped('order', String(o.id), gmt(o.date_modified_gmt), o, () => toOrder(o, { statusMap: ctx.statusMap }), { deleted: o.status === 'trash' });
}

export function categoryRecord(c: WooCategory): SourceRecord<'category'> {
  return mapped('category', String(c.id), null, c, () => ({ name: decodeEntities(c.name), parentId: c.parent ? String(c.parent) : null }));
}
