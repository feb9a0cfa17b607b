/** ShopOrderActions for WooCommerce: status, tracking (meta + customer note), refunds — each idempotent. */
import type { Money, OrderStatus, Shipment } from '../../model/index.js';
import { SyncError } from '../../shared/errors.js';
import type { ShipmentProgress, ShopOrderActions, SourceRecord } from '../contract.js';
import type { WooContext } from './context.js';
import { SYSTEM } from './errors.js';
import { REFUND_KEY_RE, TRACKING_META, trackingOf } from './map-order.js';
import type { TrackingEntry } from './map-order.js';
import { orderRecord, withRefundDetails } from './records.js';
import type { WooOrder } from './wire.js';
import { idSeg } from './path.js';

/**
 * The customer's note of a shipment: WooCommerce has no "partially shipped" status, so a part of the order
 * says so ("2 of 3 items"), and the shipment completing it says it is the rest.
 */
export function shipmentNote(entry: Pick<TrackingEntry, 'carrier' | 'trackingNumber' | 'trackingUrl'>, progress?: ShipmentProgress): string {
  const carrier = entry.carrier ? ` with ${entry.carrier}` : '';
  const tracking = entry.trackingNumber ? `, tracking ${entry.trackingNumber}` : '';
  const url = entry.trackingUrl ? ` (${entry.trackingUrl})` : '';
  const via = `${carrier}${tracking}${url}`;
  const items = (n: number) => `${n} item${n === 1 ? '' : 's'}`;
  if (!progress || progress.ordered <= 0 || (progress.items >= progress.ordered && progress.shipped >= progress.ordered)) return `Your order has shipped${via}`;
  if (progress.shipped < progress.ordered) return `Part of your order has shipped: ${progress.shipped} of ${items(progress.ordered)}${via}. The rest follows.`;
  return `The rest of your order has shipped: ${items(progress.items)} (${progress.shipped} of ${progress.ordered})${via}`;
}

export function createOrderActions(ctx: WooContext): ShopOrderActions {
  const t = ctx.transport;
  const load = async (id: string): Promise<WooOrder> => withRefundDetails(ctx, (await t.request<WooOrder>('GET', `orders/${idSeg(id)}`, { entity: 'order', record: id })).data);

  async function notify(id: string, entries: TrackingEntry[], entry: TrackingEntry, progress?: ShipmentProgress): Promise<void> {
    await t.request('POST', `orders/${idSeg(id)}/notes`, { body: { note: shipmentNote(entry, progress), customer_note: true }, entity: 'order', record: id });
    entry.notified = true;
    await t.request('PUT', `orders/${idSeg(id)}`, { body: { meta_data: [{ key: TRACKING_META, value: entries }] }, entity: 'order', record: id });
  }

  return {
    async getOrder(id: string): Promise<SourceRecord<'order'>> {
      return orderRecord(ctx, await load(id));
    },

    async setStatus(id: string, status: OrderStatus, opts?: { note?: string }): Promise<void> {
      const target = ctx.statusToWoo[status];
      if (!target) throw new SyncError('config', `no WooCommerce status for "${status}"`, { system: SYSTEM, entity: 'order', record: id, hint: 'add it to statusToWoo in tandem.yaml' });
      const o = await load(id);
      if (o.status === target) return;
      await t.request('PUT', `orders/${idSeg(id)}`, { body: { status: target }, entity: 'order', record: id });
      if (opts?.note) await t.request('POST', `orders/${idSeg(id)}/notes`, { body: { note: opts.note, customer_note: false }, entity: 'order', record: id });
    },

    async addShipment(id: string, shipment: Shipment, progress?: ShipmentProgress): Promise<void> {
      const o = await load(id);
      const entries = trackingOf(o);
      const known = entries.find((e) => (e.trackingNumber ?? null) === (shipment.trackingNumber ?? null) && (shipment.trackingNumber !== null || e.carrier === shipment.carrier));
      if (known) {
        // Recorded before; tell the customer if a crash came between the meta and the note.
        if (known.notified === false) await notify(id, entries, known, progress);
        return;
      }
      const entry: TrackingEntry = {
        carrier: shipment.carrier,
        trackingNumber: shipment.trackingNumber,
        trackingUrl: shipment.trackingUrl,
        shippedAt: shipment.shippedAt ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        notified: false,
      };
      entries.push(entry);
      // The meta first: it is the idempotency record. Then the note, then mark it sent.
      await t.request('PUT', `orders/${idSeg(id)}`, { body: { meta_data: [{ key: TRACKING_META, value: entries }] }, entity: 'order', record: id });
      await notify(id, entries, entry, progress);
    },

    async recordRefund(id: string, refund: { key: string; amount: Money; reason: string; restock: boolean; lines: Array<{ sku: string; quantity: number; amount?: Money }> }) {
      const o = await load(id);
      const existing = o.refunds.find((r) => REFUND_KEY_RE.exec(r.reason ?? '')?.[1] === refund.key);
      if (existing) return { id: String(existing.id), created: false };
      if (refund.amount.currency !== o.currency) {
        throw new SyncError('invalid_data', `refund in ${refund.amount.currency} on an order in ${o.currency}`, { system: SYSTEM, entity: 'order', record: id });
      }
      const lineItems = refund.lines.map((l) => {
        const line = o.line_items.find((x) => (x.sku ?? '').toLowerCase() === l.sku.toLowerCase());
        if (!line) throw new SyncError('invalid_data', `order ${id} has no line with SKU ${l.sku}`, { system: SYSTEM, entity: 'order', record: id });
        return { id: line.id, quantity: l.quantity, ...(l.amount ? { refund_total: l.amount.amount } : {}) };
      });
      const reason = `${refund.reason} [tandem:${refund.key}]`.trim();
      const res = await t.request<{ id: number }>('POST', `orders/${idSeg(id)}/refunds`, {
        body: { amount: refund.amount.amount, reason, api_refund: false, api_restock: refund.restock, line_items: lineItems },
        entity: 'order',
        record: id,
      });
      return { id: String(res.data.id), created: true };
    },
  };
}
