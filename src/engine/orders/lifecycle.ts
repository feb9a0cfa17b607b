/**
 * The order lifecycle, in order. syncOrder reads the order's state once, then goes down this list: each
 * step whose appliesTo holds runs; a step that ends the run ('stop') ends it. Recorded steps are done at
 * most once per order (order_steps), so a rerun picks up where an interrupted one stopped.
 *
 *   step                 recorded as       does                                                 undo
 *   skipNeverImported    —                 cancelled/failed/refunded in the shop, never imported: stop
 *   importIntoErp        import            shop order → ERP sale order                          discard the draft (total mismatch)
 *   linkFoundOrder       —                 an ERP order with the shop number exists: link it
 *   cancelInErp          cancel:erp        shop cancelled → ERP cancelled (+ credit note)
 *   confirmInErp         confirm           ERP draft → confirmed                                cancel
 *   handOffFollowUp      —                 a new order: invoice and payment in a follow-up job: stop
 *   invoiceInErp         invoice           post the ERP invoice                                 credit note
 *   registerPayment      payment           register the shop payment                            refund
 *   shipInShop           ship:<picking>    ERP delivery done → shop shipped + tracking
 *   refundInErp          refund:<id>       shop refund → ERP return picking (restock) + credit note
 *   refundInShop         erp-return:<id>   ERP return → shop refund with restock
 *   cancelInShop         cancel:shop       ERP cancelled → shop cancelled (+ refund when paid)
 *   recordTotals         —                 finance figures of both sides, for the reports
 *   settleDeadLetter     —                 an earlier failed attempt of the order is settled
 */
import type { LifecycleStep } from './order-context.js';
import { cancelInErp } from './steps/cancel-in-erp.js';
import { cancelInShop } from './steps/cancel-in-shop.js';
import { confirmInErp } from './steps/confirm-in-erp.js';
import { handOffFollowUp } from './steps/hand-off-follow-up.js';
import { importIntoErp } from './steps/import-into-erp.js';
import { invoiceInErp } from './steps/invoice-in-erp.js';
import { linkFoundOrder } from './steps/link-found-order.js';
import { recordTotals } from './steps/record-totals.js';
import { refundInErp } from './steps/refund-in-erp.js';
import { refundInShop } from './steps/refund-in-shop.js';
import { registerPayment } from './steps/register-payment.js';
import { settleDeadLetter } from './steps/settle-dead-letter.js';
import { shipInShop } from './steps/ship-in-shop.js';
import { skipNeverImported } from './steps/skip-never-imported.js';

export const ORDER_LIFECYCLE: readonly LifecycleStep[] = [
  skipNeverImported,
  importIntoErp,
  linkFoundOrder,
  cancelInErp,
  confirmInErp,
  handOffFollowUp,
  invoiceInErp,
  registerPayment,
  shipInShop,
  refundInErp,
  refundInShop,
  cancelInShop,
  recordTotals,
  settleDeadLetter,
];
