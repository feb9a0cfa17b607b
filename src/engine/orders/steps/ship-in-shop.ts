/** `ship:<picking>`: a done ERP delivery → the shop order gets the shipment (carrier, tracking) and "shipped" or "partially shipped". */
import type { ErpShipmentState, ShipmentProgress } from '../../../connectors/contract.js';
import type { Order, OrderStatus } from '../../../model/entities.js';
import { canTransition } from '../../../model/order-status.js';
import { once, type LifecycleStep } from '../order-context.js';
import { doneOutgoing, isDone } from '../order-state.js';

export const shipInShop: LifecycleStep = {
  name: 'ship',
  needsShipments: true,
  appliesTo: (s) => doneOutgoing(s.shipments).some((x) => !isDone(s, `ship:${x.id}`)),
  async run(ctx) {
    const { engine, state } = ctx;
    const shipments = state.shipments ?? [];
    const openOutgoing = shipments.some((s) => s.kind === 'outgoing' && s.state !== 'done' && s.state !== 'cancelled');
    const done = doneOutgoing(shipments);
    for (const [i, s] of done.entries()) {
      await once(ctx, `ship:${s.id}`, async () => {
        await engine.shop.orders.addShipment(state.shopId, toShipment(s), shipmentProgress(state.order, done, i));
        const status: OrderStatus = openOutgoing ? 'partially_shipped' : 'shipped';
        const current = (await engine.shop.orders.getOrder(state.shopId)).data as Order;
        if (canTransition(current.status, status) && current.status !== status) await engine.shop.orders.setStatus(state.shopId, status);
        return { picking: s.name, carrier: s.carrier, tracking: s.trackingNumber, status };
      });
    }
  },
};

/** How much of the order the i-th done delivery completes: "2 of 3 items" (pure). */
export function shipmentProgress(order: Pick<Order, 'lines'>, done: ErpShipmentState[], i: number): ShipmentProgress {
  const items = (s: ErpShipmentState) => s.lines.reduce((n, l) => n + l.done, 0);
  return {
    items: items(done[i]!),
    shipped: done.slice(0, i + 1).reduce((n, s) => n + items(s), 0),
    ordered: order.lines.reduce((n, l) => n + l.quantity, 0),
  };
}

function toShipment(s: ErpShipmentState) {
  return {
    carrier: s.carrier,
    trackingNumber: s.trackingNumber,
    trackingUrl: null,
    lines: s.lines.flatMap((l) => (l.sku ? [{ sku: l.sku, quantity: l.done }] : [])),
    shippedAt: s.doneAt,
    state: 'shipped' as const,
  };
}
