/**
 * Change feeds. Products, prices, orders and customers page in id order over `modified_after` (GMT,
 * dates_are_gmt=true) = cursor − overlap; see feed-tracker.ts for why not `orderby=modified`, how the
 * cursor moves (to the read's start) and how re-deliveries are dropped. Customers have no modified
 * filter (full scan, filtered the same way); categories and stock are read whole each time (stock of
 * variations moves without touching the parent product's modified date). Products and prices are read with
 * only the mapped fields when the caller asks (ReadOptions.fields 'mapped').
 */
import type { EntityType } from '../../model/index.js';
import { SyncError } from '../../shared/errors.js';
import type { Batch, Cursor, ReadOptions, SourceRecord } from '../contract.js';
import type { WooContext } from './context.js';
import { SYSTEM } from './errors.js';
import { FeedTracker } from './feed-tracker.js';
import { categoryRecord, customerRecord, orderRecord, priceRecords, productRecord, stockRecords, withRefundDetails } from './records.js';
import { idPages } from './id-pages.js';
import { PRODUCT_FIELDS, type WooCategory, type WooCustomer, type WooOrder, type WooProduct, type WooVariation } from './wire.js';

export { FeedTracker, parseCursor } from './feed-tracker.js';

function lastId(items: Array<{ id: number }>): number {
  return items.reduce((m, i) => Math.max(m, i.id), 0);
}

export async function* readFeed<E extends EntityType>(ctx: WooContext, entity: E, cursor: Cursor | null, opts: ReadOptions = {}): AsyncGenerator<Batch<E>> {
  const t = new FeedTracker(cursor, ctx.settings.overlapSeconds);
  const signal = opts.signal;
  const since = t.since();
  const window = { dates_are_gmt: 'true', modified_after: since ?? undefined };
  let yielded = false;
  const out = (records: SourceRecord[], page: { last: boolean; items: Array<{ id: number }> } | null, total?: number): Batch<E> => {
    yielded = true;
    if (page) t.delivered(lastId(page.items));
    return { records: records as SourceRecord<E>[], cursor: !page || page.last ? t.finish() : t.cursor(), ...(total !== undefined && { total }) };
  };
  switch (entity) {
    case 'product':
    case 'price': {
      const currency = await ctx.currency(signal);
      const fields = opts.fields ?? 'all';
      for await (const page of idPages<WooProduct>(ctx, 'products', { ...window, context: 'edit', ...(fields === 'mapped' && { _fields: PRODUCT_FIELDS }) }, opts, entity, (time) => t.begin(time))) {
        const records: SourceRecord[] = [];
        const variationsOf = await ctx.variationsOf(page.items.filter((p) => !t.passed(p.id)), signal, fields);
        for (const p of page.items) {
          if (t.passed(p.id)) continue;
          const variations: WooVariation[] = variationsOf.get(p.id) ?? [];
          if (!t.admit(p.id, p.date_modified_gmt, [p, variations])) continue;
          if (entity === 'product') records.push(productRecord(ctx, currency, p, variations));
          else records.push(...priceRecords(p, variations, currency));
        }
        yield out(records, page, entity === 'product' ? page.total : undefined);
      }
      break;
    }
    case 'stock': {
      for await (const page of ctx.transport.pages<WooProduct>('products', { context: 'edit', orderby: 'id', order: 'asc' }, { signal, perPage: opts.pageSize, entity })) {
        const records: SourceRecord[] = [];
        const variationsOf = await ctx.variationsOf(page.items, signal);
        for (const p of page.items) records.push(...stockRecords(p, variationsOf.get(p.id) ?? []));
        yield { records: records as SourceRecord<E>[], cursor: t.cursor() };
        yielded = true;
      }
      break;
    }
    case 'order': {
      for await (const page of idPages<WooOrder>(ctx, 'orders', window, opts, entity, (time) => t.begin(time))) {
        const admitted = page.items.filter((o) => t.admit(o.id, o.date_modified_gmt, o));
        const detailed = await Promise.all(admitted.map((o) => withRefundDetails(ctx, o)));
        yield out(detailed.map((o) => orderRecord(ctx, o)), page, page.total);
      }
      break;
    }
    case 'customer': {
      for await (const page of idPages<WooCustomer>(ctx, 'customers', {}, opts, entity, (time) => t.begin(time))) {
        const fresh = page.items.filter((c) => (!since || (c.date_modified_gmt ?? '') > since) && t.admit(c.id, c.date_modified_gmt, c));
        yield out(fresh.map(customerRecord), page);
      }
      break;
    }
    case 'category': {
      for await (const page of ctx.transport.pages<WooCategory>('products/categories', { orderby: 'id', order: 'asc' }, { signal, perPage: opts.pageSize, entity })) {
        yielded = true;
        yield { records: page.items.map(categoryRecord) as SourceRecord<E>[], cursor: t.cursor() };
      }
      break;
    }
    default:
      throw new SyncError('config', `the WooCommerce connector cannot read ${entity}`, { system: SYSTEM, entity, hint: 'readable: category, product, price, customer, order, stock' });
  }
  if (!yielded) yield out([], null);
}
