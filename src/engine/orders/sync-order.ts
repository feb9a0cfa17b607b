/**
 * Brings one order to the same state in both systems. It always starts from the CURRENT state of both
 * sides (never from the event that triggered it), so duplicated, reordered or late webhooks all end the
 * same way; each effect is a named step recorded per order, and every connector action is idempotent.
 *
 * Steps and their compensation:
 *   import           shop order → ERP sale order         undo: discard the draft (on a total mismatch)
 *   confirm          confirm the ERP order               undo: cancel
 *   cancel:erp       shop cancelled → cancel ERP order   —
 *   invoice          post the ERP invoice                undo: credit note
 *   payment          register the shop payment           undo: refund
 *   ship:<picking>   ERP delivery done → shop shipped + tracking
 *   refund:<id>      shop refund → ERP return picking (restock) + credit note
 *   erp-return:<id>  ERP return → shop refund with restock
 *   cancel:shop      ERP cancelled → shop cancelled (+ refund when paid)
 */
import type { ErpInvoiceState, ErpOrderState, ErpShipmentState, Json } from '../../connectors/contract.js';
import type { Order, OrderStatus } from '../../model/entities.js';
import { canTransition } from '../../model/order-status.js';
import { Money } from '../../model/money.js';
import { SyncError } from '../../shared/errors.js';
import type { Engine } from '../context.js';
import { importOrder, lookupAll, type OrderLookups } from './import-order.js';
import { withLock } from '../lock.js';
import { ORDER_FOLLOW_UP_PRIORITY, ORDER_SYNC, orderJob } from '../jobs/kinds.js';
import { creditNote, shopRefundActions, erpReturnRefund } from './refunds.js';

export interface OrderSyncResult {
  shopId: string;
  number: string;
  erpId: string | null;
  steps: string[];
  skipped?: string;
}

const PAID_STATUSES: OrderStatus[] = ['confirmed', 'partially_shipped', 'shipped', 'delivered', 'completed'];

export interface OrderSyncOptions {
  jobId?: string;
  /** Do every step in this call (CLI, tests) instead of leaving invoice and payment of a new order to a follow-up job. */
  complete?: boolean;
}

export async function syncOrder(engine: Engine, shopId: string, ctx: OrderSyncOptions = {}): Promise<OrderSyncResult> {
  // the queue already runs one job per order at a time; the lease also covers other processes and callers
  return withLock(engine, `order:${shopId}`, () => syncOrderLocked(engine, shopId, ctx), { wait: true });
}

async function syncOrderLocked(engine: Engine, shopId: string, ctx: OrderSyncOptions): Promise<OrderSyncResult> {
  const rec = await engine.shop.orders.getOrder(shopId);
  if (!rec.data) throw (rec.error ?? new SyncError('mapping', 'order could not be mapped')).about({ entity: 'order', record: shopId });
  const order = rec.data as Order;
  const cfg = engine.config.orders;
  const done = await engine.store.orders.steps(shopId);
  const steps: string[] = [];
  const audit = (action: string, detail: Json, erpId?: string | null) =>
    engine.store.audit.record({ entity: 'order', shopId, erpId: erpId ?? null, orderNumber: order.number, action, jobId: ctx.jobId ?? null, detail });
  const step = async (name: string, erpId: string | null, run: () => Promise<Json>) => {
    if (done.get(name)?.state === 'done') return;
    const result = await run();
    await engine.store.transaction(async (tx) => {
      await engine.store.orders.recordStep(shopId, name, 'done', result, tx);
      await engine.store.audit.record({ entity: 'order', shopId, erpId, orderNumber: order.number, action: `step:${name}`, jobId: ctx.jobId ?? null, detail: result }, tx);
    });
    done.set(name, { step: name, state: 'done', result, at: Date.now() });
    steps.push(name);
  };

  const row = await engine.store.orders.get(shopId);
  const lines = order.lines.flatMap((l) => (l.sku ? [{ sku: l.sku, quantity: l.quantity }] : []));
  const orderedAt = Date.parse(order.createdAt);
  await engine.store.orders.upsert({ shopId, number: order.number, currency: order.currency, shopStatus: order.status, shopTotal: order.total.amount, lines, orderedAt });
  if (row && row.shopStatus !== order.status) await audit('shop:status', { from: row.shopStatus, to: order.status }, row.erpId);

  // ── import ──
  const importable = order.status !== 'cancelled' && order.status !== 'failed' && order.status !== 'refunded';
  let lookups: Promise<OrderLookups> | undefined;
  let erp: ErpOrderState | null;
  if (row?.erpId) erp = await engine.erp.orders.getOrder(row.erpId);
  else {
    // a new order: its lookups (products, customer, taxes, carriers; reads only) run next to the lookup of its number
    if (importable) {
      lookups = lookupAll(engine, order);
      lookups.catch(() => undefined); // awaited (and its error thrown) only when the order is imported
    }
    erp = await engine.erp.orders.findOrderByNumber(order.number);
  }
  if (!erp) {
    if (!importable) {
      await audit('skip:import', { reason: `order is ${order.status} in the shop and was never imported` });
      return { shopId, number: order.number, erpId: null, steps, skipped: `order is ${order.status} in the shop` };
    }
    // under the order's lease, right after finding no ERP order with this number
    const res = await importOrder(engine, shopId, order, { ...(lookups && { lookups }), lookedUp: true });
    erp = res.order;
    await engine.store.transaction(async (tx) => {
      await engine.store.links.upsertMany([{ entity: 'order', shopId, erpId: erp!.id }], tx);
      await engine.store.orders.upsert({ shopId, number: order.number, currency: order.currency, shopStatus: order.status, shopTotal: order.total.amount, lines, orderedAt, erpId: erp!.id, erpState: erp!.state, erpTotal: erp!.total.amount, importedAt: Date.now() }, tx);
      await engine.store.orders.recordSales(shopId, lines, orderedAt, tx);
      await engine.store.orders.recordStep(shopId, 'import', 'done', { erpId: erp!.id, name: erp!.name, created: res.created, rounding: res.rounding?.amount ?? null }, tx);
      await engine.store.audit.record({ entity: 'order', shopId, erpId: erp!.id, orderNumber: order.number, action: 'step:import', jobId: ctx.jobId ?? null, detail: { name: erp!.name, created: res.created, total: erp!.total.toString(), rounding: res.rounding?.toString() ?? null } }, tx);
    });
    steps.push('import');
  } else if (!row?.erpId) {
    await engine.store.links.upsertMany([{ entity: 'order', shopId, erpId: erp.id }]);
    await engine.store.orders.upsert({ shopId, number: order.number, currency: order.currency, shopStatus: order.status, shopTotal: order.total.amount, lines, orderedAt, erpId: erp.id, importedAt: Date.now() });
  }
  const erpId = erp.id;

  // ── shop → ERP ──
  if (order.status === 'cancelled' && erp.state !== 'cancelled') {
    await step('cancel:erp', erpId, async () => {
      erp = await engine.erp.orders.cancelOrder(erpId);
      await engine.store.orders.clearSales(shopId);
      // money already invoiced goes back through a credit note (never more than invoiced − credited)
      const credit = await creditNote(engine, erpId, order.currency, Money.fromJSON(order.total), `order ${order.number} cancelled in the shop`, `cancel:${shopId}`);
      return { state: erp.state, credit };
    });
  }
  const paid = order.payment !== null || PAID_STATUSES.includes(order.status);
  if (erp.state === 'draft' && order.status !== 'cancelled' && (cfg.confirm === 'immediately' || paid)) {
    await step('confirm', erpId, async () => {
      // erp was read (or created) under this order's lease just now: it is a draft
      erp = await engine.erp.orders.confirmOrder(erpId, { draft: true });
      return { state: erp.state };
    });
  }

  // A new order is in the ERP and confirmed: that is what the customer and the warehouse wait for. Its
  // invoice and payment follow in a job of their own, so a burst of orders is confirmed first.
  if (steps.includes('import') && !ctx.complete) {
    await engine.queue.enqueue(orderJob(shopId, 'follow-up', { priority: ORDER_FOLLOW_UP_PRIORITY }));
    engine.queue.notify();
    await refreshTotals(engine, shopId, order, erp, false);
    return { shopId, number: order.number, erpId, steps };
  }

  // an order imported by this very run cannot have been picked in the ERP yet: no need to ask
  const shipments = erp.state === 'draft' || steps.includes('import') ? [] : await engine.erp.orders.listShipments(erpId);
  const delivered = shipments.some((s) => s.kind === 'outgoing' && s.state === 'done');
  const invoiceNow = erp.state !== 'draft' && erp.state !== 'cancelled' && paid && (cfg.invoice === 'on_payment' || (cfg.invoice === 'on_delivery' && delivered));
  // the order's invoices as this run left them, when it knows them all: it had none, and made the only one
  let knownInvoices: ErpInvoiceState[] | null = null;
  const noInvoiceBefore = erp.invoiceIds.length === 0;
  if (invoiceNow) {
    let invoiceId = '';
    await step('invoice', erpId, async () => {
      const inv = await engine.erp.orders.createInvoice(erpId);
      if (noInvoiceBefore) knownInvoices = [inv];
      return { invoiceId: inv.id, name: inv.name, total: inv.total.amount };
    });
    invoiceId = String((done.get('invoice')?.result as { invoiceId?: string } | null)?.invoiceId ?? '');
    if (order.payment && invoiceId) {
      const payment = order.payment;
      await step('payment', erpId, async () => {
        const inv = await engine.erp.orders.registerPayment(invoiceId, { orderNumber: order.number, amount: payment.amount, method: payment.method, transactionId: payment.transactionId, paidAt: payment.paidAt });
        if (knownInvoices && inv.id === invoiceId) knownInvoices = [inv];
        return { invoiceId, paymentState: inv.paymentState, amount: payment.amount.amount };
      });
    }
  }

  // ── ERP → shop: deliveries ──
  const ourReturns = new Set<string>();
  for (const [name, s] of done) if (name.startsWith('refund:')) for (const id of ((s.result as { returnIds?: string[] } | null)?.returnIds ?? [])) ourReturns.add(id);
  const outgoingDone = shipments.filter((s) => s.kind === 'outgoing' && s.state === 'done');
  const openOutgoing = shipments.some((s) => s.kind === 'outgoing' && s.state !== 'done' && s.state !== 'cancelled');
  for (const s of outgoingDone) {
    await step(`ship:${s.id}`, erpId, async () => {
      await engine.shop.orders.addShipment(shopId, toShipment(s));
      const status: OrderStatus = openOutgoing ? 'partially_shipped' : 'shipped';
      const current = (await engine.shop.orders.getOrder(shopId)).data as Order;
      if (canTransition(current.status, status) && current.status !== status) await engine.shop.orders.setStatus(shopId, status);
      return { picking: s.name, carrier: s.carrier, tracking: s.trackingNumber, status };
    });
  }

  // ── refunds both ways ──
  for (const refund of order.refunds) {
    await step(`refund:${refund.id}`, erpId, () => shopRefundActions(engine, order, erpId, refund, shipments, done));
  }
  for (const s of shipments.filter((x) => x.kind === 'return' && x.state === 'done' && !ourReturns.has(x.id))) {
    await step(`erp-return:${s.id}`, erpId, () => erpReturnRefund(engine, shopId, order, s));
  }

  // ── ERP cancelled → shop ──
  if (erp.state === 'cancelled' && order.status !== 'cancelled' && !done.has('cancel:erp')) {
    await step('cancel:shop', erpId, async () => {
      if (canTransition(order.status, 'cancelled')) await engine.shop.orders.setStatus(shopId, 'cancelled', { note: `Cancelled in ${engine.names.erp} (${erp!.name})` });
      await engine.store.orders.clearSales(shopId);
      let refund: Json = null;
      if (order.payment) {
        const refunded = order.refunds.reduce((a, r) => a.add(Money.fromJSON(r.amount)), Money.zero(order.currency));
        const left = Money.fromJSON(order.payment.amount).sub(refunded);
        if (!left.isZero() && !left.isNegative()) {
          const r = await engine.shop.orders.recordRefund(shopId, { key: `erp-cancel:${erpId}`, amount: left, reason: `Order cancelled in ${engine.names.erp}`, restock: true, lines: [] });
          refund = { id: r.id, amount: left.amount };
        }
      }
      return { cancelledInShop: true, refund };
    });
  }

  // only invoice and payment happened, on the one invoice this run created: its state is known, no read
  const onlyInvoicing = steps.every((x) => x === 'invoice' || x === 'payment');
  await refreshTotals(engine, shopId, order, erp, knownInvoices && onlyInvoicing ? knownInvoices : steps.length > 0 || erp.invoiceIds.length > 0);
  // an earlier attempt of this order that died (e.g. an unknown SKU since added) is settled now
  await engine.queue.resolveDead(ORDER_SYNC, [`order:${shopId}`]);
  return { shopId, number: order.number, erpId, steps };
}

function toShipment(s: ErpShipmentState) {
  return {
    carrier: s.carrier,
    trackingNumber: s.trackingNumber,
    trackingUrl: null,
    lines: s.lines.flatMap((l) => (l.sku ? [{ sku: l.sku, quantity: l.done }] : [])),
    shippedAt: s.doneAt,
    state: 'shipped' as const,
  };
}

/** Finance figures of the order on both sides (for `tandem finance report`), from the ERP state at hand. */
async function refreshTotals(engine: Engine, shopId: string, order: Order, erp: ErpOrderState, known: ErpInvoiceState[] | boolean): Promise<void> {
  const erpId = erp.id;
  const readInvoices = known !== false;
  const invoices = Array.isArray(known) ? known : known ? await engine.erp.orders.listInvoices(erpId) : [];
  const zero = Money.zero(order.currency);
  const posted = invoices.filter((i) => i.state === 'posted');
  const invoiced = Money.sum(posted.filter((i) => i.kind === 'invoice').map((i) => i.total), order.currency);
  const credited = Money.sum(posted.filter((i) => i.kind === 'credit_note').map((i) => i.total), order.currency);
  const paid = Money.sum(posted.filter((i) => i.kind === 'invoice').map((i) => i.total.sub(i.residual)), order.currency);
  const refunded = order.refunds.reduce((a, r) => a.add(Money.fromJSON(r.amount)), zero);
  const lines = order.lines.flatMap((l) => (l.sku ? [{ sku: l.sku, quantity: l.quantity }] : []));
  await engine.store.orders.upsert({
    shopId,
    number: order.number,
    currency: order.currency,
    shopStatus: order.status,
    shopTotal: order.total.amount,
    lines,
    orderedAt: Date.parse(order.createdAt),
    erpId,
    erpState: erp.state,
    erpTotal: erp.total.amount,
    refundedTotal: refunded.amount,
    // without an invoice read the stored figures stay as they are
    ...(readInvoices && { invoicedTotal: invoiced.amount, creditedTotal: credited.amount, paidTotal: paid.amount }),
  });
}
