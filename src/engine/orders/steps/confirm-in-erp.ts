/** `confirm`: the ERP draft is confirmed — at once (orders.confirm: immediately) or once the shop order is paid. */
import { once, type LifecycleStep } from '../order-context.js';
import { isDone, isPaid } from '../order-state.js';

export const confirmInErp: LifecycleStep = {
  name: 'confirm',
  appliesTo: (s) => s.erp?.state === 'draft' && s.order.status !== 'cancelled' && (s.settings.confirm === 'immediately' || isPaid(s.order)) && !isDone(s, 'confirm'),
  run: (ctx) =>
    once(ctx, 'confirm', async () => {
      // the draft read (or created) in this run: confirmed, it comes back without another read
      const erp = (ctx.state.erp = await ctx.engine.erp.orders.confirmOrder(ctx.state.erp!.id, ctx.state.erp!));
      return { state: erp.state };
    }),
};
