/**
 * `import`: shop order → ERP sale order (import-order.ts), right after finding no ERP order with its number
 * under the order's lease; the link, the stored row, the sales and the step in one transaction.
 */
import { importOrder } from '../import-order.js';
import { markDone, recordStep, type LifecycleStep } from '../order-context.js';
import { isImportable, shopFields } from '../order-state.js';

export const importIntoErp: LifecycleStep = {
  name: 'import',
  appliesTo: (s) => s.erp === null && isImportable(s.order),
  async run(ctx) {
    const { engine, state } = ctx;
    const { order, shopId } = state;
    const res = await importOrder(engine, shopId, order, state.lookups);
    const erp = (state.erp = res.order);
    const row = shopFields(shopId, order);
    const result = { erpId: erp.id, name: erp.name, created: res.created, rounding: res.rounding?.amount ?? null };
    await engine.store.transaction(async (tx) => {
      await engine.store.links.upsertMany([{ entity: 'order', shopId, erpId: erp.id }], tx);
      await engine.store.orders.upsert({ ...row, erpId: erp.id, erpName: erp.name, erpState: erp.state, erpTotal: erp.total.amount, importedAt: Date.now() }, tx);
      await engine.store.orders.recordSales(shopId, row.lines, row.orderedAt, tx);
      await recordStep(ctx, 'import', result, tx, { name: erp.name, created: res.created, total: erp.total.toString(), rounding: res.rounding?.toString() ?? null });
    });
    markDone(state, 'import', result);
  },
};
