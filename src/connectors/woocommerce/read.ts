/**
 * Change feeds. Products and orders: `modified_after` (GMT, dates_are_gmt=true) + orderby=modified
 * asc, bounded by modified_before so pages do not shift while we read. WooCommerce dates have one-second
 * resolution and `modified_after` is strict, so every read goes back `overlapSeconds` behind the cursor
 * and drops records already delivered in the same state: the cursor keeps (id → modified|hash) for the
 * records inside that window. Customers have no modified filter (full scan, filtered the same way);
 * categories and stock are read whole each time (stock of variations moves without touching the
 * parent product's modified date).
 */
import { createHash } from 'node:crypto';
import type { EntityType } from '../../model/index.js';
import { SyncError } from '../../shared/errors.js';
import type { Batch, Cursor, ReadOptions, SourceRecord } from '../contract.js';
import type { WooContext } from './context.js';
import { SYSTEM } from './errors.js';
import { categoryRecord, customerRecord, orderRecord, priceRecords, productRecord, stockRecords, withRefundDetails } from './records.js';
import type { WooCategory, WooCustomer, WooOrder, WooProduct, WooVariation } from './wire.js';

export interface FeedCursor {
  /** Latest date_modified_gmt delivered ("YYYY-MM-DDTHH:MM:SS", GMT). */
  t: string | null;
  /** id → "modified|hash" of records delivered inside the overlap window. */
  seen: Record<string, string>;
}

export function parseCursor(c: Cursor | null): FeedCursor {
  if (c && typeof c === 'object' && !Array.isArray(c) && 'seen' in c) {
    const t = typeof c.t === 'string' ? c.t : null;
    const seen = c.seen && typeof c.seen === 'object' && !Array.isArray(c.seen) ? (c.seen as Record<string, string>) : {};
    return { t, seen: { ...seen } };
  }
  return { t: null, seen: {} };
}

function wooTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19);
}

function hashOf(raw: unknown): string {
  return createHash('sha1').update(JSON.stringify(raw)).digest('base64').slice(0, 12);
}

/** The incremental de-duplication: was this exact state already delivered? */
export class FeedTracker {
  private readonly cur: FeedCursor;

  constructor(
    cursor: Cursor | null,
    private readonly overlapS: number,
  ) {
    this.cur = parseCursor(cursor);
  }

  /** modified_after for the query: the cursor minus the overlap window (null = from the start). */
  since(): string | null {
    return this.cur.t ? wooTime(Date.parse(`${this.cur.t}Z`) - this.overlapS * 1000) : null;
  }

  /** True when the record is new or changed since delivered; records it. */
  admit(id: string, modified: string | null, raw: unknown): boolean {
    const mark = `${modified ?? ''}|${hashOf(raw)}`;
    if (this.cur.seen[id] === mark) return false;
    this.cur.seen[id] = mark;
    if (modified && (!this.cur.t || modified > this.cur.t)) this.cur.t = modified.slice(0, 19);
    return true;
  }

  cursor(): Cursor {
    if (this.cur.t) {
      const floor = wooTime(Date.parse(`${this.cur.t}Z`) - this.overlapS * 1000);
      for (const [id, mark] of Object.entries(this.cur.seen)) if (mark.split('|')[0]! < floor) delete this.cur.seen[id];
    }
    return { t: this.cur.t, seen: { ...this.cur.seen } };
  }
}

export async function* readFeed<E extends EntityType>(ctx: WooContext, entity: E, cursor: Cursor | null, opts: ReadOptions = {}): AsyncGenerator<Batch<E>> {
  const t = new FeedTracker(cursor, ctx.settings.overlapSeconds);
  const signal = opts.signal;
  const window = { dates_are_gmt: 'true', orderby: 'modified', order: 'asc', modified_after: t.since() ?? undefined, modified_before: wooTime(Date.now() + 1000) };
  let yielded = false;
  const out = (records: SourceRecord[], total?: number): Batch<E> => {
    yielded = true;
    return { records: records as SourceRecord<E>[], cursor: t.cursor(), ...(total !== undefined && { total }) };
  };
  switch (entity) {
    case 'product':
    case 'price':
    case 'stock': {
      const currency = await ctx.currency(signal);
      const query = entity === 'stock' ? { context: 'edit' } : { ...window, context: 'edit' };
      for await (const page of ctx.transport.pages<WooProduct>('products', query, { signal, perPage: opts.pageSize, entity })) {
        const records: SourceRecord[] = [];
        for (const p of page.items) {
          const variations: WooVariation[] = p.type === 'variable' ? await ctx.variations(p.id, signal) : [];
          if (entity === 'product') {
            if (t.admit(String(p.id), p.date_modified_gmt, [p, variations])) records.push(productRecord(ctx, currency, p, variations));
          } else if (entity === 'price') {
            if (t.admit(String(p.id), p.date_modified_gmt, [p, variations])) records.push(...priceRecords(p, variations, currency));
          } else {
            records.push(...stockRecords(p, variations));
          }
        }
        yield out(records, entity === 'product' ? page.total : undefined);
      }
      break;
    }
    case 'order': {
      for await (const page of ctx.transport.pages<WooOrder>('orders', window, { signal, perPage: opts.pageSize, entity })) {
        const admitted = page.items.filter((o) => t.admit(String(o.id), o.date_modified_gmt, o));
        const detailed = await Promise.all(admitted.map((o) => withRefundDetails(ctx, o)));
        yield out(detailed.map((o) => orderRecord(ctx, o)), page.total);
      }
      break;
    }
    case 'customer': {
      const since = t.since();
      for await (const page of ctx.transport.pages<WooCustomer>('customers', { orderby: 'id', order: 'asc' }, { signal, perPage: opts.pageSize, entity })) {
        const fresh = page.items.filter((c) => (!since || (c.date_modified_gmt ?? '') > since) && t.admit(String(c.id), c.date_modified_gmt, c));
        yield out(fresh.map(customerRecord));
      }
      break;
    }
    case 'category': {
      for await (const page of ctx.transport.pages<WooCategory>('products/categories', { orderby: 'id', order: 'asc' }, { signal, perPage: opts.pageSize, entity })) {
        yield out(page.items.map(categoryRecord));
      }
      break;
    }
    default:
      throw new SyncError('config', `the WooCommerce connector cannot read ${entity}`, { system: SYSTEM, entity, hint: 'readable: category, product, price, customer, order, stock' });
  }
  if (!yielded) yield out([]);
}
