/**
 * Offset pages in ascending id order that survive a record leaving the set mid-read. WooCommerce has no
 * "id greater than" filter, so paging is by offset; when the set shrinks between pages (X-WP-Total
 * drops: a record trashed or deleted), the records after the gap moved left by one and the first of this
 * page slid onto a page already read. That page is dropped and the read starts over; the caller skips
 * the ids it already has (all below the slid record). Used by the change feed and by the listing.
 *
 * Pages are read several at once (settings `readConcurrency`, transport.ts `pages`), so page n+1 may be
 * answered before page n. The rule still holds because it compares each page with the one before it in
 * PAGE order, whatever the order they were read in: a record that left the set at an offset below page
 * n+1 loses a record only when page n was read before it left and page n+1 after — then page n+1's total
 * is below page n's and the read starts over. Read the other way round (n+1 first), the records of page
 * n moved left onto it: one record comes twice (dropped by the id filter), none is lost. A set that grows
 * (a new product takes the next id, at the end) moves no earlier offset. What this cannot see is the same
 * as before: a record leaving and another entering below the page between two page reads (equal totals).
 * A growing set read out of order can look like a shrink (page n read after a product was added, n+1
 * before): that costs a restart, never a record.
 */
import type { ReadOptions } from '../contract.js';
import type { WooContext } from './context.js';
import { wooTime } from './feed-tracker.js';
import type { Query, WooPage } from './transport.js';

/** Restarts of a read whose result set shrank under it. */
const MAX_RESTARTS = 3;

/** `onPage(serverTime)`: the server's time of each page ("YYYY-MM-DDTHH:MM:SS", local clock when absent). */
export async function* idPages<T extends { id: number }>(ctx: WooContext, path: string, query: Query, opts: ReadOptions, entity: string, onPage?: (serverTime: string) => void): AsyncGenerator<WooPage<T>> {
  const localStart = wooTime(Date.now());
  for (let restart = 0; ; restart += 1) {
    let prevTotal: number | undefined;
    let shrunk = false;
    for await (const page of ctx.transport.pages<T>(path, { ...query, orderby: 'id', order: 'asc' }, { signal: opts.signal, perPage: opts.pageSize, entity, concurrency: ctx.settings.readConcurrency })) {
      onPage?.(page.serverTime === null ? localStart : wooTime(page.serverTime));
      shrunk = restart < MAX_RESTARTS && prevTotal !== undefined && page.total !== undefined && page.total < prevTotal;
      if (shrunk) break;
      prevTotal = page.total;
      yield page;
    }
    if (!shrunk) return;
  }
}

/** Pages of ids not seen yet (a restarted read passes over what it delivered). */
export async function* freshIdPages<T extends { id: number }>(pages: AsyncIterable<WooPage<T>>): AsyncGenerator<WooPage<T>> {
  let after = 0;
  for await (const page of pages) {
    const items = page.items.filter((i) => i.id > after);
    for (const i of items) after = Math.max(after, i.id);
    yield { ...page, items };
  }
}
