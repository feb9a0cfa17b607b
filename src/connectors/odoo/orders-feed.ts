/**
 * listChangedOrders: sale orders whose state, deliveries, returns or invoices changed since the cursor.
 * Three feeds (sale.order, stock.picking of sale orders, customer invoices/credit notes), each restarted
 * `overlapSeconds` before its last second, rows de-duplicated by a hash of the fields that matter (not by
 * write_date, which 17 shows in whole seconds: a create and a confirm in the same second look alike).
 */
import type { Cursor, Json } from '../contract.js';
import { contentHash, decodeCursor, snapshot } from './changes.js';
import { readFeed, type FeedSpec } from './feed.js';
import type { OdooContext } from './context.js';
import { originNames } from './map-finance.js';
import { addSeconds, m2oId, type OdooRecord } from './values.js';

interface OrderFeed {
  key: string;
  spec: FeedSpec;
  orderIds: (env: OdooContext, rows: OdooRecord[]) => Promise<number[]>;
}

function feeds(deliveryStatus: boolean, locked: boolean, delivery: boolean): OrderFeed[] {
  return [
    {
      key: 'order',
      spec: { model: 'sale.order', domain: [], fields: ['state', 'invoice_status', ...(locked ? ['locked'] : []), ...(deliveryStatus ? ['delivery_status'] : [])] },
      orderIds: async (_env, rows) => rows.map((r) => r.id),
    },
    {
      key: 'picking',
      spec: { model: 'stock.picking', domain: [['sale_id', '!=', false]], fields: ['state', 'sale_id', delivery ? 'carrier_tracking_ref' : 'note'] },
      orderIds: async (_env, rows) => rows.map((r) => m2oId(r.sale_id)).filter((x): x is number => x !== null),
    },
    {
      key: 'invoice',
      spec: { model: 'account.move', domain: [['move_type', 'in', ['out_invoice', 'out_refund']], ['invoice_origin', '!=', false]], fields: ['state', 'payment_state', 'invoice_origin', 'amount_residual'] },
      orderIds: async (env, rows) => {
        const names = [...new Set(rows.flatMap((r) => originNames(r.invoice_origin)))];
        if (names.length === 0) return [];
        const orders = await env.t.call<OdooRecord[]>('sale.order', 'search_read', { kwargs: { domain: [['name', 'in', names]], fields: ['id'] } });
        return orders.map((o) => o.id);
      },
    },
  ];
}

export async function listChangedOrders(env: OdooContext, cursor: Cursor | null, opts: { limit?: number } = {}): Promise<{ orderIds: string[]; cursor: Cursor }> {
  const limit = Math.max(1, opts.limit ?? 500);
  const traits = await env.traits();
  const state = decodeCursor(cursor) ?? { v: 1 as const, feeds: {}, seen: {} };
  const out: string[] = [];
  const seenNow = new Set<string>();
  outer: for (const feed of feeds(traits.deliveryStatusField, traits.lockedField, traits.delivery)) {
    const last = state.feeds[feed.key] ?? null;
    const start = last ? addSeconds(last, -env.overlapSeconds) : null;
    for await (const page of readFeed(env.t, feed.spec, start, Math.min(limit, 1000))) {
      const fresh = page.rows.filter((r) => {
        const key = `${feed.key}:${r.id}`;
        const h = contentHash(r);
        const known = state.seen[key]?.[0] === h;
        state.seen[key] = [h, page.maxSecond ?? last ?? '1970-01-01 00:00:00'];
        return !known;
      });
      for (const id of await feed.orderIds(env, fresh)) {
        const s = String(id);
        if (!seenNow.has(s)) {
          seenNow.add(s);
          out.push(s);
        }
      }
      if (page.maxSecond && (!state.feeds[feed.key] || page.maxSecond > (state.feeds[feed.key] as string))) state.feeds[feed.key] = page.maxSecond;
      if (out.length >= limit) break outer;
    }
  }
  return { orderIds: out, cursor: snapshot(state, env.overlapSeconds) as unknown as Json };
}
