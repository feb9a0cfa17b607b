/**
 * Accounting wizards. Both read `context.active_model/active_ids` on create (and the action):
 * account.payment.register → action_create_payments, account.move.reversal → refund_moves.
 */
import type { ModelSpec, Env } from '../orm/types.js';
import type { Rec } from '../orm/table.js';
import type { Vals } from '../types.js';
import { userError } from '../orm/errors.js';
import { moveLines, paymentState, recomputeMove } from './account.js';
import { activeIds } from './sale-wizards.js';
import { currencyDigits, dec, roundFloat } from './money.js';
import { Decimal } from '../../../model/decimal.js';

function registerDefaults(env: Env): Vals {
  const ids = activeIds(env, 'account.move');
  if (!ids.length) throw userError("The register payment wizard should only be called on account.move or account.move.line records.");
  const moves = ids.map((id) => env.rec('account.move', id)).filter((m): m is Rec => !!m);
  for (const m of moves) if (m.state !== 'posted') throw userError('You can only register payment for posted journal entries.');
  const residual = roundFloat(moves.reduce((s, m) => s.add(dec(m.amount_residual ?? 0)), Decimal.ZERO), currencyDigits(env, moves[0]?.currency_id));
  if (residual <= 0) throw userError("You can't register a payment because there is nothing left to pay on the selected journal items.");
  const first = moves[0] as Rec;
  const paymentType = first.move_type === 'out_refund' || first.move_type === 'in_invoice' ? 'outbound' : 'inbound';
  const bank = [...env.model('account.journal').table.rows.values()].find((j) => j.type === 'bank');
  const method = bank ? [...env.model('account.payment.method.line').table.rows.values()].find((l) => l.journal_id === bank.id && l.payment_type === paymentType) : undefined;
  return {
    amount: roundFloat(residual, currencyDigits(env, first.currency_id)),
    currency_id: first.currency_id,
    partner_id: env.rec('res.partner', first.partner_id as number)?.parent_id || first.partner_id,
    payment_date: env.today(),
    journal_id: bank?.id ?? false,
    payment_method_line_id: method?.id ?? false,
    communication: first.payment_reference || first.name,
    payment_type: paymentType,
    partner_type: first.move_type?.toString().startsWith('in_') ? 'supplier' : 'customer',
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
    payment_type: w.payment_type || 'inbound',
    partner_type: w.partner_type || 'customer',
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
    const digits = currencyDigits(env, m.currency_id);
    left = roundFloat(dec(left).sub(dec(pay)), digits);
    const paid = roundFloat(dec(m.amount_paid_internal ?? 0).add(dec(pay)), digits);
    const residual = Math.max(0, roundFloat(dec(m.amount_total ?? 0).sub(dec(paid)), digits));
    am.table.update(m, { amount_paid_internal: paid, amount_residual: residual, payment_state: paymentState(residual, Number(m.amount_total), 'posted'), write_date: env.now(), write_uid: env.uid });
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
      e.createOne('account.move.line', { move_id: refund, display_type: 'product', product_id: l.product_id, name: l.name, quantity: l.quantity, price_unit: l.price_unit, discount: l.discount, tax_ids: [[6, 0, (l.tax_ids as number[]) ?? []]], product_uom_id: l.product_uom_id ?? false, sale_line_ids: [[6, 0, (l.sale_line_ids as number[]) ?? []]] });
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
    name: 'account.payment.register',
    description: 'Pay',
    transient: true,
    fields: { move_ids_internal: { type: 'many2many', relation: 'account.move', string: 'Invoices (simulator)' } },
    defaults: (env) => ({ ...registerDefaults(env), move_ids_internal: activeIds(env, 'account.move') }),
    compute: {
      payment_difference: (env, w) => roundFloat(dec(w.source_amount ?? w.amount ?? 0).sub(dec(w.amount ?? 0)), currencyDigits(env, w.currency_id)),
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
];
