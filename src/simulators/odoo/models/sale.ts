/**
 * Sales: sale.order and its lines (amounts like Odoo, per-line rounding), confirmation creating the
 * delivery (reserving stock), delivery/invoice status, cancel (17/18: sale.order.cancel wizard), draft,
 * lock/unlock, unlink rules.
 */
import type { ModelSpec, Env } from '../orm/types.js';
import type { Rec } from '../orm/table.js';
import type { Vals } from '../types.js';
import { userError } from '../orm/errors.js';
import { addDays } from '../orm/clock.js';
import { parseOrder, sortRecords } from '../orm/order.js';
import { isStorable, productTemplate } from './product.js';
import { deliveryStatus, invoiceIds, lineInvoiceStatus, linesOf, orderInvoiceStatus, pickingsOf, qtyDelivered, qtyInvoiced, qtyToInvoice } from './sale-status.js';

export { invoiceIds, linesOf, pickingsOf } from './sale-status.js';
import { cancelPicking, confirmPicking, moveVals } from './stock-ops.js';
import { autoFiscalPosition, lineAmounts, mapTaxes } from './taxes.js';
import { companyCurrency, currencyDigits, dec, roundFloat } from './money.js';
import { Decimal } from '../../../model/decimal.js';

const SO = 'sale.order';
const SOL = 'sale.order.line';

export const taxField = (env: Env) => env.traits.solTaxField;
export const uomField = (env: Env) => env.traits.solUomField;

function recomputeLine(env: Env, l: Rec): void {
  const order = env.rec(SO, l.order_id as number);
  const taxes = (l[taxField(env)] as number[] | undefined) ?? [];
  const a = lineAmounts(env, l.price_unit, l.product_uom_qty, l.discount, taxes, order?.currency_id);
  env.model(SOL).table.update(l, { price_subtotal: a.subtotal, price_tax: a.tax, price_total: a.total, price_reduce_taxexcl: Number(l.product_uom_qty) ? roundFloat(a.subtotal / Number(l.product_uom_qty), 6) : 0 });
}

export function recomputeOrder(env: Env, orderId: number): void {
  const o = env.rec(SO, orderId);
  if (!o) return;
  const digits = currencyDigits(env, o.currency_id);
  let untaxed = Decimal.ZERO;
  let tax = Decimal.ZERO;
  for (const l of linesOf(env, orderId)) {
    if (l.display_type) continue;
    untaxed = untaxed.add(dec(l.price_subtotal ?? 0));
    tax = tax.add(dec(l.price_tax ?? 0));
  }
  env.model(SO).table.update(o, { amount_untaxed: roundFloat(untaxed, digits), amount_tax: roundFloat(tax, digits), amount_total: roundFloat(untaxed.add(tax), digits) });
}

function createDelivery(env: Env, o: Rec, only?: Rec[]): void {
  const lines = (only ?? linesOf(env, o.id)).filter((l) => !l.display_type && typeof l.product_id === 'number');
  const goods = lines.filter((l) => {
    const t = productTemplate(env, l.product_id as number);
    return t && (env.traits.storableByDetailedType ? t.detailed_type !== 'service' : t.type === 'consu') && Number(l.product_uom_qty) > 0;
  });
  if (!goods.length) return;
  const wh = env.rec('stock.warehouse', (o.warehouse_id as number) || 1);
  const typeId = wh?.out_type_id as number;
  const id = env.sudo().createOne('stock.picking', {
    picking_type_id: typeId,
    partner_id: o.partner_shipping_id || o.partner_id,
    origin: o.name,
    sale_id: o.id,
    ...(env.model('stock.picking').fields.has('carrier_id') && { carrier_id: o.carrier_id ?? false }),
    move_ids: goods.map((l) => [0, 0, moveVals(env, { product_id: l.product_id, product_uom_qty: l.product_uom_qty, sale_line_id: l.id, name: l.name, product_uom: l[uomField(env)] || env.ref('uom.product_uom_unit') })]),
  });
  confirmPicking(env, id);
}

export function cancelOrders(env: Env, ids: number[]): true {
  for (const id of ids) {
    const o = env.rec(SO, id);
    if (!o) continue;
    for (const p of pickingsOf(env, id)) if (p.state !== 'done' && p.state !== 'cancel') cancelPicking(env, p.id);
    for (const inv of invoiceIds(env, o)) {
      const m = env.rec('account.move', inv);
      if (m && m.state === 'draft') env.model('account.move').table.update(m, { state: 'cancel' });
    }
    env.model(SO).table.update(o, { state: 'cancel', write_date: env.now(), write_uid: env.uid });
  }
  return true;
}

export function cancelWizardAction(env: Env, orderId: number): Record<string, unknown> {
  return {
    name: 'Cancel Sales Order',
    view_mode: 'form',
    res_model: 'sale.order.cancel',
    view_id: 1065,
    type: 'ir.actions.act_window',
    context: { default_template_id: 14, default_order_id: orderId, mark_so_as_canceled: true, default_email_layout_xmlid: 'mail.mail_notification_layout_with_responsible_signature', model_description: 'Sales Order' },
    target: 'new',
  };
}

function actionCancel(env: Env, ids: number[]): unknown {
  const orders = ids.map((id) => env.rec(SO, id)).filter((o): o is Rec => !!o);
  if (env.traits.lockedField && orders.some((o) => o.locked)) throw userError('You cannot cancel a locked order. Please unlock it first.');
  if (!env.traits.lockedField && orders.some((o) => o.state === 'done')) throw userError('You cannot cancel a locked order. Please unlock it first.');
  if (env.traits.cancelWizard && !env.context.disable_cancel_warning && orders.some((o) => o.state !== 'draft' && o.state !== 'cancel')) {
    return cancelWizardAction(env, orders[0]?.id ?? 0);
  }
  return cancelOrders(env, ids);
}

function lineDefaults(env: Env, vals: Vals): void {
  if (vals.display_type) return;
  const order = typeof vals.order_id === 'number' ? env.rec(SO, vals.order_id) : undefined;
  const pid = vals.product_id;
  if (typeof pid !== 'number') return;
  const pm = env.model('product.product');
  const p = env.rec(pm, pid);
  if (!p) return;
  if (vals.name === undefined) {
    const desc = env.value(pm, p, 'description_sale');
    vals.name = `${env.displayName(pm, p)}${typeof desc === 'string' && desc ? `\n${desc}` : ''}`;
  }
  vals.product_uom_qty ??= 1;
  const uf = uomField(env);
  if (vals[uf] === undefined) vals[uf] = env.value(pm, p, 'uom_id') || env.ref('uom.product_uom_unit');
  const tf = taxField(env);
  if (vals[tf] === undefined) vals[tf] = [[6, 0, mapTaxes(env, order?.fiscal_position_id, (env.value(pm, p, 'taxes_id') as number[]) ?? [])]];
  if (vals.price_unit === undefined) vals.price_unit = pricelistPrice(env, order, p, Number(vals.product_uom_qty));
}

function pricelistPrice(env: Env, order: Rec | undefined, p: Rec, qty: number): number {
  const pm = env.model('product.product');
  const list = Number(env.value(pm, p, 'lst_price') ?? 0);
  const plId = order?.pricelist_id;
  if (typeof plId !== 'number') return list;
  const items = env.model('product.pricelist.item');
  const rules = sortRecords(env, items, [...(items.table.lookup('pricelist_id', plId) ?? [])].map((id) => items.table.get(id) as Rec), parseOrder(items, undefined));
  for (const r of rules) {
    if (Number(r.min_quantity ?? 0) > qty) continue;
    if (r.applied_on === '0_product_variant' && r.product_id !== p.id) continue;
    if (r.applied_on === '1_product' && r.product_tmpl_id !== p.product_tmpl_id) continue;
    if (r.applied_on === '2_product_category' && r.categ_id !== env.value(pm, p, 'categ_id')) continue;
    if (r.compute_price === 'fixed') return Number(r.fixed_price ?? 0);
    if (r.compute_price === 'percentage') return roundFloat(list * (1 - Number(r.percent_price ?? 0) / 100), 6);
    return list;
  }
  return list;
}

function addressOf(env: Env, partnerId: number, type: string): number {
  const t = env.model('res.partner').table;
  for (const id of t.lookup('parent_id', partnerId) ?? []) {
    const c = t.get(id) as Rec;
    if (c.type === type && c.active !== false) return c.id;
  }
  return partnerId;
}

const AMOUNT_FIELDS = ['price_unit', 'product_uom_qty', 'discount', 'tax_id', 'tax_ids', 'product_id'];

export const saleModels: ModelSpec[] = [
  {
    name: SO,
    description: 'Sales Order',
    order: 'date_order desc, id desc',
    indexes: ['partner_id', 'client_order_ref', 'user_id'],
    required: ['partner_id'],
    defaults: (env) => ({
      state: 'draft',
      date_order: env.now(),
      validity_date: addDays(env.today(), 30),
      user_id: env.uid,
      company_id: 1,
      warehouse_id: env.db.xmlids.has('stock.warehouse0') ? env.ref('stock.warehouse0') : false,
      picking_policy: 'direct',
      locked: false,
      amount_untaxed: 0,
      amount_tax: 0,
      amount_total: 0,
      require_signature: false,
      require_payment: false,
    }),
    beforeCreate: (env, vals) => {
      if (!vals.name || vals.name === '/' || vals.name === 'New') vals.name = `S${String(env.db.nextSeq('sale.order')).padStart(5, '0')}`;
      const pid = vals.partner_id;
      if (typeof pid === 'number') {
        vals.partner_invoice_id ??= addressOf(env, pid, 'invoice');
        vals.partner_shipping_id ??= addressOf(env, pid, 'delivery');
        if (vals.pricelist_id === undefined) vals.pricelist_id = env.rec('res.partner', pid)?.property_product_pricelist ?? false;
        if (vals.fiscal_position_id === undefined) vals.fiscal_position_id = autoFiscalPosition(env, vals.partner_shipping_id ?? pid);
      }
      if (vals.currency_id === undefined) {
        const pl = typeof vals.pricelist_id === 'number' ? env.rec('product.pricelist', vals.pricelist_id) : undefined;
        vals.currency_id = pl?.currency_id ?? companyCurrency(env);
      }
    },
    compute: {
      invoice_status: (env, o) => orderInvoiceStatus(env, o),
      delivery_status: (env, o) => deliveryStatus(env, o),
      picking_ids: (env, o) => pickingsOf(env, o.id).map((p) => p.id),
      delivery_count: (env, o) => pickingsOf(env, o.id).length,
      invoice_ids: (env, o) => invoiceIds(env, o),
      invoice_count: (env, o) => invoiceIds(env, o).length,
      effective_date: (env, o) => {
        const done = pickingsOf(env, o.id).filter((p) => p.state === 'done' && env.rec('stock.location', p.location_dest_id as number)?.usage === 'customer');
        const dates = done.map((p) => Number(p.date_done)).filter((d) => d > 0);
        return dates.length ? Math.min(...dates) : false;
      },
      type_name: (_env, o) => (o.state === 'draft' || o.state === 'sent' || o.state === 'cancel' ? 'Quotation' : 'Sales Order'),
      amount_to_invoice: (env, o) => roundFloat(linesOf(env, o.id).reduce((s, l) => s + (qtyToInvoice(env, l) * Number(l.price_total ?? 0)) / (Number(l.product_uom_qty) || 1), 0), 2),
    },
    displayName: (_env, o) => String(o.name ?? ''),
    beforeUnlink: (_env, recs) => {
      if (recs.some((o) => o.state !== 'draft' && o.state !== 'cancel')) throw userError('You can not delete a sent quotation or a confirmed sales order. You must first cancel it.');
    },
    methods: {
      action_confirm: {
        params: [],
        qualname: 'SaleOrder.action_confirm',
        fn: (env, ids) => {
          const orders = ids.map((id) => env.rec(SO, id)).filter((o): o is Rec => !!o);
          const bad = orders.filter((o) => o.state !== 'draft' && o.state !== 'sent');
          if (bad.length) throw userError(`The following orders are not in a state requiring confirmation: ${bad.map((o) => String(o.name)).join(', ')}`);
          for (const o of orders) {
            env.model(SO).table.update(o, { state: 'sale', date_order: env.now(), write_date: env.now(), write_uid: env.uid });
            createDelivery(env, o);
          }
          return true;
        },
      },
      action_cancel: { params: [], qualname: 'SaleOrder.action_cancel', fn: (env, ids) => actionCancel(env, ids) },
      action_draft: {
        params: [],
        qualname: 'SaleOrder.action_draft',
        fn: (env, ids) => {
          for (const id of ids) {
            const o = env.rec(SO, id);
            if (o && (o.state === 'cancel' || o.state === 'sent')) env.model(SO).table.update(o, { state: 'draft', write_date: env.now(), write_uid: env.uid });
          }
          return true;
        },
      },
      action_lock: {
        params: [],
        qualname: 'SaleOrder.action_lock',
        fn: (env, ids) => {
          for (const id of ids) env.write(SO, [id], env.traits.lockedField ? { locked: true } : { state: 'done' });
          return undefined;
        },
      },
      action_unlock: {
        params: [],
        qualname: 'SaleOrder.action_unlock',
        fn: (env, ids) => {
          for (const id of ids) env.write(SO, [id], env.traits.lockedField ? { locked: false } : { state: 'sale' });
          return undefined;
        },
      },
      action_done: { versions: [16], params: [], fn: (env, ids) => env.write(SO, ids, { state: 'done' }) },
      action_quotation_sent: {
        params: [],
        fn: (env, ids) => {
          for (const id of ids) {
            const o = env.rec(SO, id);
            if (o?.state === 'draft') env.model(SO).table.update(o, { state: 'sent' });
          }
          return true;
        },
      },
    },
  },
  {
    name: SOL,
    description: 'Sales Order Line',
    order: 'order_id, sequence, id',
    indexes: ['order_id', 'product_id'],
    required: ['order_id'],
    defaults: () => ({ sequence: 10, discount: 0, display_type: false, customer_lead: 0, invoice_lines: [] }),
    fields: { invoice_lines: { type: 'many2many', relation: 'account.move.line', string: 'Invoice Lines' } },
    beforeCreate: (env, vals) => lineDefaults(env, vals),
    afterCreate: (env, recs) => {
      const orders = new Set<number>();
      for (const l of recs) {
        recomputeLine(env, l);
        orders.add(l.order_id as number);
      }
      for (const id of orders) {
        recomputeOrder(env, id);
        // lines added to a confirmed order are delivered too
        const o = env.rec(SO, id);
        if (o?.state === 'sale') createDelivery(env, o, recs.filter((l) => l.order_id === id));
      }
    },
    beforeWrite: (env, recs, vals) => {
      if ('product_id' in vals) for (const l of recs) lineDefaults(env, { ...vals, order_id: l.order_id });
    },
    afterWrite: (env, recs, vals) => {
      if (!AMOUNT_FIELDS.some((f) => f in vals)) return;
      const orders = new Set<number>();
      for (const l of recs) {
        recomputeLine(env, l);
        orders.add(l.order_id as number);
      }
      for (const o of orders) recomputeOrder(env, o);
    },
    beforeUnlink: (env, recs) => {
      for (const l of recs) {
        const o = env.rec(SO, l.order_id as number);
        if (o && o.state === 'sale' && !env.su) throw userError('Once a sales order is confirmed, you can\'t remove one of its lines (we need to track if something gets invoiced or delivered).\n\tSet the quantity to 0 instead.');
      }
    },
    afterUnlink: (env, recs) => {
      for (const o of new Set(recs.map((l) => l.order_id as number))) recomputeOrder(env, o);
    },
    compute: {
      qty_delivered: (env, l) => qtyDelivered(env, l),
      qty_invoiced: (env, l) => qtyInvoiced(env, l),
      qty_to_invoice: (env, l) => qtyToInvoice(env, l),
      invoice_status: (env, l) => lineInvoiceStatus(env, l),
      state: (env, l) => env.rec(SO, l.order_id as number)?.state ?? 'draft',
      currency_id: (env, l) => env.rec(SO, l.order_id as number)?.currency_id ?? false,
      order_partner_id: (env, l) => env.rec(SO, l.order_id as number)?.partner_id ?? false,
      is_delivery: (_env, l) => !!l.is_delivery,
      move_ids: (env, l) => [...(env.model('stock.move').table.lookup('sale_line_id', l.id) ?? [])],
      qty_delivered_method: (env, l) => {
        const t = productTemplate(env, l.product_id as number);
        return t && (env.traits.storableByDetailedType ? t.detailed_type !== 'service' : t.type === 'consu') ? 'stock_move' : 'manual';
      },
      product_type: (env, l) => productTemplate(env, l.product_id as number)?.type ?? false,
      is_storable: (env, l) => isStorable(env, productTemplate(env, l.product_id as number)),
    },
    displayName: (env, l) => {
      const o = env.rec(SO, l.order_id as number);
      const ref = o ? env.rec('res.partner', o.partner_id as number)?.ref : undefined;
      return `${String(o?.name ?? '')} - ${String(l.name ?? '')}${ref ? ` (${String(ref)})` : ''}`;
    },
  },
];

