/**
 * An earlier attempt of this order that died (e.g. an unknown SKU since added) is settled now. Not a recorded
 * step; only when the run's read saw a dead letter of the order (most runs have none: no statement then).
 */
import { ORDER_SYNC } from '../../jobs/kinds.js';
import type { LifecycleStep } from '../order-context.js';

export const settleDeadLetter: LifecycleStep = {
  name: 'settle',
  appliesTo: (state) => state.deadLetter,
  async run({ engine, state }) {
    await engine.queue.resolveDead(ORDER_SYNC, [`order:${state.shopId}`]);
  },
};
