/**
 * What a sale order knows about its progress: delivered and invoiced quantities per line, invoice status,
 * delivery status, invoices.
 */
import type { Env } from '../orm/types.js';
import type { Rec } from '../orm/table.js';
import { parseOrder, sortRecords } from '../orm/order.js';
import { productTemplate } from './product.js';
import { roundFloat } from './money.js';

const SO = 'sale.order';
const SOL = 'sale.order.line';

export function linesOf(env: Env, orderId: number): Rec[] {
  const t = env.model(SOL).table;
  return [...(t.lookup('order_id', orderId) ?? [])].map((id) => t.get(id) as Rec).sort((a, b) => Number(a.sequence ?? 10) - Number(b.sequence ?? 10) || a.id - b.id);
}

export function pickingsOf(env: Env, orderId: number): Rec[] {
  const t = env.model('stock.picking').table;
  return [...(t.lookup('sale_id', orderId) ?? [])].map((id) => t.get(id) as Rec).sort((a, b) => a.id - b.id);
}

/** Delivered quantity from done moves (returns with to_refund count back). */
export function qtyDelivered(env: Env, l: Rec): number {
  const mm = env.model('stock.move').table;
  let q = 0;
  for (const id of mm.lookup('sale_line_id', l.id) ?? []) {
    const m = mm.get(id) as Rec;
    if (m.state !== 'done') continue;
    const to = env.rec('stock.location', m.location_dest_id as number);
    const from = env.rec('stock.location', m.location_id as number);
    if (to?.usage === 'customer' && !(m.origin_returned_move_id && !m.to_refund)) q += Number(m.product_uom_qty ?? 0);
    else if (from?.usage === 'customer' && m.to_refund) q -= Number(m.product_uom_qty ?? 0);
  }
  return roundFloat(q, 4);
}

export function qtyInvoiced(env: Env, l: Rec): number {
  let q = 0;
  for (const id of (l.invoice_lines as number[] | undefined) ?? []) {
    const ml = env.rec('account.move.line', id);
    const mv = ml ? env.rec('account.move', ml.move_id as number) : undefined;
    if (!ml || !mv || mv.state === 'cancel') continue;
    q += mv.move_type === 'out_refund' ? -Number(ml.quantity ?? 0) : Number(ml.quantity ?? 0);
  }
  return roundFloat(q, 4);
}

const confirmed = (env: Env, l: Rec) => ['sale', 'done'].includes(String(env.rec(SO, l.order_id as number)?.state));

export function qtyToInvoice(env: Env, l: Rec): number {
  if (!confirmed(env, l) || l.display_type) return 0;
  const policy = env.value(env.model('product.product'), env.rec('product.product', l.product_id as number) ?? ({ id: 0 } as Rec), 'invoice_policy');
  const base = policy === 'delivery' ? qtyDelivered(env, l) : Number(l.product_uom_qty ?? 0);
  return roundFloat(base - qtyInvoiced(env, l), 4);
}

export function lineInvoiceStatus(env: Env, l: Rec): string {
  if (!confirmed(env, l) || l.display_type) return 'no';
  if (qtyToInvoice(env, l) !== 0) return 'to invoice';
  const policy = env.rec('product.template', productTemplate(env, l.product_id as number)?.id ?? 0)?.invoice_policy;
  if (policy === 'order' && qtyDelivered(env, l) > Number(l.product_uom_qty ?? 0)) return 'upselling';
  if (qtyInvoiced(env, l) >= Number(l.product_uom_qty ?? 0)) return 'invoiced';
  return 'no';
}

export function orderInvoiceStatus(env: Env, o: Rec): string {
  if (o.state !== 'sale' && o.state !== 'done') return 'no';
  const st = linesOf(env, o.id).filter((l) => !l.display_type).map((l) => lineInvoiceStatus(env, l));
  if (st.some((s) => s === 'to invoice')) return 'to invoice';
  if (st.length && st.every((s) => s === 'invoiced')) return 'invoiced';
  if (st.length && st.every((s) => s === 'invoiced' || s === 'upselling')) return 'upselling';
  return 'no';
}

export function deliveryStatus(env: Env, o: Rec): string | false {
  const ps = pickingsOf(env, o.id).filter((p) => p.state !== 'cancel');
  if (!ps.length) return false;
  if (ps.every((p) => p.state === 'done')) return 'full';
  if (ps.some((p) => p.state === 'done')) return 'partial';
  return 'pending';
}

export function invoiceIds(env: Env, o: Rec): number[] {
  const moves = new Set<number>();
  for (const l of linesOf(env, o.id)) {
    for (const id of (l.invoice_lines as number[] | undefined) ?? []) {
      const ml = env.rec('account.move.line', id);
      if (ml && typeof ml.move_id === 'number') moves.add(ml.move_id);
    }
  }
  const am = env.model('account.move');
  const recs = [...moves].map((id) => am.table.get(id)).filter((r): r is Rec => !!r);
  return sortRecords(env, am, recs, parseOrder(am, undefined)).map((r) => r.id);
}

