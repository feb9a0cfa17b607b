/**
 * An ERP order with the shop number exists that Tandem had not linked (a crash between the ERP's create
 * and the link, or an order entered by hand): linked now instead of imported again. Not a recorded step.
 */
import type { LifecycleStep } from '../order-context.js';
import { importedNow, shopFields } from '../order-state.js';

export const linkFoundOrder: LifecycleStep = {
  name: 'link',
  appliesTo: (s) => s.erp !== null && !s.stored?.erpId && !importedNow(s),
  async run({ engine, state }) {
    const erpId = state.erp!.id;
    await engine.store.links.upsertMany([{ entity: 'order', shopId: state.shopId, erpId }]);
    await engine.store.orders.upsert({ ...shopFields(state.shopId, state.order), erpId, erpName: state.erp!.name, importedAt: Date.now() });
  },
};
