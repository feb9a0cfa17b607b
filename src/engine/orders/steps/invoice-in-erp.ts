/** `invoice`: the ERP invoice is created and posted when it is due (orders.invoice: on payment, or on delivery). */
import { once, type LifecycleStep } from '../order-context.js';
import { invoiceDue, isDone } from '../order-state.js';

export const invoiceInErp: LifecycleStep = {
  name: 'invoice',
  needsShipments: true,
  appliesTo: (s) => invoiceDue(s) && !isDone(s, 'invoice'),
  run: (ctx) =>
    once(ctx, 'invoice', async () => {
      const { state } = ctx;
      const hadNone = state.erp!.invoiceIds.length === 0;
      // the order as this run read it (its state and invoices): the connector does not read it again
      const inv = await ctx.engine.erp.orders.createInvoice(state.erp!.id, state.erp!);
      // it had none and made the only one: the order's invoices are known without a read
      if (hadNone) state.invoices = [inv];
      return { invoiceId: inv.id, name: inv.name, total: inv.total.amount };
    }),
};
