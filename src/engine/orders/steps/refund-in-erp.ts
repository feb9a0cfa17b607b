/** `refund:<id>`: a shop refund → an ERP return picking for what comes back to stock, and a credit note (refunds.ts). */
import { shopRefundActions } from '../refunds.js';
import { once, type LifecycleStep } from '../order-context.js';
import { isDone } from '../order-state.js';

export const refundInErp: LifecycleStep = {
  name: 'refund',
  needsShipments: true,
  appliesTo: (s) => s.erp !== null && s.order.refunds.some((r) => !isDone(s, `refund:${r.id}`)),
  async run(ctx) {
    const { engine, state } = ctx;
    for (const refund of state.order.refunds) {
      await once(ctx, `refund:${refund.id}`, () => shopRefundActions(engine, state.order, state.erp!.id, refund, state.shipments ?? [], state.done));
    }
  },
};
