/**
 * Invoicing wizards. All read `context.active_model/active_ids` on create (and the action):
 * sale.advance.payment.inv → create_invoices, account.payment.register → action_create_payments,
 * account.move.reversal → refund_moves; plus the 17/18 sale.order.cancel wizard and delivery carriers.
 */
import type { ModelSpec } from '../orm/model.js';
import type { Env } from '../orm/env.js';
import type { Rec } from '../orm/table.js';
import type { Vals } from '../types.js';
import { userError } from '../orm/errors.js';
import { cancelOrders, invoiceIds, linesOf, taxField, uomField } from './sale.js';
import { moveLines, paymentState, recomputeMove } from './account.js';
import { currencyDigits, roundFloat } from './money.js';

function activeIds(env: Env, model: string): number[] {
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
      const lineId = env.sudo().withContext({ skip_move_recompute: true }).createOne('account.move.line', {
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
      env.model('sale.order.line').table.update(l, { invoice_lines: [...((l.invoice_lines as number[]) ?? []), lineId] });
    }
    recomputeMove(env, moveId);
    out.push({ order: o, moveId });
  }
  return out;
}

function registerDefaults(env: Env): Vals {
  const ids = activeIds(env, 'account.move');
  if (!ids.length) throw userError("The register payment wizard should only be called on account.move or account.move.line records.");
  const moves = ids.map((id) => env.rec('account.move', id)).filter((m): m is Rec => !!m);
  for (const m of moves) if (m.state !== 'posted') throw userError('You can only register payment for posted journal entries.');
  const residual = moves.reduce((s, m) => s + Number(m.amount_residual ?? 0), 0);
  if (residual <= 0) throw userError("You can't register a payment because there is nothing left to pay on the selected journal items.");
  const first = moves[0] as Rec;
  const bank = [...env.model('account.journal').table.rows.values()].find((j) => j.type === 'bank');
  const method = bank ? [...env.model('account.payment.method.line').table.rows.values()].find((l) => l.journal_id === bank.id && l.payment_type === 'inbound') : undefined;
  return {
    amount: roundFloat(residual, currencyDigits(env, first.currency_id)),
    currency_id: first.currency_id,
    partner_id: env.rec('res.partner', first.partner_id as number)?.parent_id || first.partner_id,
    payment_date: env.today(),
    journal_id: bank?.id ?? false,
    payment_method_line_id: method?.id ?? false,
    communication: first.payment_reference || first.name,
    payment_type: 'inbound',
    partner_type: 'customer',
    line_ids: [],
    group_payment: true,
    source_amount: residual,
    can_edit_wizard: true,
  };
}

function createPayments(env: Env, wizardId: number): Record<string, unknown> {
  const w = env.rec('account.payment.register', wizardId);
  if (!w) throw userError('Record does not exist or has been deleted.');
  const ids = activeIds(env, 'account.move');
  const moveIds = ids.length ? ids : ((w.move_ids_internal as number[] | undefined) ?? []);
  const am = env.model('account.move');
  const moves = moveIds.map((id) => am.table.get(id)).filter((m): m is Rec => !!m);
  const journal = env.rec('account.journal', w.journal_id as number);
  const year = String(w.payment_date ?? env.today()).slice(0, 4);
  const prefix = `P${String(journal?.code ?? 'BNK1')}/${year}/`;
  const name = `${prefix}${String(env.db.nextSeq(prefix)).padStart(5, '0')}`;
  const amount = Number(w.amount ?? 0);
  const memo = w.communication || false;
  const e = env.sudo();
  const entry = e.createOne('account.move', { move_type: 'entry', name, state: 'posted', date: w.payment_date ?? env.today(), journal_id: w.journal_id, partner_id: w.partner_id, ref: memo, currency_id: w.currency_id });
  for (const [debit, credit, label] of [
    [amount, 0, 'bank'],
    [0, amount, 'receivable'],
  ] as const) {
    e.withContext({ skip_move_recompute: true }).createOne('account.move.line', { move_id: entry, display_type: false, name: `${memo || name} (${label})`, debit, credit, balance: debit - credit, quantity: 1, partner_id: w.partner_id });
  }
  const mf = env.traits.paymentMemoField;
  const payId = e.createOne('account.payment', {
    name,
    amount,
    payment_type: 'inbound',
    partner_type: 'customer',
    partner_id: w.partner_id,
    journal_id: w.journal_id,
    date: w.payment_date ?? env.today(),
    [mf]: memo,
    currency_id: w.currency_id,
    payment_method_line_id: w.payment_method_line_id,
    state: env.traits.paymentState,
    move_id: entry,
    is_reconciled: true,
    is_matched: false,
    reconciled_invoice_ids: moves.map((m) => m.id),
  });
  let left = amount;
  for (const m of moves) {
    const res = Number(m.amount_residual ?? 0);
    const pay = Math.min(res, left);
    left = roundFloat(left - pay, 2);
    const paid = roundFloat(Number(m.amount_paid_internal ?? 0) + pay, 2);
    const residual = roundFloat(Math.max(0, Number(m.amount_total ?? 0) - paid), 2);
    am.table.update(m, { amount_paid_internal: paid, amount_residual: residual, payment_state: paymentState(residual, Number(m.amount_total), 'posted'), write_date: env.now() });
  }
  const pm = env.model('account.payment');
  const pay = pm.table.get(payId) as Rec;
  if (moves.some((m) => Number(am.table.get(m.id)?.amount_residual ?? 0) > 0)) pm.table.update(pay, { is_reconciled: true });
  return { name: 'Payments', type: 'ir.actions.act_window', res_model: 'account.payment', context: { create: false }, view_mode: 'form', res_id: payId };
}

function refundMoves(env: Env, wizardId: number): Record<string, unknown> {
  const w = env.rec('account.move.reversal', wizardId);
  if (!w) throw userError('Record does not exist or has been deleted.');
  const ids = (w.move_ids as number[] | undefined)?.length ? (w.move_ids as number[]) : activeIds(env, 'account.move');
  const am = env.model('account.move');
  const created: number[] = [];
  for (const id of ids) {
    const m = am.table.get(id);
    if (!m) continue;
    if (m.state !== 'posted') throw userError('You can only reverse posted moves.');
    const type = m.move_type === 'out_invoice' ? 'out_refund' : m.move_type === 'in_invoice' ? 'in_refund' : m.move_type;
    const reason = w.reason ? `, ${String(w.reason)}` : '';
    const date = (w.date as string | undefined) || env.today();
    const e = env.sudo().withContext({ skip_move_recompute: true });
    const refund = e.createOne('account.move', {
      move_type: type,
      partner_id: m.partner_id,
      partner_shipping_id: m.partner_shipping_id,
      invoice_origin: m.invoice_origin,
      ref: `Reversal of: ${String(m.name)}${reason}`,
      currency_id: m.currency_id,
      journal_id: w.journal_id || m.journal_id,
      invoice_date: date,
      invoice_date_due: date,
      date,
      reversed_entry_id: m.id,
      invoice_user_id: m.invoice_user_id,
      fiscal_position_id: m.fiscal_position_id || false,
    });
    for (const l of moveLines(env, m.id).filter((x) => x.display_type === 'product')) {
      const lineId = e.createOne('account.move.line', { move_id: refund, display_type: 'product', product_id: l.product_id, name: l.name, quantity: l.quantity, price_unit: l.price_unit, discount: l.discount, tax_ids: [[6, 0, (l.tax_ids as number[]) ?? []]], product_uom_id: l.product_uom_id ?? false, sale_line_ids: [[6, 0, (l.sale_line_ids as number[]) ?? []]] });
      for (const sl of (l.sale_line_ids as number[] | undefined) ?? []) {
        const s = env.rec('sale.order.line', sl);
        if (s) env.model('sale.order.line').table.update(s, { invoice_lines: [...((s.invoice_lines as number[]) ?? []), lineId] });
      }
    }
    recomputeMove(env, refund);
    created.push(refund);
  }
  env.model('account.move.reversal').table.update(w, { new_move_ids: created });
  if (created.length === 1) return { name: 'Reverse Moves', type: 'ir.actions.act_window', res_model: 'account.move', view_mode: 'form', res_id: created[0], context: { default_move_type: 'out_refund' } };
  return { name: 'Reverse Moves', type: 'ir.actions.act_window', res_model: 'account.move', view_mode: 'tree', domain: [['id', 'in', created]], context: { default_move_type: 'out_refund' } };
}

export const financeWizardModels: ModelSpec[] = [
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
    name: 'account.payment.register',
    description: 'Pay',
    transient: true,
    fields: { move_ids_internal: { type: 'many2many', relation: 'account.move', string: 'Invoices (simulator)' } },
    defaults: (env) => ({ ...registerDefaults(env), move_ids_internal: activeIds(env, 'account.move') }),
    compute: {
      payment_difference: (env, w) => roundFloat(Number(w.source_amount ?? w.amount ?? 0) - Number(w.amount ?? 0), currencyDigits(env, w.currency_id)),
    },
    methods: {
      action_create_payments: { params: [], qualname: 'AccountPaymentRegister.action_create_payments', fn: (env, ids) => createPayments(env, ids[0] as number) },
    },
  },
  {
    name: 'account.move.reversal',
    description: 'Account Move Reversal',
    transient: true,
    defaults: (env) => {
      const ids = activeIds(env, 'account.move');
      if (!ids.length) throw userError('Missing active_ids in context: open the reversal wizard with context active_model="account.move" and active_ids.');
      return { move_ids: ids, date: env.today(), company_id: 1 };
    },
    methods: {
      refund_moves: { params: [], qualname: 'AccountMoveReversal.refund_moves', fn: (env, ids) => refundMoves(env, ids[0] as number) },
      reverse_moves: { params: [{ name: 'is_modify' }], qualname: 'AccountMoveReversal.reverse_moves', fn: (env, ids) => refundMoves(env, ids[0] as number) },
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
