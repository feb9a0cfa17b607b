/**
 * A new order is in the ERP and confirmed: that is what the customer and the warehouse wait for. Its
 * invoice and payment follow in a job of their own, of lower priority, so a burst of orders is confirmed
 * first. The run stops here (with the totals as they are, no invoice read; written by the import and the
 * confirmation already in a run that did both). Not a recorded step.
 */
import { ORDER_FOLLOW_UP_PRIORITY, orderJob } from '../../jobs/kinds.js';
import type { LifecycleStep } from '../order-context.js';
import { importedNow } from '../order-state.js';
import { refreshTotals } from './record-totals.js';

export const handOffFollowUp: LifecycleStep = {
  name: 'follow-up',
  appliesTo: (s) => importedNow(s) && !s.completeNow,
  async run({ engine, state }) {
    // enqueued with the confirmation's record already (confirm-in-erp.ts), or now
    if (!state.followUpQueued) {
      await engine.queue.enqueue(orderJob(engine, state.shopId, 'follow-up', { priority: ORDER_FOLLOW_UP_PRIORITY }));
      engine.queue.notify();
    }
    // the row holds these totals already when this run's import (and confirmation) wrote them
    if (state.rowErp !== state.erp) await refreshTotals(engine, state, false);
    return 'stop';
  },
};
