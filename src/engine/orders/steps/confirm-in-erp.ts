/**
 * `confirm`: the ERP draft is confirmed — at once (orders.confirm: immediately) or once the shop order is paid.
 * Its record carries what follows it in the same statement (PostgreSQL; one transaction on SQLite): the
 * order row's ERP state, total and name, and — a new order that the hand-off will stop after, run by its
 * job — the follow-up job (hand-off-follow-up.ts). A crash after the ERP's confirmation and before this
 * record leaves neither: the rerun finds the order confirmed, and does its invoice and payment itself.
 */
import { ORDER_FOLLOW_UP_PRIORITY, orderJob } from '../../jobs/kinds.js';
import { markDone, stepAudit, type LifecycleStep } from '../order-context.js';
import { isDone, isPaid } from '../order-state.js';
import { handOffFollowUp } from './hand-off-follow-up.js';

export const confirmInErp: LifecycleStep = {
  name: 'confirm',
  appliesTo: (s) => s.erp?.state === 'draft' && s.order.status !== 'cancelled' && (s.settings.confirm === 'immediately' || isPaid(s.order)) && !isDone(s, 'confirm'),
  async run(ctx) {
    const { engine, state } = ctx;
    const before = state.erp!;
    // the draft read (or created) in this run: confirmed, it comes back without another read
    const erp = (state.erp = await engine.erp.orders.confirmOrder(before.id, before));
    const result = { state: erp.state };
    // the follow-up job joins this record only under the job's claim of the order's key: a job of the key
    // that waits already cannot start before this run ends (a direct call enqueues in the hand-off)
    const followUp = ctx.jobId !== null && handOffFollowUp.appliesTo(state) ? engine.queue.enqueueWrite(orderJob(engine, state.shopId, 'follow-up', { priority: ORDER_FOLLOW_UP_PRIORITY })) : undefined;
    await engine.store.orders.recordStepAudited(state.shopId, 'confirm', result, stepAudit(ctx, 'confirm', result, before.id), undefined, {
      order: { erpState: erp.state, erpTotal: erp.total.amount, erpName: erp.name },
      ...(followUp && { also: followUp }),
    });
    if (state.rowErp === before) state.rowErp = erp;
    if (followUp) {
      state.followUpQueued = true;
      engine.queue.notify();
    }
    markDone(state, 'confirm', result);
  },
};
