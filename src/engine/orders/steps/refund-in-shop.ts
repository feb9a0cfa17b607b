/** `erp-return:<picking>`: a return done in the ERP (not one Tandem made for a shop refund) → a shop refund with restock. */
import type { ErpShipmentState } from '../../../connectors/contract.js';
import { erpReturnRefund } from '../refunds.js';
import { once, type LifecycleStep } from '../order-context.js';
import { isDone, type OrderState } from '../order-state.js';

/**
 * Done ERP returns that did not come from a shop refund: those are recorded in the `refund:` steps and,
 * should the store not know them (fresh store, restored backup), carry Tandem's `shop-refund:` tag.
 */
export function erpReturns(s: Pick<OrderState, 'done' | 'shipments'>): ErpShipmentState[] {
  const ours = new Set<string>();
  for (const [name, step] of s.done) if (name.startsWith('refund:')) for (const id of (step.result as { returnIds?: string[] } | null)?.returnIds ?? []) ours.add(id);
  return (s.shipments ?? []).filter((x) => x.kind === 'return' && x.state === 'done' && !ours.has(x.id) && !x.tandemKey?.startsWith('shop-refund:'));
}

export const refundInShop: LifecycleStep = {
  name: 'erp-return',
  needsShipments: true,
  appliesTo: (s) => erpReturns(s).some((x) => !isDone(s, `erp-return:${x.id}`)),
  async run(ctx) {
    const { engine, state } = ctx;
    for (const s of erpReturns(state)) await once(ctx, `erp-return:${s.id}`, () => erpReturnRefund(engine, state.shopId, state.order, s));
  },
};
