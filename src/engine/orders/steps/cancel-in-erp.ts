/** `cancel:erp`: the shop cancelled the order → the ERP order is cancelled; money already invoiced goes back through a credit note. */
import { Money } from '../../../model/money.js';
import { creditNote } from '../refunds.js';
import { once, type LifecycleStep } from '../order-context.js';
import { isDone } from '../order-state.js';

export const cancelInErp: LifecycleStep = {
  name: 'cancel:erp',
  appliesTo: (s) => s.order.status === 'cancelled' && s.erp !== null && s.erp.state !== 'cancelled' && !isDone(s, 'cancel:erp'),
  run: (ctx) =>
    once(ctx, 'cancel:erp', async () => {
      const { engine, state } = ctx;
      const { order, shopId } = state;
      const erpId = state.erp!.id;
      const erp = (state.erp = await engine.erp.orders.cancelOrder(erpId));
      await engine.store.orders.clearSales(shopId);
      // never more than invoiced − credited
      const credit = await creditNote(engine, erpId, order.currency, Money.fromJSON(order.total), `order ${order.number} cancelled in the shop`, `cancel:${shopId}`);
      return { state: erp.state, credit };
    }),
};
