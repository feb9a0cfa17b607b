/**
 * Accounting: taxes, journals, fiscal positions, invoices / credit notes (account.move + lines) with
 * posting (INV/<year>/<5 digits>, RINV/…), residual and payment_state, payments.
 */
import type { ModelSpec, Env } from '../orm/types.js';
import type { Rec } from '../orm/table.js';
import type { Vals } from '../types.js';
import { userError } from '../orm/errors.js';
import { formatDate } from '../orm/clock.js';
import { currencyDigits, dec, roundFloat } from './money.js';
import { Decimal } from '../../../model/decimal.js';
import { lineAmounts } from './taxes.js';

const AM = 'account.move';
const AML = 'account.move.line';

const TYPE_LABEL: Record<string, string> = { out_invoice: 'Invoice', out_refund: 'Credit Note', in_invoice: 'Bill', in_refund: 'Refund', entry: 'Entry', out_receipt: 'Sales Receipt', in_receipt: 'Purchase Receipt' };

export function moveLines(env: Env, moveId: number): Rec[] {
  const t = env.model(AML).table;
  return [...(t.lookup('move_id', moveId) ?? [])].map((id) => t.get(id) as Rec).sort((a, b) => a.id - b.id);
}

/** Recomputes totals and the tax / payment-term lines of an invoice from its product lines. */
export function recomputeMove(env: Env, moveId: number): void {
  const m = env.rec(AM, moveId);
  if (!m || m.move_type === 'entry') return;
  const digits = currencyDigits(env, m.currency_id);
  const lines = moveLines(env, moveId);
  let untaxedD = Decimal.ZERO;
  let taxD = Decimal.ZERO;
  const byTax = new Map<number, Decimal>();
  const lt = env.model(AML).table;
  for (const l of lines) {
    if (l.display_type !== 'product') continue;
    const taxes = (l.tax_ids as number[] | undefined) ?? [];
    const a = lineAmounts(env, l.price_unit, l.quantity, l.discount, taxes, m.currency_id);
    lt.update(l, { price_subtotal: a.subtotal, price_total: a.total });
    untaxedD = untaxedD.add(dec(a.subtotal));
    taxD = taxD.add(dec(a.tax));
    if (taxes[0] !== undefined && a.tax !== 0) byTax.set(taxes[0], (byTax.get(taxes[0]) ?? Decimal.ZERO).add(dec(a.tax)));
  }
  const untaxed = roundFloat(untaxedD, digits);
  const tax = roundFloat(taxD, digits);
  const total = roundFloat(untaxedD.add(taxD), digits);
  const sign = m.move_type === 'out_refund' || m.move_type === 'in_invoice' ? -1 : 1;
  // tax and receivable lines (kept in sync, one per tax), updated in place
  const base = { move_id: moveId, partner_id: m.partner_id, currency_id: m.currency_id, date: m.date, company_id: 1 };
  const upsert = (existing: Rec | undefined, v: Vals) => (existing ? lt.update(existing, v) : env.sudo().create(AML, [{ ...base, ...v }]));
  const taxLines = lines.filter((l) => l.display_type === 'tax');
  for (const [taxId, amountD] of byTax) {
    const amount = roundFloat(amountD, digits);
    upsert(
      taxLines.find((l) => l.tax_line_id === taxId),
      { display_type: 'tax', name: env.displayName('account.tax', taxId), tax_line_id: taxId, quantity: 1, price_unit: amount, balance: -sign * amount, debit: sign < 0 ? amount : 0, credit: sign > 0 ? amount : 0 },
    );
  }
  for (const l of taxLines) if (!byTax.has(l.tax_line_id as number)) lt.delete(l.id);
  upsert(
    lines.find((l) => l.display_type === 'payment_term'),
    { display_type: 'payment_term', name: m.payment_reference || '', quantity: 1, price_unit: -total, balance: sign * total, debit: sign > 0 ? total : 0, credit: sign < 0 ? total : 0 },
  );
  const paid = Number(m.amount_paid_internal ?? 0);
  const residual = Math.max(0, roundFloat(dec(total).sub(dec(paid)), digits));
  env.model(AM).table.update(m, { amount_untaxed: untaxed, amount_tax: tax, amount_total: total, amount_residual: residual, amount_untaxed_signed: sign * untaxed, amount_total_signed: sign * total, amount_residual_signed: sign * residual });
}

/** Keeps sale.order.line.invoice_lines in step with account.move.line.sale_line_ids (qty_invoiced). */
function linkSaleLines(env: Env, lines: Rec[]): void {
  const sm = env.db.models.get('sale.order.line');
  if (!sm) return;
  for (const l of lines) {
    for (const id of (l.sale_line_ids as number[] | undefined) ?? []) {
      const s = sm.table.get(id);
      const cur = (s?.invoice_lines as number[] | undefined) ?? [];
      if (s && !cur.includes(l.id)) sm.table.update(s, { invoice_lines: [...cur, l.id] });
    }
  }
}

export function paymentState(residual: number, total: number, state: unknown): string {
  if (state !== 'posted') return 'not_paid';
  if (total > 0 && residual <= 0) return 'paid';
  if (residual < total) return 'partial';
  return 'not_paid';
}

function moveName(env: Env, m: Rec): string {
  const j = env.rec('account.journal', m.journal_id as number);
  const year = String(m.date ?? env.today()).slice(0, 4);
  const code = String(j?.code ?? 'MISC');
  const prefix = m.move_type === 'out_refund' ? `R${code}/${year}/` : `${code}/${year}/`;
  return `${prefix}${String(env.db.nextSeq(prefix)).padStart(5, '0')}`;
}

function post(env: Env, ids: number[]): false {
  const am = env.model(AM);
  for (const id of ids) {
    const m = am.table.get(id);
    if (!m) continue;
    if (m.state === 'posted') throw userError('The entry is already posted.');
    if (m.move_type !== 'entry' && !moveLines(env, id).some((l) => l.display_type === 'product')) throw userError('You need to add a line before posting.');
    const changes: Vals = { state: 'posted', write_date: env.now(), write_uid: env.uid };
    if (!m.invoice_date && m.move_type !== 'entry') changes.invoice_date = env.today();
    if (!m.name || m.name === '/') changes.name = moveName(env, { ...m, ...changes } as Rec);
    if (m.move_type === 'out_invoice' && !m.payment_reference) changes.payment_reference = changes.name ?? m.name;
    am.table.update(m, changes);
    recomputeMove(env, id);
    const after = am.table.get(id) as Rec;
    am.table.update(after, { payment_state: m.move_type === 'entry' ? 'not_paid' : paymentState(Number(after.amount_residual), Number(after.amount_total), 'posted') });
  }
  return false;
}

export const accountModels: ModelSpec[] = [
  {
    name: 'account.account',
    description: 'Account',
    order: 'code, id',
    fields: {
      name: { type: 'char', string: 'Account Name', required: true },
      code: { type: 'char', string: 'Code' },
      account_type: { type: 'selection', string: 'Type', selection: [['asset_receivable', 'Receivable'], ['asset_cash', 'Bank and Cash'], ['income', 'Income'], ['liability_current', 'Current Liabilities'], ['liability_payable', 'Payable']] },
      reconcile: { type: 'boolean' },
    },
    displayName: (_env, a) => `${String(a.code ?? '')} ${String(a.name ?? '')}`.trim(),
  },
  {
    name: 'account.tax',
    description: 'Tax',
    order: 'sequence, id',
    defaults: () => ({ amount_type: 'percent', type_tax_use: 'sale', price_include: false, active: true, company_id: 1, sequence: 1 }),
  },
  {
    name: 'account.fiscal.position',
    description: 'Fiscal Position',
    order: 'sequence, id',
    fields: {
      name: { type: 'char', string: 'Fiscal Position', required: true },
      sequence: { type: 'integer' },
      active: { type: 'boolean' },
      auto_apply: { type: 'boolean', string: 'Detect Automatically' },
      foreign_only: { type: 'boolean', string: 'Foreign customers (simulator)' },
      tax_map: { type: 'json', string: 'Tax Mapping (simulator)' },
      company_id: { type: 'many2one', relation: 'res.company', string: 'Company' },
    },
  },
  {
    name: 'account.journal',
    description: 'Journal',
    order: 'sequence, type, code',
    fields: {
      name: { type: 'char', string: 'Journal Name', required: true },
      code: { type: 'char', string: 'Short Code', required: true },
      type: { type: 'selection', string: 'Type', required: true, selection: [['sale', 'Sales'], ['purchase', 'Purchase'], ['cash', 'Cash'], ['bank', 'Bank'], ['credit', 'Credit Card'], ['general', 'Miscellaneous']] },
      sequence: { type: 'integer' },
      active: { type: 'boolean' },
      company_id: { type: 'many2one', relation: 'res.company', string: 'Company' },
      currency_id: { type: 'many2one', relation: 'res.currency', string: 'Currency' },
      default_account_id: { type: 'many2one', relation: 'account.account', string: 'Default Account' },
    },
  },
  {
    name: 'account.payment.method.line',
    description: 'Payment Methods',
    order: 'sequence, id',
    fields: {
      name: { type: 'char', string: 'Name' },
      sequence: { type: 'integer' },
      journal_id: { type: 'many2one', relation: 'account.journal', string: 'Journal' },
      payment_type: { type: 'selection', selection: [['inbound', 'Inbound'], ['outbound', 'Outbound']] },
      code: { type: 'char' },
    },
    displayName: (env, l) => (env.version >= 19 ? `${String(l.name)} (${env.displayName('account.journal', l.journal_id as number)})` : String(l.name)),
  },
  {
    name: AM,
    description: 'Journal Entry',
    order: 'date desc, name desc, id desc',
    indexes: ['partner_id', 'reversed_entry_id', 'invoice_origin'],
    fields: (v) => ({
      amount_paid_internal: { type: 'monetary', string: 'Paid (simulator)', readonly: true },
      ...(v <= 17 ? { reversal_move_id: { type: 'one2many' as const, relation: AM, string: 'Reversal Move', inverse: 'reversed_entry_id' } } : { reversal_move_ids: { type: 'one2many' as const, relation: AM, string: 'Reversal Moves', inverse: 'reversed_entry_id' } }),
      invoice_line_ids: { type: 'one2many', relation: AML, string: 'Invoice lines', inverse: 'move_id' },
      line_ids: { type: 'one2many', relation: AML, string: 'Journal Items', inverse: 'move_id' },
    }),
    defaults: (env) => ({
      state: 'draft',
      move_type: 'entry',
      date: env.today(),
      company_id: 1,
      currency_id: env.rec('res.company', 1)?.currency_id ?? 1,
      payment_state: 'not_paid',
      amount_untaxed: 0,
      amount_tax: 0,
      amount_total: 0,
      amount_residual: 0,
      name: env.traits.draftInvoiceName,
      invoice_user_id: env.uid,
    }),
    beforeCreate: (env, vals) => {
      if (vals.journal_id === undefined) {
        const type = String(vals.move_type ?? 'entry');
        const jt = type.startsWith('out_') ? 'sale' : type.startsWith('in_') ? 'purchase' : 'general';
        vals.journal_id = [...env.model('account.journal').table.rows.values()].find((j) => j.type === jt)?.id ?? false;
      }
      if (vals.move_type !== 'entry' && vals.invoice_date_due === undefined) vals.invoice_date_due = typeof vals.invoice_date === 'string' ? vals.invoice_date : formatDate(env.now());
      if (vals.move_type === 'entry' && vals.name === env.traits.draftInvoiceName) vals.name = '/';
    },
    afterCreate: (env, recs) => {
      for (const m of recs) recomputeMove(env, m.id);
    },
    beforeWrite: (env, recs, vals) => {
      if (recs.some((m) => m.state === 'posted') && ('invoice_line_ids' in vals || 'line_ids' in vals)) {
        throw userError('You cannot modify a posted entry of this journal because it is in strict mode.');
      }
    },
    afterWrite: (env, recs, vals) => {
      if ('invoice_line_ids' in vals || 'line_ids' in vals) for (const m of recs) recomputeMove(env, m.id);
    },
    beforeUnlink: (env, recs) => {
      for (const m of recs) {
        if (m.state !== 'posted') continue;
        if (env.traits.messages === 19) throw userError("You can't delete a posted journal item. Don\u2019t play games with your accounting records; reset the journal entry to draft before deleting it.");
        if (m.payment_state === 'paid' || m.payment_state === 'partial' || m.payment_state === 'in_payment') {
          throw userError(`You cannot do this modification on a reconciled journal entry. You can just change some non legal fields or you must unreconcile first.\nJournal Entry (id): ${String(m.name)} (${m.id})`);
        }
        throw userError('You cannot delete an entry which has been posted once.');
      }
    },
    compute: {
      invoice_date_due: (_env, m) => m.invoice_date_due ?? false,
    },
    displayName: (env, m) => {
      const name = m.name;
      if (m.state === 'draft' && (!name || name === '/')) return `Draft ${TYPE_LABEL[String(m.move_type)] ?? 'Entry'} (* ${m.id})`;
      return `${String(name)}${m.ref ? ` (${String(m.ref)})` : ''}`;
    },
    methods: {
      action_post: { params: [], qualname: 'AccountMove.action_post', fn: (env, ids) => post(env, ids) },
      button_draft: {
        params: [],
        qualname: 'AccountMove.button_draft',
        fn: (env, ids) => {
          for (const id of ids) {
            const m = env.rec(AM, id);
            if (!m) continue;
            if (m.payment_state === 'paid' || m.payment_state === 'partial') throw userError('You cannot reset to draft a reconciled entry.');
            env.model(AM).table.update(m, { state: 'draft', payment_state: 'not_paid', write_date: env.now(), write_uid: env.uid });
          }
          return undefined;
        },
      },
      button_cancel: {
        params: [],
        qualname: 'AccountMove.button_cancel',
        fn: (env, ids) => {
          for (const id of ids) {
            const m = env.rec(AM, id);
            if (!m) continue;
            if (m.state === 'posted') throw userError('You can only cancel draft entries.');
            env.model(AM).table.update(m, { state: 'cancel', write_date: env.now(), write_uid: env.uid });
          }
          return undefined;
        },
      },
    },
  },
  {
    name: AML,
    description: 'Journal Item',
    order: 'date desc, move_name desc, id',
    indexes: ['move_id', 'product_id'],
    fields: { sale_line_ids: { type: 'many2many', relation: 'sale.order.line', string: 'Sales Order Lines' } },
    defaults: () => ({ display_type: 'product', quantity: 1, discount: 0, company_id: 1 }),
    beforeCreate: (env, vals) => {
      const m = typeof vals.move_id === 'number' ? env.rec(AM, vals.move_id) : undefined;
      if (m) {
        vals.partner_id ??= m.partner_id;
        vals.currency_id ??= m.currency_id;
        vals.date ??= m.date;
      }
      if (vals.display_type === 'product' && typeof vals.product_id === 'number') {
        const pm = env.model('product.product');
        const p = env.rec(pm, vals.product_id);
        if (p) {
          vals.name ??= env.displayName(pm, p);
          vals.price_unit ??= env.value(pm, p, 'lst_price');
          vals.tax_ids ??= [[6, 0, env.value(pm, p, 'taxes_id') as number[]]];
          vals.product_uom_id ??= env.value(pm, p, 'uom_id');
        }
      }
    },
    afterCreate: (env, recs) => {
      linkSaleLines(env, recs);
      // lines created on their own (not through the invoice wizard) update the totals
      const moves = new Set(recs.filter((l) => l.display_type === 'product').map((l) => l.move_id as number));
      if (!env.context.skip_move_recompute) for (const m of moves) recomputeMove(env, m);
    },
    afterWrite: (env, recs, vals) => {
      if ('sale_line_ids' in vals) linkSaleLines(env, recs);
      if (!['quantity', 'price_unit', 'discount', 'tax_ids'].some((k) => k in vals)) return;
      for (const m of new Set(recs.map((l) => l.move_id as number))) {
        if (env.rec(AM, m)?.state === 'posted') throw userError('You cannot modify a posted entry of this journal because it is in strict mode.');
        recomputeMove(env, m);
      }
    },
    afterUnlink: (env, recs) => {
      for (const m of new Set(recs.map((l) => l.move_id as number))) recomputeMove(env, m);
    },
    compute: {
      move_name: (env, l) => env.rec(AM, l.move_id as number)?.name ?? false,
      parent_state: (env, l) => env.rec(AM, l.move_id as number)?.state ?? false,
      move_type: (env, l) => env.rec(AM, l.move_id as number)?.move_type ?? false,
    },
    displayName: (env, l) => `${String(env.rec(AM, l.move_id as number)?.name ?? '')}${l.name ? ` ${String(l.name)}` : ''}`,
  },
  {
    name: 'account.payment',
    description: 'Payments',
    order: 'date desc, name desc',
    indexes: ['partner_id'],
    fields: { reconciled_invoice_ids: { type: 'many2many', relation: AM, string: 'Reconciled Invoices' } },
    defaults: (env) => ({ state: 'draft', payment_type: 'inbound', partner_type: 'customer', date: env.today(), company_id: 1, currency_id: env.rec('res.company', 1)?.currency_id ?? 1, is_reconciled: false, is_matched: false }),
    compute: {
      reconciled_invoices_count: (_env, p) => ((p.reconciled_invoice_ids as number[] | undefined) ?? []).length,
    },
    displayName: (_env, p) => String(p.name ?? ''),
  },
];
