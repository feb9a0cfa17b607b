/**
 * Order actions of the shop, each idempotent and checking the current state first:
 * `POST /orders/{id}/status {status, note}`, `POST /orders/{id}/shipments {carrier, tracking_number,
 * tracking_url, lines}`, `POST /orders/{id}/refunds {key, …}` (the shop dedupes by key: 201 created,
 * 200 existing), `POST /orders/{id}/returns {key, lines, reason}`.
 */
import type { Money, Order, OrderStatus, Shipment } from '../../model/index.js';
import { SyncError } from '../../shared/errors.js';
import type { ShopOrderActions, SourceRecord } from '../contract.js';
import type { RestShopContext } from './context.js';
import { SYSTEM } from './errors.js';
import { statusToWire } from './map-order-read.js';
import { mapRecord } from './map-record.js';
import type { CompiledShape } from './shapes.js';
import { idStr, obj, singleRecord } from './wire-values.js';

export interface RestShopOrderActions extends ShopOrderActions {
  /** Records a return request/receipt in the shop; `key` makes it idempotent. */
  recordReturn(id: string, ret: { key: string; lines: Array<{ sku: string; quantity: number }>; reason?: string; state?: 'requested' | 'received' | 'done' }): Promise<{ id: string; created: boolean }>;
}

export type OrderActionDeps = Pick<RestShopContext, 'transport' | 'mapper'> & { shape: CompiledShape };

export function createOrderActions(deps: OrderActionDeps): RestShopOrderActions {
  const { transport: t, shape } = deps;
  const base = (id: string) => `${shape.path}/${encodeURIComponent(id)}`;

  async function getOrder(id: string): Promise<SourceRecord<'order'>> {
    const res = await t.json('GET', base(id), { entity: 'order', record: id });
    return (await mapRecord('order', singleRecord(res.body), shape, deps.mapper)).record;
  }

  async function current(id: string): Promise<Order> {
    const rec = await getOrder(id);
    if (!rec.data) throw rec.error ?? new SyncError('mapping', `order ${id} could not be read`, { system: SYSTEM, entity: 'order', record: id });
    return rec.data;
  }

  async function post(id: string, action: string, body: unknown): Promise<{ status: number; body: unknown }> {
    return t.json('POST', `${base(id)}/${action}`, { body, entity: 'order', record: id });
  }

  return {
    getOrder,

    async setStatus(id: string, status: OrderStatus, opts?: { note?: string }): Promise<void> {
      const order = await current(id);
      if (order.status === status) return;
      await post(id, 'status', { status: statusToWire(status, deps.mapper.statuses), ...(opts?.note !== undefined && { note: opts.note }) });
    },

    async addShipment(id: string, shipment: Shipment): Promise<void> {
      const order = await current(id);
      if (shipment.trackingNumber && order.shipments.some((s) => s.trackingNumber === shipment.trackingNumber)) return;
      await post(id, 'shipments', {
        carrier: shipment.carrier,
        tracking_number: shipment.trackingNumber,
        tracking_url: shipment.trackingUrl,
        lines: shipment.lines,
        ...(shipment.shippedAt && { shipped_at: shipment.shippedAt }),
      });
    },

    async recordRefund(id: string, refund: { key: string; amount: Money; reason: string; restock: boolean; lines: Array<{ sku: string; quantity: number; amount?: Money }> }) {
      const res = await post(id, 'refunds', {
        key: refund.key,
        amount: refund.amount.amount,
        currency: refund.amount.currency,
        reason: refund.reason,
        restock: refund.restock,
        lines: refund.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, ...(l.amount && { amount: l.amount.amount }) })),
      });
      return { id: createdId(res.body, id, 'refund'), created: res.status === 201 };
    },

    async recordReturn(id, ret) {
      const res = await post(id, 'returns', { key: ret.key, lines: ret.lines, reason: ret.reason ?? '', state: ret.state ?? 'requested' });
      return { id: createdId(res.body, id, 'return'), created: res.status === 201 };
    },
  };
}

function createdId(body: unknown, orderId: string, what: string): string {
  const id = idStr(obj(obj(body).data).id) ?? idStr(obj(body).id);
  if (id === undefined) throw new SyncError('invalid_data', `the shop recorded the ${what} on order ${orderId} but returned no id`, { system: SYSTEM, entity: 'order', record: orderId });
  return id;
}
