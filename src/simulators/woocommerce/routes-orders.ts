/** /orders, /orders/<id>, /orders/batch, /orders/<id>/refunds, /orders/<id>/notes. */
import type { OrderRec, RefundRec } from './state.js';
import type { SimRequest, SimResponse } from './respond.js';
import { WpError, dateParam, invalidParam, listParam, notFound, paginate, sortBy } from './respond.js';
import { serializeNote, serializeOrder, serializeRefund } from './serialize-order.js';
import { createOrderRecord, updateOrderRecord } from './write-order.js';
import { ORDER_STATUSES, addNote, restockItems, setOrderStatus } from './order-effects.js';
import type { RouteCtx } from './routes-products.js';
import { batchItems } from './batch.js';
import { Decimal } from '../../model/decimal.js';

const LIST_STATUSES = ['any', 'trash', ...ORDER_STATUSES];

function getOrder(ctx: RouteCtx, id: number, status = 404): OrderRec {
  const o = ctx.state.orders.get(id);
  if (!o) throw new WpError('woocommerce_rest_shop_order_invalid_id', 'Invalid ID.', status);
  return o;
}

function listOrders(req: SimRequest, ctx: RouteCtx): SimResponse {
  const q = req.query;
  const statuses = listParam(req, 'status') ?? ['any'];
  statuses.forEach((s, i) => {
    if (!LIST_STATUSES.includes(s)) {
      const msg = `status[${i}] is not one of ${LIST_STATUSES.slice(0, -1).join(', ')}, and ${LIST_STATUSES.at(-1)}.`;
      throw invalidParam('status', msg, 'rest_not_in_enum');
    }
  });
  const modAfter = dateParam(req, 'modified_after');
  const modBefore = dateParam(req, 'modified_before');
  const after = dateParam(req, 'after');
  const before = dateParam(req, 'before');
  const include = listParam(req, 'include')?.map(Number) ?? null;
  const customer = q.customer !== undefined ? Number(q.customer) : null;
  const search = q.search?.toLowerCase();
  const items = [...ctx.state.orders.values()].filter(
    (o) =>
      (statuses.includes('any') ? o.status !== 'trash' : statuses.includes(o.status)) &&
      (modAfter === null || o.modified > modAfter) &&
      (modBefore === null || o.modified < modBefore) &&
      (after === null || o.created > after) &&
      (before === null || o.created < before) &&
      (!include || include.includes(o.id)) &&
      (customer === null || o.customerId === customer) &&
      (!search || JSON.stringify([o.billing, o.shipping, o.lineItems.map((l) => l.name)]).toLowerCase().includes(search)),
  );
  const orderby = q.orderby ?? 'date';
  const key = orderby === 'id' ? (o: OrderRec) => o.id : orderby === 'modified' ? (o: OrderRec) => o.modified : orderby === 'include' && include ? (o: OrderRec) => include.indexOf(o.id) : (o: OrderRec) => o.created;
  const sorted = sortBy(items, key, (q.order ?? 'desc') === 'desc', (o) => o.id, orderby === 'modified' ? 'unstable' : 'by-id');
  const { page, headers } = paginate(req, sorted);
  return { status: 200, body: page.map((o) => serializeOrder(o, ctx.state, req.base)), headers };
}

function deleteOrder(req: SimRequest, ctx: RouteCtx, id: number, force: boolean): Record<string, unknown> {
  const o = getOrder(ctx, id);
  const before = serializeOrder(o, ctx.state, req.base);
  if (force) {
    ctx.state.orders.delete(id);
  } else {
    if (o.status === 'trash') throw new WpError('woocommerce_rest_already_trashed', 'The order has already been deleted.', 410);
    o.trashedFrom = o.status;
    o.status = 'trash';
    o.modified = ctx.state.now();
  }
  ctx.state.touch();
  ctx.fire('order.deleted', 'order', id);
  return before;
}

export function orderRoutes(req: SimRequest, ctx: RouteCtx, parts: string[]): SimResponse | null {
  const { state } = ctx;
  const m = req.method;
  if (parts.length === 1) {
    if (m === 'GET') return listOrders(req, ctx);
    if (m === 'POST') {
      const o = createOrderRecord(state, req.body, ctx.fire);
      return { status: 201, body: serializeOrder(o, state, req.base), headers: { Location: `${req.base}/wp-json/wc/v3/orders/${o.id}` } };
    }
    return null;
  }
  if (parts[1] === 'batch' && parts.length === 2) {
    return {
      status: 200,
      body: batchItems(req.body, {
        create: (item) => serializeOrder(createOrderRecord(state, item, ctx.fire), state, req.base),
        update: (item) => {
          const o = getOrder(ctx, Number(item.id), 400);
          updateOrderRecord(state, o, item, ctx.fire);
          return serializeOrder(o, state, req.base);
        },
        delete: (id) => deleteOrder(req, ctx, id, req.query.force === 'true'),
      }),
    };
  }
  const id = Number(parts[1]);
  if (!Number.isInteger(id)) return null;
  if (parts.length === 2) {
    if (m === 'GET') return { status: 200, body: serializeOrder(getOrder(ctx, id), state, req.base) };
    if (m === 'PUT' || m === 'PATCH' || m === 'POST') {
      const o = getOrder(ctx, id, 400);
      updateOrderRecord(state, o, req.body, ctx.fire);
      return { status: 200, body: serializeOrder(o, state, req.base) };
    }
    if (m === 'DELETE') return { status: 200, body: deleteOrder(req, ctx, id, req.query.force === 'true') };
    return null;
  }
  if (parts[2] === 'notes') return noteRoutes(req, ctx, getOrder(ctx, id), parts.slice(3));
  if (parts[2] === 'refunds') return refundRoutes(req, ctx, getOrder(ctx, id), parts.slice(3));
  return null;
}

function noteRoutes(req: SimRequest, ctx: RouteCtx, o: OrderRec, rest: string[]): SimResponse | null {
  const { state } = ctx;
  const notes = state.notes.get(o.id) ?? [];
  if (rest.length === 0) {
    if (req.method === 'GET') {
      const type = req.query.type ?? 'any';
      const list = notes.filter((n) => type === 'any' || (type === 'customer' ? n.customerNote : !n.customerNote));
      const sorted = [...list].sort((a, b) => b.created - a.created || a.id - b.id);
      return { status: 200, body: sorted.map((n) => serializeNote(n, req.base)) };
    }
    if (req.method === 'POST') {
      const text = req.body.note;
      if (typeof text !== 'string' || text === '') throw new WpError('woocommerce_rest_missing_note', 'Invalid order note.', 400);
      const author = req.body.added_by_user === true ? 'admin' : 'WooCommerce';
      const id = addNote(state, o.id, text, req.body.customer_note === true, author);
      const n = state.notes.get(o.id)!.find((x) => x.id === id)!;
      return { status: 201, body: serializeNote(n, req.base), headers: { Location: `${req.base}/wp-json/wc/v3/orders/${o.id}/notes/${id}` } };
    }
    return null;
  }
  const n = notes.find((x) => x.id === Number(rest[0]));
  if (!n) throw notFound('woocommerce_rest_invalid_id', 'Invalid resource ID.');
  if (req.method === 'GET') return { status: 200, body: serializeNote(n, req.base) };
  if (req.method === 'DELETE') {
    if (req.query.force !== 'true') throw new WpError('woocommerce_rest_trash_not_supported', 'The resource does not support trashing.', 501);
    notes.splice(notes.indexOf(n), 1);
    return { status: 200, body: serializeNote(n, req.base) };
  }
  return null;
}

function refundedSoFar(ctx: RouteCtx, o: OrderRec): Decimal {
  return o.refundIds.reduce((a, id) => a.add(ctx.state.refunds.get(id)?.amount ?? '0'), Decimal.ZERO);
}

function createRefund(req: SimRequest, ctx: RouteCtx, o: OrderRec): RefundRec {
  const { state } = ctx;
  const body = req.body;
  if (body.amount !== undefined && typeof body.amount !== 'string') {
    throw new WpError('rest_invalid_param', 'Invalid parameter(s): amount', 400, {
      params: { amount: 'amount is not of type string.' },
      details: { amount: { code: 'rest_invalid_type', message: 'amount is not of type string.', data: { param: 'amount' } } },
    });
  }
  const lines = Array.isArray(body.line_items) ? (body.line_items as Array<Record<string, unknown>>) : [];
  let amount = body.amount !== undefined && Decimal.isDecimal(body.amount) ? Decimal.parse(body.amount as string) : null;
  if (amount === null) amount = lines.reduce((a, l) => a.add(Decimal.isDecimal(l.refund_total) ? String(l.refund_total) : '0'), Decimal.ZERO);
  if (amount.cmp(0) <= 0) throw new WpError('woocommerce_rest_invalid_order_refund', 'Refund amount must be greater than zero.', 400);
  const remaining = Decimal.parse(o.total).sub(refundedSoFar(ctx, o));
  if (amount.cmp(remaining) > 0) {
    throw new WpError('woocommerce_rest_cannot_create_order_refund', 'Invalid refund amount.', 500, {}, true);
  }
  const refundLines = [];
  const restock = [];
  for (const raw of lines) {
    const line = o.lineItems.find((l) => l.id === Number(raw.id));
    if (!line) continue;
    const qty = Number(raw.quantity ?? 0);
    const total = Decimal.isDecimal(raw.refund_total) ? Decimal.parse(String(raw.refund_total)) : Decimal.ZERO;
    refundLines.push({
      ...line,
      id: state.nextItemId(),
      quantity: -qty,
      subtotal: total.neg().toFixed(2),
      total: total.neg().toFixed(2),
      price: line.price,
      meta: [{ id: state.nextMetaId(), key: '_refunded_item_id', value: String(line.id), display_key: '_refunded_item_id', display_value: String(line.id) }],
    });
    restock.push({ line, qty });
  }
  const r: RefundRec = {
    id: state.nextPostId(),
    orderId: o.id,
    created: state.now(),
    amount: amount.toFixed(2),
    reason: typeof body.reason === 'string' ? body.reason : '',
    refundedBy: 1,
    refundedPayment: false,
    meta: [],
    lineItems: refundLines,
  };
  state.refunds.set(r.id, r);
  o.refundIds.unshift(r.id);
  if (body.api_restock !== false) restockItems(state, o, restock, ctx.fire);
  ctx.fire('order.updated', 'order', o.id);
  if (refundedSoFar(ctx, o).cmp(o.total) >= 0) setOrderStatus(state, o, 'refunded', ctx.fire);
  o.modified = state.now();
  state.touch();
  return r;
}

function refundRoutes(req: SimRequest, ctx: RouteCtx, o: OrderRec, rest: string[]): SimResponse | null {
  const { state } = ctx;
  if (rest.length === 0) {
    if (req.method === 'GET') {
      const list = o.refundIds.map((id) => state.refunds.get(id)).filter((r): r is RefundRec => !!r);
      const { page, headers } = paginate(req, list);
      return { status: 200, body: page.map((r) => serializeRefund(r, req.base)), headers };
    }
    if (req.method === 'POST') {
      const r = createRefund(req, ctx, o);
      // WordPress really builds this Location from the route pattern.
      return { status: 201, body: serializeRefund(r, req.base), headers: { Location: `${req.base}/wp-json/wc/v3/orders/(?P<order_id>[\\d]+)/refunds/${r.id}` } };
    }
    return null;
  }
  const r = state.refunds.get(Number(rest[0]));
  if (!r || r.orderId !== o.id) throw notFound('woocommerce_rest_invalid_id', 'Invalid ID.');
  if (req.method === 'GET') return { status: 200, body: serializeRefund(r, req.base) };
  if (req.method === 'DELETE') {
    if (req.query.force !== 'true') throw new WpError('woocommerce_rest_trash_not_supported', 'Refunds do not support trashing.', 501);
    state.refunds.delete(r.id);
    o.refundIds = o.refundIds.filter((x) => x !== r.id);
    state.touch();
    return { status: 200, body: serializeRefund(r, req.base) };
  }
  return null;
}
