/**
 * Finance report: per day and currency, what the shop sold and refunded against what the ERP invoiced,
 * credited and received — and every order where the two sides disagree, with the amounts.
 */
import { Money } from '../model/money.js';
import type { OrderRow } from '../store/order-repo.js';
import type { Engine } from './context.js';

export interface FinanceDay {
  day: string;
  currency: string;
  orders: number;
  shopTotal: string;
  shopRefunded: string;
  erpInvoiced: string;
  erpCredited: string;
  erpPaid: string;
}

export interface FinanceDifference {
  day: string;
  order: string;
  shopId: string;
  erpId: string | null;
  what: string;
  shop: string;
  erp: string;
}

const CLOSED = new Set(['cancelled', 'failed']);

function money(v: string | null, currency: string): Money {
  return Money.of(v ?? '0', currency);
}

/** The checks on one order (pure): empty when shop and ERP agree. */
export function orderDifferences(o: OrderRow): Array<Omit<FinanceDifference, 'day'>> {
  const c = o.currency;
  const out: Array<Omit<FinanceDifference, 'day'>> = [];
  const base = { order: o.number, shopId: o.shopId, erpId: o.erpId };
  if (!o.erpId) {
    if (!CLOSED.has(o.shopStatus)) out.push({ ...base, what: 'not in the ERP', shop: `${o.shopTotal} ${c}`, erp: '-' });
    return out;
  }
  const shop = money(o.shopTotal, c);
  if (o.erpTotal !== null && !money(o.erpTotal, c).eq(shop) && o.erpState !== 'cancelled') out.push({ ...base, what: 'order total', shop: shop.toString(), erp: money(o.erpTotal, c).toString() });
  if (o.invoicedTotal !== null) {
    const shopNet = o.shopStatus === 'cancelled' ? money('0', c) : shop.sub(money(o.refundedTotal, c));
    const erpNet = money(o.invoicedTotal, c).sub(money(o.creditedTotal, c));
    if (!money(o.invoicedTotal, c).isZero() && !erpNet.eq(shopNet)) out.push({ ...base, what: 'invoiced − credited vs sold − refunded', shop: shopNet.toString(), erp: erpNet.toString() });
    const paid = money(o.paidTotal, c);
    if (!money(o.invoicedTotal, c).isZero() && !paid.eq(money(o.invoicedTotal, c))) out.push({ ...base, what: 'payment registered vs invoiced', shop: money(o.invoicedTotal, c).toString(), erp: paid.toString() });
  }
  return out;
}

export async function financeReport(engine: Engine, from: number, to: number): Promise<{ days: FinanceDay[]; differences: FinanceDifference[] }> {
  const orders = await engine.store.orders.between(from, to);
  const days = new Map<string, { c: string; n: number; sums: Record<'shop' | 'refunded' | 'invoiced' | 'credited' | 'paid', Money> }>();
  const differences: FinanceDifference[] = [];
  for (const o of orders) {
    const day = new Date(o.orderedAt).toISOString().slice(0, 10);
    const key = `${day} ${o.currency}`;
    const zero = Money.zero(o.currency);
    const d = days.get(key) ?? { c: o.currency, n: 0, sums: { shop: zero, refunded: zero, invoiced: zero, credited: zero, paid: zero } };
    d.n += 1;
    if (!CLOSED.has(o.shopStatus)) d.sums.shop = d.sums.shop.add(money(o.shopTotal, o.currency));
    d.sums.refunded = d.sums.refunded.add(money(o.refundedTotal, o.currency));
    d.sums.invoiced = d.sums.invoiced.add(money(o.invoicedTotal, o.currency));
    d.sums.credited = d.sums.credited.add(money(o.creditedTotal, o.currency));
    d.sums.paid = d.sums.paid.add(money(o.paidTotal, o.currency));
    days.set(key, d);
    for (const diff of orderDifferences(o)) differences.push({ day, ...diff });
  }
  return {
    days: [...days].map(([key, d]) => ({ day: key.slice(0, 10), currency: d.c, orders: d.n, shopTotal: d.sums.shop.amount, shopRefunded: d.sums.refunded.amount, erpInvoiced: d.sums.invoiced.amount, erpCredited: d.sums.credited.amount, erpPaid: d.sums.paid.amount })),
    differences,
  };
}
