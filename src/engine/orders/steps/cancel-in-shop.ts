/** `cancel:shop`: the order was cancelled in the ERP → cancelled in the shop, and what was paid and not refunded is refunded. */
import type { Json } from '../../../connectors/contract.js';
import { Money } from '../../../model/money.js';
import { canTransition } from '../../../model/order-status.js';
import { once, type LifecycleStep } from '../order-context.js';
import { isDone } from '../order-state.js';

export const cancelInShop: LifecycleStep = {
  name: 'cancel:shop',
  appliesTo: (s) => s.erp?.state === 'cancelled' && s.order.status !== 'cancelled' && !s.done.has('cancel:erp') && !isDone(s, 'cancel:shop'),
  run: (ctx) =>
    once(ctx, 'cancel:shop', async () => {
      const { engine, state } = ctx;
      const { order, shopId } = state;
      const erp = state.erp!;
      if (canTransition(order.status, 'cancelled')) await engine.shop.orders.setStatus(shopId, 'cancelled', { note: `Cancelled in ${engine.names.erp} (${erp.name})` });
      await engine.store.orders.clearSales(shopId);
      let refund: Json = null;
      if (order.payment) {
        const refunded = order.refunds.reduce((a, r) => a.add(Money.fromJSON(r.amount)), Money.zero(order.currency));
        const left = Money.fromJSON(order.payment.amount).sub(refunded);
        if (!left.isZero() && !left.isNegative()) {
          const r = await engine.shop.orders.recordRefund(shopId, { key: `erp-cancel:${erp.id}`, amount: left, reason: `Order cancelled in ${engine.names.erp}`, restock: true, lines: [] });
          refund = { id: r.id, amount: left.amount };
        }
      }
      return { cancelledInShop: true, refund };
    }),
};
