/** The order's finance figures on both sides (for `tandem finance report`), from the ERP state at hand. */
import type { ErpInvoiceState } from '../../../connectors/contract.js';
import { Money } from '../../../model/money.js';
import type { Engine } from '../../context.js';
import type { LifecycleStep } from '../order-context.js';
import { shopFields, type OrderState } from '../order-state.js';

export const recordTotals: LifecycleStep = {
  name: 'totals',
  appliesTo: (s) => s.erp !== null,
  async run({ engine, state }) {
    // only invoice and payment happened, on the one invoice this run created: its state is known, no read
    const onlyInvoicing = state.ran.every((x) => x === 'invoice' || x === 'payment');
    await refreshTotals(engine, state, state.invoices && onlyInvoicing ? state.invoices : state.ran.length > 0 || state.erp!.invoiceIds.length > 0);
  },
};

/** `known`: the order's invoices, or whether to read them (false: the stored invoice figures stay as they are). */
export async function refreshTotals(engine: Engine, state: OrderState, known: ErpInvoiceState[] | boolean): Promise<void> {
  const { order, shopId } = state;
  const erp = state.erp!;
  const readInvoices = known !== false;
  const invoices = Array.isArray(known) ? known : known ? await engine.erp.orders.listInvoices(erp.id) : [];
  const posted = invoices.filter((i) => i.state === 'posted');
  const invoiced = Money.sum(posted.filter((i) => i.kind === 'invoice').map((i) => i.total), order.currency);
  const credited = Money.sum(posted.filter((i) => i.kind === 'credit_note').map((i) => i.total), order.currency);
  const paid = Money.sum(posted.filter((i) => i.kind === 'invoice').map((i) => i.total.sub(i.residual)), order.currency);
  const refunded = order.refunds.reduce((a, r) => a.add(Money.fromJSON(r.amount)), Money.zero(order.currency));
  await engine.store.orders.upsert({
    ...shopFields(shopId, order),
    erpId: erp.id,
    erpName: erp.name,
    erpState: erp.state,
    erpTotal: erp.total.amount,
    refundedTotal: refunded.amount,
    ...(readInvoices && { invoicedTotal: invoiced.amount, creditedTotal: credited.amount, paidTotal: paid.amount }),
  });
}
