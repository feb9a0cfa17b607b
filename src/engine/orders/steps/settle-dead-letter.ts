/** An earlier attempt of this order that died (e.g. an unknown SKU since added) is settled now. Not a recorded step. */
import { ORDER_SYNC } from '../../jobs/kinds.js';
import type { LifecycleStep } from '../order-context.js';

export const settleDeadLetter: LifecycleStep = {
  name: 'settle',
  appliesTo: () => true,
  async run({ engine, state }) {
    await engine.queue.resolveDead(ORDER_SYNC, [`order:${state.shopId}`]);
  },
};
