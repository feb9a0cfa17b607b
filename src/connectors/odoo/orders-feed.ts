/**
 * listChangedOrders: sale orders whose state, deliveries, returns or invoices changed since the cursor.
 * Three feeds (sale.order, stock.picking of sale orders, customer invoices/credit notes), each restarted
 * `overlapSeconds` before its last second, rows de-duplicated by a hash of the fields that matter (not by
 * write_date, which 17 shows in whole seconds: a create and a confirm in the same second look alike).
 *
 * Each listed order also comes with its change (`changes`): the latest write_date second among the rows
 * that listed it and whether all those rows were last written by the connector's own user (write_uid =
 * the integration user): the engine skips an order whose only change is Tandem's own write. write_uid is
 * read next to the fields but left out of the content hash (a cursor stored before it still matches).
 */
import type { Cursor, ErpOrderChange, Json } from '../contract.js';
import { contentHash, decodeCursor, snapshot } from './changes.js';
import { readFeed, secondOf, type FeedSpec } from './feed.js';
import type { OdooContext } from './context.js';
import { originNames } from './map-finance.js';
import { addSeconds, m2oId, odooToIso, type OdooRecord } from './values.js';

interface OrderFeed {
  key: string;
  spec: FeedSpec;
  /** The sale order each row belongs to, as [row, order id] pairs (a row of no known order is left out). */
  rowOrders: (env: OdooContext, rows: OdooRecord[]) => Promise<Array<[OdooRecord, number]>>;
}

function feeds(deliveryStatus: boolean, locked: boolean, delivery: boolean): OrderFeed[] {
  return [
    {
      key: 'order',
      spec: { model: 'sale.order', domain: [], fields: ['state', 'invoice_status', ...(locked ? ['locked'] : []), ...(deliveryStatus ? ['delivery_status'] : []), 'write_uid'] },
      rowOrders: async (_env, rows) => rows.map((r) => [r, r.id]),
    },
    {
      key: 'picking',
      spec: { model: 'stock.picking', domain: [['sale_id', '!=', false]], fields: ['state', 'sale_id', delivery ? 'carrier_tracking_ref' : 'note', 'write_uid'] },
      rowOrders: async (_env, rows) => rows.flatMap((r): Array<[OdooRecord, number]> => {
        const id = m2oId(r.sale_id);
        return id === null ? [] : [[r, id]];
      }),
    },
    {
      key: 'invoice',
      spec: { model: 'account.move', domain: [['move_type', 'in', ['out_invoice', 'out_refund']], ['invoice_origin', '!=', false]], fields: ['state', 'payment_state', 'invoice_origin', 'amount_residual', 'write_uid'] },
      rowOrders: async (env, rows) => {
        const names = [...new Set(rows.flatMap((r) => originNames(r.invoice_origin)))];
        if (names.length === 0) return [];
        const orders = await env.t.call<OdooRecord[]>('sale.order', 'search_read', { kwargs: { domain: [['name', 'in', names]], fields: ['id', 'name'] } });
        const byName = new Map(orders.map((o) => [String(o.name), o.id]));
        return rows.flatMap((r) => originNames(r.invoice_origin).flatMap((n): Array<[OdooRecord, number]> => (byName.has(n) ? [[r, byName.get(n)!]] : [])));
      },
    },
  ];
}

export async function listChangedOrders(env: OdooContext, cursor: Cursor | null, opts: { limit?: number } = {}): Promise<{ orderIds: string[]; cursor: Cursor; changes: ErpOrderChange[] }> {
  const limit = Math.max(1, opts.limit ?? 500);
  const traits = await env.traits();
  const uid = await env.t.uid();
  const state = decodeCursor(cursor) ?? { v: 1 as const, feeds: {}, seen: {} };
  const changes = new Map<string, ErpOrderChange>();
  outer: for (const feed of feeds(traits.deliveryStatusField, traits.lockedField, traits.delivery)) {
    const last = state.feeds[feed.key] ?? null;
    const start = last ? addSeconds(last, -env.overlapSeconds) : null;
    for await (const page of readFeed(env.t, feed.spec, start, Math.min(limit, 1000))) {
      const fresh = page.rows.filter((r) => {
        const key = `${feed.key}:${r.id}`;
        const { write_uid: _writer, ...content } = r;
        const h = contentHash(content);
        const known = state.seen[key]?.[0] === h;
        state.seen[key] = [h, page.maxSecond ?? last ?? '1970-01-01 00:00:00'];
        return !known;
      });
      for (const [row, id] of await feed.rowOrders(env, fresh)) {
        const s = String(id);
        const at = odooToIso(secondOf(row)) ?? '1970-01-01T00:00:00Z';
        const own = m2oId(row.write_uid) === uid;
        const prev = changes.get(s);
        if (!prev) changes.set(s, { id: s, at, own });
        else changes.set(s, { id: s, at: at > prev.at ? at : prev.at, own: prev.own && own });
      }
      if (page.maxSecond && (!state.feeds[feed.key] || page.maxSecond > (state.feeds[feed.key] as string))) state.feeds[feed.key] = page.maxSecond;
      if (changes.size >= limit) break outer;
    }
  }
  return { orderIds: [...changes.keys()], cursor: snapshot(state, env.overlapSeconds) as unknown as Json, changes: [...changes.values()] };
}
