/**
 * The sneakers story, step by step, with the ids on both sides. Each step states what must be true and
 * checks it against the systems themselves (not against Tandem's own bookkeeping).
 */
import { Money } from '../model/money.js';
import type { Json } from '../connectors/contract.js';
import { syncAll } from '../engine/initial-sync.js';
import { pollOrders } from '../engine/orders/poll-orders.js';
import { syncStock } from '../engine/stock/sync-stock.js';
import { reconcile, type Difference } from '../engine/reconcile.js';
import type { Stack } from './stack.js';
import { shopActor, warehouseActor } from './actors.js';

export interface StoryStep {
  name: string;
  ok: boolean;
  shop: Record<string, Json>;
  erp: Record<string, Json>;
  note?: string;
}

export interface StoryResult {
  steps: StoryStep[];
  reconcile: { differences: Difference[] };
  /** The step that failed (the story stops there). */
  failed?: string;
}

export const SNEAKER = { sku: 'SNK-RUN-43', size: '43' };

export class StepFailed extends Error {}

/** Lets Tandem react: webhooks delivered, the ERP polled (it sends no webhooks), every job run. */
async function tandemReacts(stack: Stack): Promise<void> {
  await stack.settle();
  await pollOrders(stack.engine);
  await stack.settle();
}

type Counts = Record<'read' | 'created' | 'updated' | 'linked' | 'unchanged' | 'skipped' | 'failed', number>;

/** What the initial sync did with the shop's products in the ERP, counted from its report. */
export function catalogCounts(c: Counts | undefined, variantId: string | null): Record<string, number | string | null> {
  return { created: c?.created ?? 0, matched: c?.linked ?? 0, alreadyInSync: (c?.unchanged ?? 0) + (c?.updated ?? 0), variantId };
}

export function catalogNote(c: Counts | undefined): string {
  if (!c) return 'no product flow';
  const parts = [`${c.created} created now`, `${c.linked} matched to existing ERP products by SKU`];
  if (c.unchanged + c.updated) parts.push(`${c.unchanged + c.updated} already synced (by the shop's webhooks as the catalog was entered)`);
  return `${c.read} shop products in the ERP: ${parts.join(', ')}`;
}

/** Why a returned item's refund is less than the order and the shop's status stays. */
export function refundNote(total: Money, refunded: Money, status: string): string {
  const kept = total.sub(refunded);
  const shipping = kept.isZero() ? '' : `refunded ${refunded.toString()} of ${total.toString()}: the returned item only; shipping (${kept.toString()}) is not refunded. `;
  return `${shipping}The shop's order stays "${status}": a partial refund does not change an order's status (a full refund would make it "refunded")`;
}

/** `tag`: the SKU prefix of this run (seedDemo's). */
export async function runStory(stack: Stack, onStep: (s: StoryStep) => void = () => undefined, tag = ''): Promise<StoryResult> {
  const steps: StoryStep[] = [];
  try {
    return await tell(stack, steps, onStep, { ...SNEAKER, sku: `${tag}${SNEAKER.sku}` });
  } catch (e) {
    if (e instanceof StepFailed) return { steps, reconcile: { differences: [] }, failed: e.message };
    throw e;
  }
}

async function tell(stack: Stack, steps: StoryStep[], onStep: (s: StoryStep) => void, sneaker: typeof SNEAKER): Promise<StoryResult> {
  const { engine } = stack;
  const shop = shopActor(stack);
  const warehouse = warehouseActor(stack);
  const step = (s: StoryStep) => {
    steps.push(s);
    onStep(s);
    if (!s.ok) throw new StepFailed(`step "${s.name}" failed: ${s.note ?? ''}`);
  };
  const erpOrderOf = async (number: string) => engine.erp.orders.findOrderByNumber(number);

  // 1. initial sync: the shop's catalog lands in the ERP (matched by SKU, never duplicated)
  const initial = await syncAll(engine, { kind: 'initial', reconcile: true });
  const [variant] = (await engine.erp.orders.resolveProducts([sneaker.sku])).get(sneaker.sku) ?? [];
  const products = initial.reports.find((r) => r.entity === 'product' && r.direction === 'shop->erp');
  step({
    name: 'initial sync: the shop catalog lands in the ERP',
    ok: Boolean(variant) && (initial.reconcile?.differences.length ?? 1) === 0,
    shop: { products: products?.counts.read ?? 0, sku: sneaker.sku },
    erp: catalogCounts(products?.counts, variant ?? null),
    note: `${catalogNote(products?.counts)}; verification: ${initial.reconcile?.differences.length ?? '?'} differences`,
  });

  // 2. the warehouse counts the sneakers into stock in the ERP; the shop gets the quantity
  const counted = await warehouse.count(sneaker.sku, 5);
  await syncStock(engine);
  const availableAtStart = await shop.available(sneaker.sku);
  step({ name: 'the warehouse counts 5 pairs in; the shop can sell them', ok: availableAtStart === 5, shop: { sku: sneaker.sku, available: availableAtStart }, erp: { sku: sneaker.sku, location: counted.location, onHand: await warehouse.onHand(sneaker.sku) } });

  // 3. a customer orders the sneakers, size 43
  const shopId = await shop.placeOrder({ email: 'olena.k@example.com', firstName: 'Olena', lastName: 'Kovalenko', sku: sneaker.sku, quantity: 1, shipping: 'standard' });
  const placed = await shop.order(shopId);
  step({ name: `a customer orders sneakers (size ${sneaker.size})`, ok: placed.lines[0]?.sku === sneaker.sku, shop: { orderId: shopId, number: placed.number, total: Money.fromJSON(placed.total).toString(), status: placed.status }, erp: {} });

  // 4. Tandem imports it (webhook → inbox → job)
  await tandemReacts(stack);
  const erp = await erpOrderOf(placed.number);
  step({
    name: 'the order appears in the ERP',
    ok: erp !== null && erp.total.eq(Money.fromJSON(placed.total)),
    shop: { orderId: shopId, number: placed.number, total: Money.fromJSON(placed.total).toString() },
    erp: { orderId: erp?.id ?? null, name: erp?.name ?? null, clientOrderRef: erp?.number ?? null, total: erp?.total.toString() ?? null },
  });
  const erpId = erp!.id;

  // 5. stock checked and the order confirmed (paid at checkout), invoiced, paid
  await syncStock(engine);
  const levels = await engine.erp.stock.readStock({ skus: [sneaker.sku] });
  step({
    name: 'stock checked, order confirmed',
    ok: erp!.state === 'confirmed' && levels.some((l) => l.onHand - l.available >= 1),
    shop: { orderId: shopId, available: await shop.available(sneaker.sku) },
    erp: { orderId: erpId, state: erp!.state, onHand: levels.reduce((a, l) => a + l.onHand, 0), reserved: levels.reduce((a, l) => a + (l.onHand - l.available), 0) },
  });
  const invoices = await engine.erp.orders.listInvoices(erpId);
  const invoice = invoices.find((i) => i.kind === 'invoice' && i.state === 'posted');
  step({ name: 'invoiced', ok: Boolean(invoice) && invoice!.total.eq(Money.fromJSON(placed.total)), shop: { total: Money.fromJSON(placed.total).toString() }, erp: { invoiceId: invoice?.id ?? null, invoice: invoice?.name ?? null, total: invoice?.total.toString() ?? null } });
  step({ name: 'paid', ok: invoice?.paymentState === 'paid' || invoice?.paymentState === 'in_payment', shop: { payment: placed.payment?.method ?? null, transactionId: placed.payment?.transactionId ?? null }, erp: { invoice: invoice?.name ?? null, paymentState: invoice?.paymentState ?? null, residual: invoice?.residual.toString() ?? null } });

  // 6. the warehouse picks and ships it with a tracking number
  const tracking = `DHL-${placed.number}-7731`;
  const { picking } = await warehouse.ship(erpId, 'DHL', tracking);
  step({ name: 'picked and shipped with a tracking number', ok: true, shop: {}, erp: { picking, carrier: 'DHL', tracking } });

  // 7. Tandem polls the ERP and tells the shop
  await tandemReacts(stack);
  const shipped = await shop.order(shopId);
  step({
    name: 'the shop shows "shipped" and the tracking number',
    ok: shipped.status === 'shipped' && shipped.shipments.some((s) => s.trackingNumber === tracking),
    shop: { orderId: shopId, status: shipped.status, tracking: shipped.shipments[0]?.trackingNumber ?? null },
    erp: { picking },
  });

  // 8. delivered
  await shop.setStatus(shopId, 'delivered');
  await tandemReacts(stack);
  const delivered = await shop.order(shopId);
  step({ name: 'delivered', ok: ['delivered', 'completed', 'shipped'].includes(delivered.status), shop: { orderId: shopId, status: delivered.status }, erp: { orderId: erpId, state: (await engine.erp.orders.getOrder(erpId)).state } });

  // 9. the customer returns them: the shop refunds with restock, Tandem does the ERP side
  const before = await warehouse.onHand(sneaker.sku);
  await shop.refund(shopId, { amount: Money.fromJSON(placed.lines[0]!.total), sku: sneaker.sku, quantity: 1, restock: true, reason: 'Customer returned the sneakers (too small)' });
  await tandemReacts(stack);
  const returned = await shop.order(shopId);
  const shipments = await engine.erp.orders.listShipments(erpId);
  const ret = shipments.find((s) => s.kind === 'return' && s.state === 'done');
  const credit = (await engine.erp.orders.listInvoices(erpId)).find((i) => i.kind === 'credit_note' && i.state === 'posted');
  const refund = returned.refunds[0];
  step({
    name: 'the customer returns them: return picking, credit note, refund in the shop',
    ok: Boolean(ret && credit && refund) && credit!.total.eq(Money.fromJSON(refund!.amount)),
    shop: { orderId: shopId, refundId: refund?.id ?? null, refund: refund ? Money.fromJSON(refund.amount).toString() : null, status: returned.status },
    erp: { returnPicking: ret?.name ?? null, creditNote: credit?.name ?? null, credit: credit?.total.toString() ?? null },
    ...(refund && { note: refundNote(Money.fromJSON(placed.total), Money.fromJSON(refund.amount), returned.status) }),
  });

  // 10. stock back on the shelf, and in the shop
  await syncStock(engine);
  const after = await warehouse.onHand(sneaker.sku);
  const available = await shop.available(sneaker.sku);
  step({ name: 'stock back on the shelf', ok: after === before + 1, shop: { sku: sneaker.sku, available }, erp: { sku: sneaker.sku, onHandBefore: before, onHand: after } });

  const rec = await reconcile(engine);
  return { steps, reconcile: { differences: rec.differences } };
}
