/**
 * stock.picking → ErpShipmentState / canonical Shipment, account.move → ErpInvoiceState / canonical Invoice.
 * Pure.
 */
import type { Invoice, Shipment } from '../../model/index.js';
import type { ErpInvoiceState, ErpShipmentState, Json } from '../contract.js';
import type { OdooTraits } from './versions.js';
import { htmlToText, ids, m2oId, m2oName, money, odooToIso, quantity, text, type OdooRecord } from './values.js';

export function pickingFields(traits: OdooTraits): string[] {
  const f = ['name', 'state', 'picking_type_code', 'origin', ...(traits.delivery ? ['carrier_id', 'carrier_tracking_ref'] : ['note']), 'date_done', 'move_ids', 'backorder_id', 'write_date', 'sale_id', 'location_id', 'location_dest_id'];
  return traits.pickingReturnField ? [...f, 'return_id'] : f;
}

/** Without the delivery module a picking has no tracking field: Tandem writes "Tracking number: X" into its note. */
export const TRACKING_NOTE = 'Tracking number: ';

/** The tracking number of a picking: carrier_tracking_ref, else the last "Tracking number: X" of its note. */
export function pickingTracking(p: OdooRecord): string | null {
  const ref = text(p.carrier_tracking_ref);
  if (ref) return ref;
  const note = htmlToText(p.note);
  const all = [...note.matchAll(/Tracking number: *([^\s<]+)/g)];
  return all.length ? (all[all.length - 1]![1] as string) : null;
}

export function moveFields(traits: OdooTraits): string[] {
  return ['picking_id', 'product_id', 'product_uom_qty', traits.moveDoneField, 'state', ...(traits.usesPicked ? ['picked'] : [])];
}

export function shipmentState(state: Json | undefined): ErpShipmentState['state'] {
  switch (state) {
    case 'draft':
      return 'draft';
    case 'waiting':
    case 'confirmed':
      return 'waiting';
    case 'assigned':
      return 'ready';
    case 'done':
      return 'done';
    default:
      return 'cancelled';
  }
}

const TANDEM_TAG = /\[tandem:([^\]]+)\]/;

/** The idempotency key Tandem wrote into a picking's origin ("Return of WH/OUT/00006 [tandem:k]"). */
function tandemKeyOf(origin: string | null): { tandemKey?: string } {
  const m = TANDEM_TAG.exec(origin ?? '');
  return m ? { tandemKey: m[1]! } : {};
}

/** incoming pickings of a sale order are returns; `return_id` (17+) or the origin text says of which delivery. */
export function shipmentFromOdoo(p: OdooRecord, moves: OdooRecord[], skuOf: (id: number) => string | null, traits: OdooTraits): ErpShipmentState {
  const kind = p.picking_type_code === 'incoming' ? 'return' : 'outgoing';
  return {
    id: String(p.id),
    name: text(p.name) ?? '',
    kind,
    state: shipmentState(p.state),
    carrier: m2oName(p.carrier_id),
    trackingNumber: pickingTracking(p),
    doneAt: odooToIso(p.date_done),
    lines: moves
      .filter((m) => m.state !== 'cancel' || p.state === 'cancel')
      .map((m) => {
        const pid = m2oId(m.product_id) ?? 0;
        return { sku: skuOf(pid), productId: String(pid), quantity: quantity(m.product_uom_qty), done: m.state === 'done' ? quantity(m[traits.moveDoneField]) : 0 };
      }),
    ...(kind === 'return' ? { returnOf: m2oId(p.return_id) !== null ? String(m2oId(p.return_id)) : null } : {}),
    ...tandemKeyOf(text(p.origin)),
  };
}

export function shipmentToCanonical(s: ErpShipmentState): Shipment {
  const state: Shipment['state'] = s.state === 'cancelled' ? 'cancelled' : s.state === 'done' ? (s.kind === 'return' ? 'returned' : 'shipped') : 'ready';
  return {
    carrier: s.carrier,
    trackingNumber: s.trackingNumber,
    trackingUrl: null,
    lines: s.lines.filter((l) => l.sku !== null).map((l) => ({ sku: l.sku as string, quantity: s.state === 'done' ? l.done : l.quantity })),
    shippedAt: s.doneAt,
    state,
  };
}

export function invoiceFields(traits: OdooTraits): string[] {
  return ['name', 'state', 'move_type', 'payment_state', 'amount_total', 'amount_residual', 'currency_id', 'invoice_origin', 'ref', 'invoice_date', 'reversed_entry_id', traits.reversalField, 'write_date', 'partner_id', 'journal_id'];
}

export function paymentState(value: Json | undefined): ErpInvoiceState['paymentState'] {
  switch (value) {
    case 'paid':
    case 'invoicing_legacy':
      return 'paid';
    case 'in_payment':
      return 'in_payment';
    case 'partial':
      return 'partial';
    case 'reversed':
      return 'reversed';
    default:
      return 'not_paid';
  }
}

/** Draft invoices have no number yet: "/" in ≤17, false in 18+. */
export function invoiceName(value: Json | undefined): string | null {
  const n = text(value);
  return n && n !== '/' ? n : null;
}

export function invoiceStateFromOdoo(m: OdooRecord, orderIds: string[], fallbackCurrency: string): ErpInvoiceState {
  const currency = m2oName(m.currency_id) ?? fallbackCurrency;
  const reversed = m2oId(m.reversed_entry_id);
  return {
    id: String(m.id),
    name: invoiceName(m.name),
    kind: m.move_type === 'out_refund' ? 'credit_note' : 'invoice',
    state: m.state === 'posted' ? 'posted' : m.state === 'cancel' ? 'cancelled' : 'draft',
    paymentState: paymentState(m.payment_state),
    total: money(m.amount_total, currency),
    residual: money(m.amount_residual, currency),
    orderIds,
    reversalOf: reversed !== null ? String(reversed) : null,
    ...(m.partner_id !== undefined && { partnerId: m2oId(m.partner_id) !== null ? String(m2oId(m.partner_id)) : null }),
  };
}

export function invoiceToCanonical(m: OdooRecord, orderNumber: string | null, fallbackCurrency: string): Invoice {
  const currency = m2oName(m.currency_id) ?? fallbackCurrency;
  const ps = paymentState(m.payment_state);
  const state: Invoice['state'] =
    m.state === 'cancel' ? 'cancelled' : m.state !== 'posted' ? 'draft' : ps === 'paid' || ps === 'in_payment' ? 'paid' : ps === 'partial' ? 'partially_paid' : 'posted';
  return {
    number: invoiceName(m.name),
    orderNumber,
    kind: m.move_type === 'out_refund' ? 'credit_note' : 'invoice',
    state,
    total: money(m.amount_total, currency).toJSON(),
    amountDue: money(m.amount_residual, currency).toJSON(),
    issuedAt: text(m.invoice_date),
  };
}

/** "S00008, S00009" → ["S00008", "S00009"] (the sale orders an invoice came from). */
export function originNames(origin: Json | undefined): string[] {
  return (text(origin) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function reversalIds(m: OdooRecord, traits: OdooTraits): number[] {
  return ids(m[traits.reversalField]);
}
