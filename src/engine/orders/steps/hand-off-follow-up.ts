/**
 * A new order is in the ERP and confirmed: that is what the customer and the warehouse wait for. Its
 * invoice and payment follow in a job of their own, of lower priority, so a burst of orders is confirmed
 * first. The run stops here (with the totals as they are, no invoice read). Not a recorded step.
 */
import { ORDER_FOLLOW_UP_PRIORITY, orderJob } from '../../jobs/kinds.js';
import type { LifecycleStep } from '../order-context.js';
import { importedNow } from '../order-state.js';
import { refreshTotals } from './record-totals.js';

export const handOffFollowUp: LifecycleStep = {
  name: 'follow-up',
  appliesTo: (s) => importedNow(s) && !s.completeNow,
  async run({ engine, state }) {
    await engine.queue.enqueue(orderJob(engine, state.shopId, 'follow-up', { priority: ORDER_FOLLOW_UP_PRIORITY }));
    engine.queue.notify();
    await refreshTotals(engine, state, false);
    return 'stop';
  },
};
