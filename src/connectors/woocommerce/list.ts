/**
 * `Connector.list`: every record of an entity, paged by id with no date filter and no cursor — the
 * verification's own enumeration, independent of the change feed (read.ts), so a feed that loses
 * records cannot hide it (issue 11: both read through the feed and said "0 differences").
 */
import type { EntityType } from '../../model/index.js';
import type { Batch, ReadOptions, SourceRecord } from '../contract.js';
import type { WooContext } from './context.js';
import { freshIdPages, idPages } from './id-pages.js';
import { readFeed } from './read.js';
import { customerRecord, orderRecord, priceRecords, productRecord, withRefundDetails } from './records.js';
import { PRODUCT_FIELDS, type WooCustomer, type WooOrder, type WooProduct } from './wire.js';

/**
 * `Connector.listIds`: the ids `listAll` would hand out, read the same way (id order, restarts when the set
 * shrinks) with `_fields=id`: WordPress still loads each product, but computes none of its fields.
 */
export async function* listIds(ctx: WooContext, entity: EntityType, opts: ReadOptions = {}): AsyncGenerator<string[]> {
  const path = LISTED_PATH[entity];
  if (path === undefined) {
    for await (const b of listAll(ctx, entity, opts)) yield b.records.map((r) => r.id);
    return;
  }
  const query = { _fields: 'id', ...(entity === 'product' && { context: 'edit' }) };
  for await (const page of freshIdPages(idPages<{ id: number }>(ctx, path, query, opts, entity))) yield page.items.map((i) => String(i.id));
}

/** `Connector.count`: X-WP-Total of the listing's query, asked for with a page of one id (else the ids counted). */
export async function countAll(ctx: WooContext, entity: EntityType, opts: ReadOptions = {}): Promise<number> {
  const path = LISTED_PATH[entity];
  if (path !== undefined) {
    const query = { _fields: 'id', per_page: '1', ...(entity === 'product' && { context: 'edit' }) };
    const { headers } = await ctx.transport.request<unknown[]>('GET', path, { query, entity, ...(opts.signal && { signal: opts.signal }) });
    const total = Number(headers.get('x-wp-total') ?? NaN);
    if (Number.isInteger(total) && total >= 0) return total;
  }
  let n = 0;
  for await (const ids of listIds(ctx, entity, opts)) n += ids.length;
  return n;
}

const LISTED_PATH: Partial<Record<EntityType, string>> = { product: 'products', customer: 'customers', order: 'orders' };

export async function* listAll<E extends EntityType>(ctx: WooContext, entity: E, opts: ReadOptions = {}): AsyncGenerator<Batch<E>> {
  const signal = opts.signal;
  const pages = <T extends { id: number }>(path: string, query: Record<string, string> = {}) => freshIdPages(idPages<T>(ctx, path, query, opts, entity));
  const batch = (records: SourceRecord[], total?: number): Batch<E> => ({ records: records as SourceRecord<E>[], cursor: null, ...(total !== undefined && { total }) });
  switch (entity) {
    case 'product':
    case 'price': {
      const currency = await ctx.currency(signal);
      const fields = opts.fields ?? 'all';
      for await (const page of pages<WooProduct>('products', { context: 'edit', ...(fields === 'mapped' && { _fields: PRODUCT_FIELDS }) })) {
        const records: SourceRecord[] = [];
        const variationsOf = await ctx.variationsOf(page.items, signal, fields);
        for (const p of page.items) {
          const variations = variationsOf.get(p.id) ?? [];
          if (entity === 'product') records.push(productRecord(ctx, currency, p, variations));
          else records.push(...priceRecords(p, variations, currency));
        }
        yield batch(records, entity === 'product' ? page.total : undefined);
      }
      return;
    }
    case 'order':
      for await (const page of pages<WooOrder>('orders')) {
        const detailed = await Promise.all(page.items.map((o) => withRefundDetails(ctx, o)));
        yield batch(detailed.map((o) => orderRecord(ctx, o)), page.total);
      }
      return;
    case 'customer':
      for await (const page of pages<WooCustomer>('customers')) yield batch(page.items.map(customerRecord), page.total);
      return;
    default:
      // categories and stock: the feed reads them whole anyway
      yield* readFeed(ctx, entity, null, opts);
  }
}
