/**
 * Refunds and returns, both directions, exact to the cent.
 * Shop refund → ERP: a return picking for the refunded quantities that come back to stock (when the goods
 * were delivered and the refund restocks), validated; and a credit note for the refunded amount, capped
 * at what is invoiced and not yet credited (so a cancellation's credit note is never doubled).
 * ERP return → shop: a refund with restock for the returned quantities at the prices the customer paid.
 */
import type { ErpShipmentState, Json } from '../../connectors/contract.js';
import type { Order, Refund } from '../../model/entities.js';
import { Money } from '../../model/money.js';
import type { OrderStep } from '../../store/order-repo.js';
import type { Engine } from '../context.js';

/** Invoiced minus credited on the ERP side: the most a new credit note may take back. */
export async function creditable(engine: Engine, erpId: string, currency: string): Promise<{ invoiceId: string | null; amount: Money }> {
  const invoices = (await engine.erp.orders.listInvoices(erpId)).filter((i) => i.state === 'posted');
  const inv = invoices.filter((i) => i.kind === 'invoice');
  const invoiced = Money.sum(inv.map((i) => i.total), currency);
  const credited = Money.sum(invoices.filter((i) => i.kind === 'credit_note').map((i) => i.total), currency);
  return { invoiceId: inv[0]?.id ?? null, amount: invoiced.sub(credited) };
}

export async function creditNote(engine: Engine, erpId: string, currency: string, amount: Money, reason: string, key: string): Promise<Json> {
  const { invoiceId, amount: open } = await creditable(engine, erpId, currency);
  if (!invoiceId) return { creditNote: null, reason: 'not invoiced: nothing to credit' };
  const take = amount.cmp(open) > 0 ? open : amount;
  if (take.isZero() || take.isNegative()) return { creditNote: null, reason: 'already credited' };
  const cn = await engine.erp.orders.createCreditNote(invoiceId, { amount: take, reason, key });
  return { creditNote: cn.id, name: cn.name, amount: cn.total.amount };
}

/** Keys Tandem tags its own effects with, so a rerun (even with a fresh store) finds them in the remote. */
export const shopRefundKey = (refundId: string): string => `shop-refund:${refundId}`;
export const erpReturnKey = (pickingId: string): string => `erp-return:${pickingId}`;

export async function shopRefundActions(engine: Engine, order: Order, erpId: string, refund: Refund, shipments: ErpShipmentState[], _done: Map<string, OrderStep>): Promise<Json> {
  const key = shopRefundKey(refund.id);
  // The goods are back already when the ERP holds the return: Tandem's own from an earlier run (its key)
  // or the ERP return this shop refund was made for (the refund's key) — never return them twice.
  const mirrored = refund.tandemKey?.startsWith('erp-return:') ? refund.tandemKey.slice('erp-return:'.length) : null;
  const existing = shipments.find((s) => s.kind === 'return' && (s.tandemKey === key || s.id === mirrored));
  if (existing || mirrored) {
    const credit = await creditNote(engine, erpId, order.currency, Money.fromJSON(refund.amount), refund.reason || `refund ${refund.id} of order ${order.number}`, key);
    return { refundId: refund.id, amount: refund.amount.amount, returnIds: existing ? [existing.id] : mirrored ? [mirrored] : [], returned: [], credit };
  }
  const returnIds: string[] = [];
  const delivered = new Map<string, number>();
  for (const s of shipments) {
    if (s.state !== 'done') continue;
    for (const l of s.lines) if (l.sku) delivered.set(l.sku, (delivered.get(l.sku) ?? 0) + (s.kind === 'outgoing' ? l.done : -l.done));
  }
  const toReturn = refund.restock
    ? refund.lines.flatMap((l) => {
        const sku = l.sku ?? order.lines.find((o) => o.id === l.lineId)?.sku ?? null;
        const qty = Math.min(Math.abs(l.quantity), delivered.get(sku ?? '') ?? 0);
        return sku && qty > 0 ? [{ sku, quantity: qty }] : [];
      })
    : [];
  if (toReturn.length) {
    const ret = await engine.erp.orders.createReturn(erpId, toReturn, { key });
    returnIds.push(ret.id);
  }
  const credit = await creditNote(engine, erpId, order.currency, Money.fromJSON(refund.amount), refund.reason || `refund ${refund.id} of order ${order.number}`, key);
  return { refundId: refund.id, amount: refund.amount.amount, returnIds, returned: toReturn, credit };
}

/** What the customer paid for `quantity` units of a SKU (tax included), from the order lines. */
export function refundValue(order: Order, sku: string, quantity: number): Money {
  const line = order.lines.find((l) => l.sku === sku);
  if (!line) return Money.zero(order.currency);
  const total = Money.fromJSON(line.total);
  if (quantity >= line.quantity) return total;
  return Money.of(total.toDecimal().mul(quantity).div(line.quantity, 6), order.currency, 'half-up');
}

export async function erpReturnRefund(engine: Engine, shopId: string, order: Order, ret: ErpShipmentState): Promise<Json> {
  const lines = ret.lines.flatMap((l) => (l.sku && l.done > 0 ? [{ sku: l.sku, quantity: l.done, amount: refundValue(order, l.sku, l.done) }] : []));
  const amount = Money.sum(lines.map((l) => l.amount), order.currency);
  const res = await engine.shop.orders.recordRefund(shopId, { key: erpReturnKey(ret.id), amount, reason: `Returned in ${engine.names.erp} (${ret.name})`, restock: true, lines });
  return { refundId: res.id, amount: amount.amount, picking: ret.name, lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity, amount: l.amount.amount })) };
}
