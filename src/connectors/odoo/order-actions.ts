/**
 * Sale order actions: find/create (idempotent by client_order_ref = shop order number), confirm, cancel,
 * discard a draft, add lines, and the resolvers the order import needs. Every action reads the current
 * state first and does nothing when the order is already where it should be.
 */
import type { Cursor, ErpOrderInput, ErpOrderLineInput, ErpOrderState, Json } from '../contract.js';
import { SyncError } from '../../shared/errors.js';
import { Decimal } from '../../model/decimal.js';
import { SYSTEM } from './errors.js';
import { asAction, createOne, readMany, rememberSkus, searchAll, skusOf, variantsBySku, type OdooContext } from './context.js';
import { lineCommand, lineFields, orderFields, orderStateFromOdoo, orderVals } from './map-order.js';
import { asNumberId, m2oId, odooToIso, text, type OdooRecord } from './values.js';

/** `lines: false`: the orders only, one call (their `lines` stay empty); default: the lines too, in parallel. */
export async function readOrderStates(env: OdooContext, orderIds: number[], opts: { lines?: boolean } = {}): Promise<ErpOrderState[]> {
  if (orderIds.length === 0) return [];
  const traits = await env.traits();
  const { currency } = await env.lookups.company();
  // the order and its lines in parallel (the lines are searched by order id, not by the order's line ids)
  const [orders, lines] = await Promise.all([
    readMany(env, 'sale.order', orderIds, orderFields(traits)),
    opts.lines === false ? Promise.resolve([]) : searchAll(env, 'sale.order.line', [['order_id', 'in', orderIds]], lineFields(traits)),
  ]);
  const skus = await skusOf(env, lines.map((l) => m2oId(l.product_id)).filter((x): x is number => x !== null));
  return orders.map((o) => stateOf(env, o, lines.filter((l) => m2oId(l.order_id) === o.id), (pid) => skus.get(pid) ?? null, currency));
}

function stateOf(env: OdooContext, o: OdooRecord, lines: OdooRecord[], sku: (productId: number) => string | null, currency: string): ErpOrderState {
  const state = orderStateFromOdoo(o, lines, sku, currency);
  // the shop's own number, without this shop's namespace
  const prefix = env.orderRefPrefix ?? '';
  return prefix && state.number?.startsWith(prefix) ? { ...state, number: state.number.slice(prefix.length) } : state;
}

export async function orderState(env: OdooContext, id: string | number, opts: { lines?: boolean } = {}): Promise<ErpOrderState> {
  const n = typeof id === 'number' ? id : asNumberId(id, 'sale order id');
  const [state] = await readOrderStates(env, [n], opts);
  if (!state) throw new SyncError('not_found', `sale order ${n} does not exist in Odoo (deleted?)`, { system: SYSTEM, entity: 'order', record: String(n) });
  return state;
}

async function rawState(env: OdooContext, id: number): Promise<OdooRecord | null> {
  const traits = await env.traits();
  const [o] = await readMany(env, 'sale.order', [id], ['state', 'name', ...(traits.lockedField ? ['locked'] : [])]);
  return o ?? null;
}

/**
 * How long before the shop order was placed an unprefixed (legacy) ERP order may have been created and
 * still be its import: the clocks of shop and ERP differ a little; an order older than that was made for
 * another shop, or for this number before a reinstall, and must never be linked.
 */
export const LEGACY_REF_SKEW_MS = 2 * 60_000;

/**
 * The sale order of a shop order number: client_order_ref = prefix + number ("shop-1042"). An order with
 * the bare number (written by Tandem before references were namespaced) counts only when it was created
 * after the shop order was placed (less LEGACY_REF_SKEW_MS), i.e. could be this order's own import.
 */
export async function findOrderByNumber(env: OdooContext, number: string, opts: { placedAt?: string } = {}): Promise<ErpOrderState | null> {
  const ref = orderRef(env, number);
  const rows = await env.t.call<OdooRecord[]>('sale.order', 'search_read', { kwargs: { domain: refDomain(ref, number), fields: ['state', 'client_order_ref', 'create_date'], order: 'id asc' } });
  const { own, legacy } = byRef(rows, ref, number, opts.placedAt);
  if (rows.length > own.length + legacy.length) env.log?.info({ number, ref, ignored: rows.length - own.length - legacy.length }, 'sale orders with the bare shop order number created before the order was placed are not its import; ignored');
  const hits = own.length ? own : legacy;
  if (hits.length === 0) return null;
  const pick = hits.find((r) => r.state !== 'cancel') ?? hits[0]!;
  if (hits.length > 1) env.log?.warn({ number, ref, ids: hits.map((r) => r.id) }, 'several Odoo sale orders carry the same shop order reference; using the first active one');
  return orderState(env, pick.id);
}

/** The sale orders that may be the import of a shop order number: its own ref, and the bare number (legacy) when namespaced. */
function refDomain(ref: string, number: string): Json[] {
  return [['client_order_ref', 'in', ref === number ? [ref] : [ref, number]]];
}

/** Rows of refDomain split by the legacy rule: a bare-number order counts only when created after the order was placed (less the skew). */
function byRef(rows: OdooRecord[], ref: string, number: string, placedAt: string | undefined): { own: OdooRecord[]; legacy: OdooRecord[] } {
  const since = placedAt ? Date.parse(placedAt) - LEGACY_REF_SKEW_MS : Number.POSITIVE_INFINITY;
  const own = rows.filter((r) => text(r.client_order_ref) === ref);
  const legacy = ref === number ? [] : rows.filter((r) => text(r.client_order_ref) === number && Date.parse(odooToIso(r.create_date) ?? '') >= since);
  return { own, legacy };
}

/** client_order_ref of a shop order number. */
export function orderRef(env: Pick<OdooContext, 'orderRefPrefix'>, number: string): string {
  return `${env.orderRefPrefix ?? ''}${number}`;
}

async function withShippingProducts(env: OdooContext, input: ErpOrderInput): Promise<ErpOrderLineInput[]> {
  if (!input.lines.some((l) => l.isShipping && !l.productId)) return input.lines;
  const carrier = input.carrierId ? (await env.lookups.carriers()).find((c) => String(c.id) === input.carrierId) : undefined;
  if (!carrier?.productId) {
    throw new SyncError('config', `order ${input.number} has a shipping line but no delivery carrier with a product to put it on`, {
      system: SYSTEM,
      entity: 'order',
      record: input.number,
      hint: 'map the shop\'s shipping method to an Odoo delivery method (Inventory → Configuration → Delivery Methods)',
    });
  }
  return input.lines.map((l) => (l.isShipping && !l.productId ? { ...l, productId: String(carrier.productId) } : l));
}

/**
 * Creates the sale order; the engine has looked its number up (findOrderByNumber) under the order's lease.
 * The draft is read back without its lines, by its reference (one call: name, totals for the rounding
 * check, state): when another run created the same order meanwhile (two runs overlapping, e.g. a node
 * reaped while still running), every run keeps the LOWEST active id and removes its own later draft, so
 * racing runs converge on one sale order (`created: false` for the ones that found another's).
 */
export async function createOrder(env: OdooContext, input: ErpOrderInput): Promise<{ order: ErpOrderState; created: boolean }> {
  const traits = await env.traits();
  const company = await env.lookups.company();
  let pricelist: number | null = input.pricelistId ? asNumberId(input.pricelistId, 'pricelist id') : null;
  if (pricelist === null && input.currency !== company.currency) pricelist = await env.lookups.pricelistFor(input.currency);
  const lines = await withShippingProducts(env, input);
  const ref = orderRef(env, input.number);
  const id = await createOne(env, 'sale.order', orderVals({ ...input, number: ref, lines }, traits, pricelist));
  const rows = await env.t.call<OdooRecord[]>('sale.order', 'search_read', {
    kwargs: { domain: refDomain(ref, input.number), fields: [...orderFields(traits), 'create_date'], order: 'id asc' },
  });
  const { own, legacy } = byRef(rows, ref, input.number, input.orderedAt);
  const mine = rows.find((r) => r.id === id);
  if (!mine) throw new SyncError('not_found', `sale order ${id} just created for shop order ${input.number} is not found by its reference ${ref} (deleted at once?)`, { system: SYSTEM, entity: 'order', record: input.number });
  // the first active order that is this order's import (own reference; a bare-number one by the legacy rule: an older Tandem's run)
  const first = [...own, ...legacy].filter((r) => r.state !== 'cancel').sort((a, b) => a.id - b.id)[0] ?? mine;
  const state = (o: OdooRecord) => stateOf(env, o, [], () => null, company.currency);
  if (first.id === id) return { order: state(mine), created: true };
  env.log?.warn({ number: input.number, ref, kept: first.id, discarded: id }, 'another run created this sale order at the same time: keeping the first one, removing this run\'s draft');
  await discardDraftOrder(env, String(id));
  return { order: state(first), created: false };
}

export async function addOrderLines(env: OdooContext, id: string, lines: ErpOrderLineInput[]): Promise<ErpOrderState> {
  const n = asNumberId(id, 'sale order id');
  const traits = await env.traits();
  const o = await rawState(env, n);
  if (!o) throw new SyncError('not_found', `sale order ${id} does not exist`, { system: SYSTEM, entity: 'order', record: id });
  if (o.state !== 'draft' && o.state !== 'sent') {
    throw new SyncError('conflict', `sale order ${text(o.name)} is ${String(o.state)}: lines can only be added to a quotation`, { system: SYSTEM, entity: 'order', record: id });
  }
  if (lines.length) await env.t.call('sale.order', 'write', { ids: [n], kwargs: { vals: { order_line: lines.map((l) => lineCommand(l, traits)) } } });
  return orderState(env, n);
}

/**
 * Confirms at once, without reading the order first: it is a quotation whenever the engine asks (it has
 * just read it as a draft under the order's lease). Odoo refuses to confirm an order that is no longer a
 * quotation (UserError); only then is the order read: already confirmed = done, cancelled = conflict.
 * `known`: that draft as read; when Odoo confirmed it, it comes back confirmed without a read
 * (action_confirm changes the state and adds deliveries, not lines or totals; its deliveries are not done).
 */
export async function confirmOrder(env: OdooContext, id: string, known?: ErpOrderState): Promise<ErpOrderState> {
  const n = asNumberId(id, 'sale order id');
  try {
    await env.t.call('sale.order', 'action_confirm', { ids: [n] });
    if (known && known.id === String(n) && known.state === 'draft') return { ...known, state: 'confirmed', deliveryStatus: 'pending' };
    return await orderState(env, n);
  } catch (e) {
    if (!(e instanceof SyncError) || e.retryable) throw e;
    const o = await rawState(env, n);
    if (!o) throw new SyncError('not_found', `sale order ${id} does not exist`, { system: SYSTEM, entity: 'order', record: id });
    if (o.state === 'cancel') throw new SyncError('conflict', `sale order ${text(o.name)} is cancelled and cannot be confirmed`, { system: SYSTEM, entity: 'order', record: id });
    if (o.state !== 'sale' && o.state !== 'done') throw e;
    return orderState(env, n);
  }
}

/**
 * 17/18: action_cancel on a confirmed order only returns the sale.order.cancel wizard; with context
 * disable_cancel_warning it cancels directly (07_cancellation). If a wizard still comes back, it is run.
 * 19: action_cancel cancels directly. A locked order is unlocked first (Odoo refuses to cancel it).
 */
export async function cancelOrder(env: OdooContext, id: string): Promise<ErpOrderState> {
  const n = asNumberId(id, 'sale order id');
  const traits = await env.traits();
  const o = await rawState(env, n);
  if (!o) throw new SyncError('not_found', `sale order ${id} does not exist`, { system: SYSTEM, entity: 'order', record: id });
  if (o.state === 'cancel') return orderState(env, n);
  if (o.locked === true || o.state === 'done') {
    env.log?.warn({ order: text(o.name) }, 'unlocking a locked sale order to cancel it');
    await env.t.call('sale.order', 'action_unlock', { ids: [n] });
  }
  const res = await env.t.call<Json>('sale.order', 'action_cancel', { ids: [n], context: traits.cancelWizard ? { disable_cancel_warning: true } : undefined });
  const action = asAction(res);
  if (action?.res_model === 'sale.order.cancel') {
    const wiz = await createOne(env, 'sale.order.cancel', { order_id: n }, action.context);
    await env.t.call('sale.order.cancel', 'action_cancel', { ids: [wiz], context: action.context });
  }
  return orderState(env, n);
}

/** Compensation of createOrder: cancel + delete a quotation; no-op when gone; conflict when confirmed. */
export async function discardDraftOrder(env: OdooContext, id: string): Promise<void> {
  const n = asNumberId(id, 'sale order id');
  const o = await rawState(env, n);
  if (!o) return;
  if (o.state === 'sale' || o.state === 'done') {
    throw new SyncError('conflict', `sale order ${text(o.name)} is already confirmed: it cannot be discarded, cancel it instead`, { system: SYSTEM, entity: 'order', record: id });
  }
  if (o.state !== 'cancel') await env.t.call('sale.order', 'action_cancel', { ids: [n] });
  await env.t.call('sale.order', 'unlink', { ids: [n] });
}

export async function resolveProducts(env: OdooContext, skus: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const seen: Array<{ id: number; sku: string }> = [];
  for (const v of await variantsBySku(env, skus, { extraDomain: [['sale_ok', '=', true]] })) {
    const sku = text(v.default_code) ?? '';
    out.set(sku, [...(out.get(sku) ?? []), String(v.id)]);
    if (sku) seen.push({ id: v.id, sku });
  }
  rememberSkus(env, seen);
  return out;
}

export async function resolveCarrier(env: OdooContext, name: string): Promise<{ id: string; productId: string } | null> {
  const wanted = name.trim().toLowerCase();
  const hit = (await env.lookups.carriers()).find((c) => c.name.trim().toLowerCase() === wanted || String(c.id) === name);
  return hit && hit.productId !== null ? { id: String(hit.id), productId: String(hit.productId) } : null;
}

export async function resolveTaxes(env: OdooContext, names: string[]): Promise<Map<string, string>> {
  const taxes = await env.lookups.saleTaxes();
  const out = new Map<string, string>();
  for (const n of names) {
    const hit = taxes.find((t) => t.name === n) ?? taxes.find((t) => String(t.id) === n) ?? taxes.find((t) => t.name.toLowerCase() === n.toLowerCase());
    if (hit) out.set(n, String(hit.id));
  }
  return out;
}

/** Percent sale taxes of the connector's company with this rate and price-included flag (most specific first). */
export async function findSaleTaxes(env: OdooContext, q: { rate: string; priceIncluded: boolean }): Promise<Array<{ id: string; name: string }>> {
  const [taxes, company] = await Promise.all([env.lookups.saleTaxes(), env.lookups.company()]);
  const rate = Decimal.parse(q.rate);
  return taxes
    .filter((t) => t.amountType === 'percent' && t.priceInclude === q.priceIncluded && (t.company === null || t.company === company.id) && Decimal.parse(t.amount).eq(rate))
    .map((t) => ({ id: String(t.id), name: t.name }));
}

export type { Cursor };
