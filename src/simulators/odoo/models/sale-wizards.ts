/**
 * Sales wizards and carriers: sale.advance.payment.inv → create_invoices (draft out_invoice from the
 * invoiceable quantities; needs context active_model/active_ids), the 17/18 sale.order.cancel wizard,
 * delivery.carrier.
 */
import type { ModelSpec, Env } from '../orm/types.js';
import type { Rec } from '../orm/table.js';
import { userError } from '../orm/errors.js';
import { cancelOrders, invoiceIds, linesOf, taxField, uomField } from './sale.js';
import { recomputeMove } from './account.js';

export function activeIds(env: Env, model: string): number[] {
  if (env.context.active_model !== model) return [];
  const ids = env.context.active_ids;
  if (Array.isArray(ids)) return ids.filter((x): x is number => typeof x === 'number');
  return typeof env.context.active_id === 'number' ? [env.context.active_id] : [];
}

function qtyToInvoice(env: Env, l: Rec): number {
  return Number(env.value(env.model('sale.order.line'), l, 'qty_to_invoice'));
}

function invoiceAction(env: Env, o: Rec, moveIds: number[]): Record<string, unknown> {
  const inv = env.rec('account.move', moveIds[0] as number);
  const v19 = env.version >= 18;
  const ctx: Record<string, unknown> = { default_move_type: 'out_invoice', default_partner_id: o.partner_id, default_partner_shipping_id: o.partner_shipping_id, default_invoice_payment_term_id: null };
  if (!v19) ctx.default_invoice_origin = o.name;
  const action: Record<string, unknown> = {
    id: v19 ? 261 : 254,
    ...(v19 ? { display_name: 'Invoices' } : {}),
    name: 'Invoices',
    type: 'ir.actions.act_window',
    xml_id: 'account.action_move_out_invoice_type',
    ...(v19 ? { path: 'invoicing' } : {}),
    help: '<p class="o_view_nocontent_smiling_face">\n                Create a customer invoice\n              </p><p>\n                Create invoices, register payments and keep track of the discussions with your customers.\n              </p>\n            ',
    binding_model_id: false,
    binding_type: 'action',
    binding_view_types: 'list,form',
    ...(v19 ? {} : { display_name: 'Invoices' }),
    view_id: v19 ? [736, 'account.out.invoice.list'] : [674, 'account.out.invoice.tree'],
    domain: v19 ? "[('move_type', 'in', ['out_invoice', 'out_refund', 'out_receipt'])]" : "[('move_type', '=', 'out_invoice')]",
    context: ctx,
    res_model: 'account.move',
    target: 'current',
    view_mode: v19 ? 'list,kanban,form,activity' : 'tree,kanban,form,activity',
    mobile_view_mode: 'kanban',
    views: v19 ? [[742, 'form'], [736, 'list'], [false, 'kanban'], [false, 'activity']] : [[681, 'form'], [674, 'tree'], [false, 'kanban'], [false, 'activity']],
    limit: 80,
    [v19 ? 'group_ids' : 'groups_id']: [],
    search_view_id: v19 ? [745, 'account.invoice.select'] : [684, 'account.invoice.select'],
    ...(v19 ? { embedded_action_ids: [] } : {}),
    filter: false,
    ...(v19 ? { cache: true } : {}),
  };
  if (moveIds.length === 1 && inv) action.res_id = inv.id;
  else action.domain = `[('id', 'in', ${JSON.stringify(moveIds)})]`;
  const ordered: Record<string, unknown> = {};
  // res_id sits before res_model like in Odoo's dict
  for (const [k, v] of Object.entries(action)) {
    if (k === 'res_model' && 'res_id' in action) ordered.res_id = action.res_id;
    if (k !== 'res_id') ordered[k] = v;
  }
  return ordered;
}

/** sale.order._create_invoices: one draft out_invoice per order with the invoiceable lines. */
export function createInvoicesForOrders(env: Env, orderIds: number[]): { order: Rec; moveId: number }[] {
  const out: { order: Rec; moveId: number }[] = [];
  for (const oid of orderIds) {
    const o = env.rec('sale.order', oid);
    if (!o) continue;
    const lines = linesOf(env, oid).filter((l) => !l.display_type && qtyToInvoice(env, l) > 0);
    if (!lines.length) continue;
    const pm = env.model('product.product');
    const moveId = env.sudo().withContext({ skip_move_recompute: true }).createOne('account.move', {
      move_type: 'out_invoice',
      partner_id: o.partner_invoice_id || o.partner_id,
      partner_shipping_id: o.partner_shipping_id,
      invoice_origin: o.name,
      ref: o.client_order_ref || false,
      currency_id: o.currency_id,
      invoice_user_id: o.user_id,
      fiscal_position_id: o.fiscal_position_id || false,
      narration: o.note || false,
    });
    for (const l of lines) {
      const p = typeof l.product_id === 'number' ? env.rec(pm, l.product_id) : undefined;
      const display = p ? env.displayName(pm, p) : '';
      const name = env.version >= 19 && l.name !== display && display ? `${display}\n${String(l.name)}` : l.name;
      env.sudo().withContext({ skip_move_recompute: true }).createOne('account.move.line', {
        move_id: moveId,
        display_type: 'product',
        product_id: l.product_id,
        name,
        quantity: qtyToInvoice(env, l),
        price_unit: l.price_unit,
        discount: l.discount,
        tax_ids: [[6, 0, (l[taxField(env)] as number[]) ?? []]],
        product_uom_id: l[uomField(env)] || false,
        sale_line_ids: [[6, 0, [l.id]]],
      });
    }
    recomputeMove(env, moveId);
    out.push({ order: o, moveId });
  }
  return out;
}

export const saleWizardModels: ModelSpec[] = [
  {
    name: 'sale.advance.payment.inv',
    description: 'Sales Advance Payment Invoice',
    transient: true,
    defaults: (env) => ({ advance_payment_method: 'delivered', sale_order_ids: activeIds(env, 'sale.order'), deduct_down_payments: true }),
    methods: {
      create_invoices: {
        params: [],
        qualname: 'SaleAdvancePaymentInv.create_invoices',
        fn: (env, ids) => {
          const w = env.rec('sale.advance.payment.inv', ids[0] as number);
          const orders = ((w?.sale_order_ids as number[] | undefined) ?? []).length ? (w?.sale_order_ids as number[]) : activeIds(env, 'sale.order');
          if (w?.advance_payment_method && w.advance_payment_method !== 'delivered') throw userError('The simulator only supports advance_payment_method="delivered" (regular invoice).');
          const made = createInvoicesForOrders(env, orders);
          if (!made.length) throw userError('There is no invoiceable line. If a product has a Delivered quantities invoicing policy, please make sure that a quantity has been delivered.');
          const first = made[0] as { order: Rec; moveId: number };
          return invoiceAction(env, first.order, made.map((m) => m.moveId));
        },
      },
    },
  },
  {
    name: 'sale.order.cancel',
    description: 'Sales Order Cancel',
    versions: [16, 17, 18],
    transient: true,
    fields: {
      order_id: { type: 'many2one', relation: 'sale.order', string: 'Sale order', required: true },
      display_invoice_alert: { type: 'boolean', store: false },
      subject: { type: 'char', string: 'Subject' },
      body: { type: 'html', string: 'Contents' },
    },
    defaults: (env) => ({ order_id: typeof env.context.default_order_id === 'number' ? env.context.default_order_id : false }),
    compute: { display_invoice_alert: (env, w) => invoiceIds(env, env.rec('sale.order', w.order_id as number) ?? ({ id: 0 } as Rec)).some((id) => env.rec('account.move', id)?.state === 'draft') },
    methods: {
      action_cancel: {
        params: [],
        qualname: 'SaleOrderCancel.action_cancel',
        fn: (env, ids) => cancelOrders(env, [env.rec('sale.order.cancel', ids[0] as number)?.order_id as number]),
      },
      action_send_mail_and_cancel: {
        params: [],
        qualname: 'SaleOrderCancel.action_send_mail_and_cancel',
        fn: (env, ids) => cancelOrders(env, [env.rec('sale.order.cancel', ids[0] as number)?.order_id as number]),
      },
    },
  },
  {
    name: 'delivery.carrier',
    description: 'Shipping Methods',
    order: 'sequence, id',
    required: ['name', 'product_id'],
    defaults: () => ({ delivery_type: 'fixed', active: true, sequence: 10, fixed_price: 0, company_id: false }),
  },
];
