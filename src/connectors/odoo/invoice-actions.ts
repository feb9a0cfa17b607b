/**
 * Invoices, payments and credit notes of a sale order, through Odoo's own wizards (context
 * active_model/active_ids on create AND on the action call, as recorded in 06_order_flow):
 *   invoice:     sale.advance.payment.inv {advance_payment_method: 'delivered'} → create_invoices → action_post
 *   payment:     account.payment.register {journal, amount, date, communication} → action_create_payments
 *   credit note: account.move.reversal {reason, journal} → refund_moves → (partial: lines replaced) → action_post
 *
 * Decision — nothing invoiceable: with invoice_policy 'delivery' (shop products) an order is invoiceable
 * only after its delivery. createInvoice then returns the existing posted invoice if there is one, and
 * otherwise fails with invalid_data "nothing delivered to invoice yet" (no invoice of the shipping fee
 * alone, no switch to ordered quantities behind the user's back).
 */
import type { ErpInvoiceState, ErpOrderState, Json } from '../contract.js';
import type { Money, Payment } from '../../model/index.js';
import { Decimal, Money as M } from '../../model/index.js';
import { SyncError } from '../../shared/errors.js';
import { SYSTEM } from './errors.js';
import { asAction, createOne, readMany, searchAll, type OdooContext } from './context.js';
import { invoiceFields, invoiceStateFromOdoo, originNames } from './map-finance.js';
import { asNumberId, ids, isoToOdooDate, m2oId, m2oName, money, num, text, type OdooRecord } from './values.js';
import { TtlCache } from '../../shared/ttl-cache.js';

/** Sale order name → id of the orders this process invoiced lately (a minute): no search for an invoice's origin right after. */
const orderNames = TtlCache.perOwner<OdooContext, string, string>(60_000, 10_000);

function rememberOrderName(env: OdooContext, name: string | null, id: number): void {
  if (name) orderNames(env).set(name, String(id));
}

async function orderIdsOf(env: OdooContext, moves: OdooRecord[]): Promise<Map<number, string[]>> {
  const names = [...new Set(moves.flatMap((m) => originNames(m.invoice_origin)))];
  const memo = orderNames(env);
  const idOf = new Map<string, string>();
  for (const n of names) {
    const hit = memo.get(n);
    if (hit) idOf.set(n, hit.value);
  }
  const unknown = names.filter((n) => !idOf.has(n));
  const orders = unknown.length ? await env.t.call<OdooRecord[]>('sale.order', 'search_read', { kwargs: { domain: [['name', 'in', unknown]], fields: ['name'] } }) : [];
  for (const o of orders) idOf.set(text(o.name) ?? '', String(o.id));
  return new Map(moves.map((m) => [m.id, originNames(m.invoice_origin).map((n) => idOf.get(n)).filter((x): x is string => !!x)]));
}

export async function invoiceStates(env: OdooContext, moveIds: number[], knownOrder?: string): Promise<ErpInvoiceState[]> {
  const traits = await env.traits();
  const { currency } = await env.lookups.company();
  const moves = await readMany(env, 'account.move', moveIds, invoiceFields(traits));
  const orders = knownOrder ? new Map(moves.map((m) => [m.id, [knownOrder]])) : await orderIdsOf(env, moves);
  return moves.map((m) => invoiceStateFromOdoo(m, orders.get(m.id) ?? [], currency));
}

async function invoiceState(env: OdooContext, id: number, knownOrder?: string): Promise<ErpInvoiceState> {
  const [s] = await invoiceStates(env, [id], knownOrder);
  if (!s) throw new SyncError('not_found', `invoice ${id} does not exist in Odoo`, { system: SYSTEM, entity: 'invoice', record: String(id) });
  return s;
}

async function orderInvoices(env: OdooContext, orderId: number): Promise<{ order: OdooRecord; moves: OdooRecord[] }> {
  const traits = await env.traits();
  const [order] = await readMany(env, 'sale.order', [orderId], ['name', 'state', 'invoice_ids']);
  if (!order) throw new SyncError('not_found', `sale order ${orderId} does not exist`, { system: SYSTEM, entity: 'order', record: String(orderId) });
  rememberOrderName(env, text(order.name), order.id);
  const linked = ids(order.invoice_ids);
  // A partial credit note has its own line, not linked to sale lines (see shrinkCreditNote), so Odoo does not
  // list it in invoice_ids: it is found through the invoice it reverses.
  const refunds = linked.length
    ? await env.t.call<number[]>('account.move', 'search', { kwargs: { domain: [['reversed_entry_id', 'in', linked], ['move_type', '=', 'out_refund']] } })
    : [];
  const moves = (await readMany(env, 'account.move', [...new Set([...linked, ...refunds])], invoiceFields(traits))).sort((a, b) => a.id - b.id);
  return { order, moves };
}

export async function listInvoices(env: OdooContext, orderId: string): Promise<ErpInvoiceState[]> {
  const id = asNumberId(orderId, 'sale order id');
  const { currency } = await env.lookups.company();
  // orderInvoices read the moves with the invoice fields already
  const { moves } = await orderInvoices(env, id);
  return moves.map((m) => invoiceStateFromOdoo(m, [orderId], currency));
}

/** The order as the engine just read it (createInvoice's `known`). */
type KnownOrder = Pick<ErpOrderState, 'id' | 'name' | 'state' | 'invoiceIds'>;

/**
 * `known`: the order as just read under its lease. When it is confirmed and has no invoice yet, the wizard
 * runs at once (no read of the order, its moves or its lines) and the invoice it made is the action's
 * res_id; Odoo's "no invoiceable line" refusal sends it down the reading path, which words the error.
 */
export async function createInvoice(env: OdooContext, orderId: string, known?: KnownOrder): Promise<ErpInvoiceState> {
  const id = asNumberId(orderId, 'sale order id');
  if (known && known.id === String(id) && known.invoiceIds.length === 0 && (known.state === 'confirmed' || known.state === 'done')) {
    rememberOrderName(env, known.name, id);
    try {
      const made = await runInvoiceWizard(env, id);
      if (made !== null) return await postNew(env, [made], orderId, known.name);
    } catch (e) {
      if (!(e instanceof SyncError) || e.retryable) throw e;
    }
  }
  const { order, moves } = await orderInvoices(env, id);
  if (order.state !== 'sale' && order.state !== 'done') {
    throw new SyncError('conflict', `sale order ${text(order.name)} is ${String(order.state)}: only confirmed orders are invoiced`, { system: SYSTEM, entity: 'order', record: orderId });
  }
  const invoices = moves.filter((m) => m.move_type === 'out_invoice' && m.state !== 'cancel');
  const draft = invoices.filter((m) => m.state === 'draft');
  if (draft.length) {
    await env.t.call('account.move', 'action_post', { ids: draft.map((m) => m.id) });
    return invoiceState(env, draft[draft.length - 1]!.id, orderId);
  }
  const lines = await searchAll(env, 'sale.order.line', [['order_id', '=', id]], ['qty_to_invoice', ...((await env.traits()).delivery ? ['is_delivery'] : []), 'display_type']);
  const invoiceable = lines.some((l) => !l.display_type && l.is_delivery !== true && num(l.qty_to_invoice) > 0);
  const posted = invoices.filter((m) => m.state === 'posted');
  if (!invoiceable) {
    if (posted.length) return invoiceState(env, posted[posted.length - 1]!.id, orderId);
    throw new SyncError('invalid_data', `nothing delivered to invoice yet on ${text(order.name)}: its products are invoiced on delivery`, {
      system: SYSTEM,
      entity: 'invoice',
      record: orderId,
      hint: 'validate the delivery first (or set the products\' invoicing policy to "Ordered quantities" in Odoo)',
    });
  }
  const made = await runInvoiceWizard(env, id);
  // what the wizard created: the action's res_id, else the order's new invoice_ids (it creates invoices, never credit notes)
  const before = new Set(moves.map((m) => m.id));
  const created = made !== null ? [made] : ids((await readMany(env, 'sale.order', [id], ['invoice_ids']))[0]?.invoice_ids).filter((m) => !before.has(m));
  return postNew(env, created, orderId, text(order.name));
}

/** sale.advance.payment.inv → create_invoices; the new invoice's id when the action names one (one invoice made). */
async function runInvoiceWizard(env: OdooContext, orderId: number): Promise<number | null> {
  const ctx = { active_model: 'sale.order', active_ids: [orderId], active_id: orderId };
  const wiz = await createOne(env, 'sale.advance.payment.inv', { advance_payment_method: 'delivered' }, ctx);
  const action = asAction(await env.t.call<Json>('sale.advance.payment.inv', 'create_invoices', { ids: [wiz], context: ctx }));
  return action?.res_model === 'account.move' && typeof action.res_id === 'number' ? action.res_id : null;
}

/** Posts the invoices the wizard just made (drafts) and returns the customer invoice among them, read after posting. */
async function postNew(env: OdooContext, created: number[], orderId: string, orderName: string | null): Promise<ErpInvoiceState> {
  if (created.length === 0) throw new SyncError('unavailable', `Odoo created no invoice for ${orderName ?? orderId}`, { system: SYSTEM, entity: 'invoice', record: orderId });
  await env.t.call('account.move', 'action_post', { ids: created });
  const states = await invoiceStates(env, created, orderId);
  const mine = states.find((m) => m.kind === 'invoice') ?? states[0];
  if (!mine) throw new SyncError('unavailable', `Odoo created no invoice for ${orderName ?? orderId}`, { system: SYSTEM, entity: 'invoice', record: orderId });
  return mine;
}

/**
 * `known`: the invoice as just made or read under the order's lease (with its partner): not read again.
 * The search for an earlier payment with the same memo stays (a payment can exist that is not matched to
 * the invoice).
 */
export async function registerPayment(env: OdooContext, invoiceId: string, payment: Payment, known?: ErpInvoiceState): Promise<ErpInvoiceState> {
  const traits = await env.traits();
  const id = asNumberId(invoiceId, 'invoice id');
  let current: ErpInvoiceState;
  let partner: number | null;
  if (known && known.id === String(id) && known.partnerId !== undefined) {
    current = known;
    partner = known.partnerId === null ? null : Number(known.partnerId);
  } else {
    const [m] = await readMany(env, 'account.move', [id], invoiceFields(traits));
    if (!m) throw new SyncError('not_found', `invoice ${invoiceId} does not exist in Odoo`, { system: SYSTEM, entity: 'payment', record: invoiceId });
    current = invoiceStateFromOdoo(m, [], m2oName(m.currency_id) ?? payment.amount.currency);
    partner = m2oId(m.partner_id);
  }
  const ps = current.paymentState;
  if (ps === 'paid' || ps === 'in_payment' || ps === 'reversed' || current.residual.isZero()) return known && current === known ? known : invoiceState(env, id);
  if (current.state !== 'posted') throw new SyncError('conflict', `invoice ${invoiceId} is ${current.state}: only posted invoices take payments`, { system: SYSTEM, entity: 'payment', record: invoiceId });
  if (payment.amount.currency !== current.residual.currency) {
    throw new SyncError('invalid_data', `payment in ${payment.amount.currency} for an invoice in ${current.residual.currency}`, { system: SYSTEM, entity: 'payment', record: invoiceId, field: 'amount' });
  }
  const memo = paymentMemo(payment);
  if (payment.transactionId) {
    // exact equality on the memo Tandem writes: a substring match (ilike) let a transaction id contained in an
    // earlier memo, or one with `%`/`_`, skip a real payment
    const prior = await env.t.call<OdooRecord[]>('account.payment', 'search_read', {
      kwargs: { domain: [[traits.paymentMemoField, '=', memo], ['partner_id', '=', partner ?? 0]], fields: ['state', traits.paymentMemoField], limit: 1 },
    });
    if (prior.some((p) => p[traits.paymentMemoField] === memo)) {
      env.log?.warn({ invoice: invoiceId, transaction: payment.transactionId }, 'a payment with this transaction id is already in Odoo; not registering it again');
      return invoiceState(env, id);
    }
  }
  const paid = M.fromJSON(payment.amount);
  const amount = paid.cmp(current.residual) > 0 ? current.residual : paid;
  const ctx = { active_model: 'account.move', active_ids: [id] };
  const wiz = await createOne(env, 'account.payment.register', { journal_id: await env.lookups.bankJournal(), payment_date: isoToOdooDate(payment.paidAt), communication: memo, amount: amount.toNumber() }, ctx);
  await env.t.call('account.payment.register', 'action_create_payments', { ids: [wiz], context: ctx });
  return invoiceState(env, id, current.orderIds[0]);
}

/** The payment's memo in Odoo, also the key its duplicate check compares exactly. */
export function paymentMemo(payment: Payment): string {
  return [payment.orderNumber, payment.method, payment.transactionId].filter(Boolean).join(' ');
}

export function creditMarker(key: string): string {
  return `[tandem:${key}]`;
}

export async function createCreditNote(env: OdooContext, invoiceId: string, opts: { amount?: Money; reason: string; key?: string }): Promise<ErpInvoiceState> {
  const traits = await env.traits();
  const id = asNumberId(invoiceId, 'invoice id');
  const [inv] = await readMany(env, 'account.move', [id], invoiceFields(traits));
  if (!inv) throw new SyncError('not_found', `invoice ${invoiceId} does not exist in Odoo`, { system: SYSTEM, entity: 'refund', record: invoiceId });
  const currency = m2oName(inv.currency_id) ?? opts.amount?.currency ?? 'USD';
  const total = money(inv.amount_total, currency);
  if (opts.amount && (opts.amount.currency !== currency || opts.amount.isNegative() || opts.amount.isZero() || opts.amount.cmp(total) > 0)) {
    throw new SyncError('invalid_data', `credit note of ${opts.amount.toString()} for an invoice of ${total.toString()}`, { system: SYSTEM, entity: 'refund', record: invoiceId, field: 'amount' });
  }
  const marker = opts.key ? creditMarker(opts.key) : null;
  if (marker) {
    const prior = (await env.t.call<OdooRecord[]>('account.move', 'search_read', {
      kwargs: { domain: [['reversed_entry_id', '=', id], ['move_type', '=', 'out_refund'], ['ref', 'ilike', marker]], fields: ['state', 'ref'] },
    })).filter((r) => (text(r.ref) ?? '').includes(marker) && r.state !== 'cancel');
    if (prior[0]) {
      if (prior[0].state === 'draft') await postCreditNote(env, prior[0].id, opts.amount, opts.reason);
      return invoiceState(env, prior[0].id);
    }
  }
  if (inv.state !== 'posted') throw new SyncError('conflict', `invoice ${invoiceId} is ${String(inv.state)}: only posted invoices can be credited`, { system: SYSTEM, entity: 'refund', record: invoiceId });
  const ctx = { active_model: 'account.move', active_ids: [id] };
  const vals: Record<string, Json> = { reason: marker ? `${opts.reason} ${marker}` : opts.reason };
  const journal = m2oId(inv.journal_id);
  if (journal !== null) vals.journal_id = journal;
  const wiz = await createOne(env, 'account.move.reversal', vals, ctx);
  const res = await env.t.call<Json>('account.move.reversal', 'refund_moves', { ids: [wiz], context: ctx });
  let cn = res && typeof res === 'object' && !Array.isArray(res) && typeof res.res_id === 'number' ? res.res_id : null;
  if (cn === null) {
    const [latest] = await env.t.call<OdooRecord[]>('account.move', 'search_read', { kwargs: { domain: [['reversed_entry_id', '=', id], ['move_type', '=', 'out_refund']], fields: ['id'], order: 'id desc', limit: 1 } });
    cn = latest?.id ?? null;
  }
  if (cn === null) throw new SyncError('unavailable', `Odoo did not say which credit note it created for invoice ${invoiceId}`, { system: SYSTEM });
  await postCreditNote(env, cn, opts.amount && !opts.amount.eq(total) ? opts.amount : undefined, opts.reason);
  return invoiceState(env, cn);
}

/** Posts a draft credit note; for a partial amount its lines are first replaced by one line worth `amount` (tax included). */
async function postCreditNote(env: OdooContext, cnId: number, amount: Money | undefined, reason: string): Promise<void> {
  if (amount) await shrinkCreditNote(env, cnId, amount, reason);
  await env.t.call('account.move', 'action_post', { ids: [cnId] });
}

/**
 * Partial credit (documented choice): the reversal copies every invoice line; for a partial refund they
 * are replaced by ONE line "Refund: <reason>" with the taxes of the first product line, priced so that the
 * total incl. tax equals the amount (one correction round for cent rounding). The line is deliberately not
 * linked to sale lines: a money-only refund must not lower the order's invoiced quantities (which would make
 * the order "to invoice" again). The credit note keeps reversed_entry_id and invoice_origin, which is how
 * listInvoices and ErpInvoiceState.orderIds find it.
 */
async function shrinkCreditNote(env: OdooContext, cnId: number, amount: Money, reason: string): Promise<void> {
  const lines = await env.t.call<OdooRecord[]>('account.move.line', 'search_read', { kwargs: { domain: [['move_id', '=', cnId], ['display_type', '=', 'product']], fields: ['tax_ids', 'account_id'] } });
  const first = lines[0];
  const taxIds = first ? ids(first.tax_ids) : [];
  const taxes = taxIds.length ? await readMany(env, 'account.tax', taxIds, ['amount', 'amount_type', 'price_include']) : [];
  const excl = taxes.filter((t) => t.amount_type === 'percent' && t.price_include !== true).reduce((a, t) => a.add(Decimal.parse(num(t.amount))), Decimal.ZERO);
  const divisor = Decimal.ONE.add(excl.div(100, 6));
  let price = amount.toDecimal().div(divisor, 2);
  const line: Record<string, Json> = { name: `Refund: ${reason}`, quantity: 1, price_unit: price.toNumber(), tax_ids: [[6, 0, taxIds]] };
  if (first && m2oId(first.account_id) !== null) line.account_id = m2oId(first.account_id);
  await env.t.call('account.move', 'write', { ids: [cnId], kwargs: { vals: { invoice_line_ids: [...lines.map((l) => [2, l.id] as Json), [0, 0, line]] } } });
  const [after] = await readMany(env, 'account.move', [cnId], ['amount_total', 'invoice_line_ids']);
  const diff = amount.sub(money(after?.amount_total, amount.currency));
  if (!diff.isZero() && after) {
    price = price.add(diff.toDecimal().div(divisor, 2));
    const [lineId] = ids(after.invoice_line_ids).slice(-1);
    if (lineId !== undefined) await env.t.call('account.move', 'write', { ids: [cnId], kwargs: { vals: { invoice_line_ids: [[1, lineId, { price_unit: price.toNumber() }]] } } });
  }
}
