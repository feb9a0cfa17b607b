/**
 * Change feeds. Products, prices, orders and customers page in id order over `modified_after` (GMT,
 * dates_are_gmt=true) = cursor − overlap; see feed-tracker.ts for why not `orderby=modified`, how the
 * cursor moves (to the read's start) and how re-deliveries are dropped. Customers have no modified
 * filter (full scan, filtered the same way); categories and stock are read whole each time (stock of
 * variations moves without touching the parent product's modified date).
 */
import type { EntityType } from '../../model/index.js';
import { SyncError } from '../../shared/errors.js';
import type { Batch, Cursor, ReadOptions, SourceRecord } from '../contract.js';
import type { WooContext } from './context.js';
import { SYSTEM } from './errors.js';
import { FeedTracker, wooTime } from './feed-tracker.js';
import { categoryRecord, customerRecord, orderRecord, priceRecords, productRecord, stockRecords, withRefundDetails } from './records.js';
import type { Query, WooPage } from './transport.js';
import type { WooCategory, WooCustomer, WooOrder, WooProduct, WooVariation } from './wire.js';

export { FeedTracker, parseCursor } from './feed-tracker.js';

/** Restarts of a read whose result set shrank under it (a record trashed mid-read shifts the pages). */
const MAX_RESTARTS = 3;

/**
 * Pages of `path` in ascending id order, starting the tracker's read at the server's time. When the
 * set shrinks between pages (X-WP-Total drops), the records after the gap moved left by one and the
 * first of this page slid onto the page already read: the page is dropped and the read starts over;
 * the tracker skips the ids already delivered (all below the slid record).
 */
async function* idPages<T extends { id: number }>(ctx: WooContext, path: string, query: Query, t: FeedTracker, opts: ReadOptions, entity: string): AsyncGenerator<WooPage<T>> {
  const localStart = wooTime(Date.now());
  for (let restart = 0; ; restart += 1) {
    let prevTotal: number | undefined;
    let shrunk = false;
    for await (const page of ctx.transport.pages<T>(path, { ...query, orderby: 'id', order: 'asc' }, { signal: opts.signal, perPage: opts.pageSize, entity })) {
      t.begin(page.serverTime === null ? localStart : wooTime(page.serverTime));
      shrunk = restart < MAX_RESTARTS && prevTotal !== undefined && page.total !== undefined && page.total < prevTotal;
      if (shrunk) break;
      prevTotal = page.total;
      yield page;
    }
    if (!shrunk) return;
  }
}

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
      for await (const page of idPages<WooProduct>(ctx, 'products', { ...window, context: 'edit' }, t, opts, entity)) {
        const records: SourceRecord[] = [];
        for (const p of page.items) {
          if (t.passed(p.id)) continue;
          const variations: WooVariation[] = p.type === 'variable' ? await ctx.variations(p.id, signal) : [];
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
        for (const p of page.items) records.push(...stockRecords(p, p.type === 'variable' ? await ctx.variations(p.id, signal) : []));
        yield { records: records as SourceRecord<E>[], cursor: t.cursor() };
        yielded = true;
      }
      break;
    }
    case 'order': {
      for await (const page of idPages<WooOrder>(ctx, 'orders', window, t, opts, entity)) {
        const admitted = page.items.filter((o) => t.admit(o.id, o.date_modified_gmt, o));
        const detailed = await Promise.all(admitted.map((o) => withRefundDetails(ctx, o)));
        yield out(detailed.map((o) => orderRecord(ctx, o)), page, page.total);
      }
      break;
    }
    case 'customer': {
      for await (const page of idPages<WooCustomer>(ctx, 'customers', {}, t, opts, entity)) {
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
