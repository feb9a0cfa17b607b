/**
 * `import`: shop order → ERP sale order (import-order.ts), right after finding no ERP order with its number
 * under the order's lease; the link, the stored row, the sales and the step written at once (OrderRepo.recordImport:
 * one statement on PostgreSQL, one transaction on SQLite).
 */
import { importOrder } from '../import-order.js';
import { Money } from '../../../model/money.js';
import { markDone, stepAudit, type LifecycleStep } from '../order-context.js';
import { isImportable, shopFields } from '../order-state.js';

export const importIntoErp: LifecycleStep = {
  name: 'import',
  appliesTo: (s) => s.erp === null && isImportable(s.order),
  async run(ctx) {
    const { engine, state } = ctx;
    const { order, shopId } = state;
    const res = await importOrder(engine, shopId, order, state.lookups, ctx.signal);
    const erp = (state.erp = res.order);
    const row = shopFields(shopId, order);
    const result = { erpId: erp.id, name: erp.name, created: res.created, rounding: res.rounding?.amount ?? null };
    // the row holds what the hand-off's totals would write (refunded too): it writes none unless a later step changes the ERP order without writing it
    const refunded = order.refunds.reduce((a, r) => a.add(Money.fromJSON(r.amount)), Money.zero(order.currency));
    await engine.store.orders.recordImport({
      row: { ...row, erpId: erp.id, erpName: erp.name, erpState: erp.state, erpTotal: erp.total.amount, refundedTotal: refunded.amount, importedAt: Date.now() },
      result,
      audit: stepAudit(ctx, 'import', { name: erp.name, created: res.created, total: erp.total.toString(), rounding: res.rounding?.toString() ?? null }, erp.id),
    });
    state.rowErp = erp;
    markDone(state, 'import', result);
  },
};
