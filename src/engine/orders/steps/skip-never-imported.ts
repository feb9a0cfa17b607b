/** A shop order that is cancelled, failed or refunded and was never imported: nothing to do, ever. */
import { audit, type LifecycleStep } from '../order-context.js';
import { isImportable } from '../order-state.js';

export const skipNeverImported: LifecycleStep = {
  name: 'skip:import',
  appliesTo: (s) => s.erp === null && !isImportable(s.order),
  async run(ctx) {
    const { status } = ctx.state.order;
    await audit(ctx, 'skip:import', { reason: `order is ${status} in the shop and was never imported` }, null);
    ctx.state.skipped = `order is ${status} in the shop`;
    return 'stop';
  },
};
