/** `payment`: the shop's payment is registered against the order's invoice. */
import { once, type LifecycleStep } from '../order-context.js';
import { invoiceDue, invoiceIdOf, isDone } from '../order-state.js';

export const registerPayment: LifecycleStep = {
  name: 'payment',
  needsShipments: true,
  appliesTo: (s) => invoiceDue(s) && s.order.payment !== null && invoiceIdOf(s) !== '' && !isDone(s, 'payment'),
  run: (ctx) =>
    once(ctx, 'payment', async () => {
      const { state } = ctx;
      const payment = state.order.payment!;
      const invoiceId = invoiceIdOf(state);
      // the invoice this run made, as it was read after posting: not read again
      const known = state.invoices?.find((i) => i.id === invoiceId);
      const inv = await ctx.engine.erp.orders.registerPayment(invoiceId, { orderNumber: state.order.number, amount: payment.amount, method: payment.method, transactionId: payment.transactionId, paidAt: payment.paidAt }, known);
      if (state.invoices && inv.id === invoiceId) state.invoices = [inv];
      return { invoiceId, paymentState: inv.paymentState, amount: payment.amount.amount };
    }),
};
