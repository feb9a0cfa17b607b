/**
 * Reads the state of one order ONCE per run, under its lease: the shop order, the steps recorded, what
 * Tandem stored, and the ERP order (by its id, or — never imported — by the shop number in the ERP,
 * with the new order's lookups started next to that search). The deliveries are read later, once, by
 * readShipments, when the first step that needs them comes.
 *
 * One write sits among the reads, on purpose: the shop's view of the order is stored before the ERP is
 * asked, so an order the ERP cannot take (yet) still counts as in flight for the stock sync (skipped when
 * the stored row already says the same: the follow-up run of nearly every order).
 */
import type { ErpOrderState } from '../../connectors/contract.js';
import type { Order } from '../../model/entities.js';
import { SyncError } from '../../shared/errors.js';
import type { Engine } from '../context.js';
import { recordJobKey } from '../jobs/kinds.js';
import { lookupAll, type OrderLookups } from './import-order.js';
import { audit, type OrderContext } from './order-context.js';
import { importedNow, isImportable, sameShopFields, shopFields, type OrderState } from './order-state.js';

export async function readOrderState(engine: Engine, shopId: string, opts: { jobId: string | null; completeNow: boolean }): Promise<OrderState> {
  const rec = await engine.shop.orders.getOrder(shopId);
  if (!rec.data) throw (rec.error ?? new SyncError('mapping', 'order could not be mapped')).about({ entity: 'order', record: shopId });
  const order = rec.data as Order;
  // the stored row, the steps and whether a dead letter of the order waits: one statement
  const { stored, steps: done, deadLetter } = await engine.store.orders.readForSync(shopId, recordJobKey('order', 'shop', shopId));
  const fields = shopFields(shopId, order);
  if (!stored || !sameShopFields(stored, fields)) await engine.store.orders.upsert(fields);
  const state: OrderState = { shopId, order, stored, done, deadLetter, erp: null, shipments: null, invoices: null, ran: [], completeNow: opts.completeNow, settings: engine.config.orders };
  if (stored && stored.shopStatus !== order.status) await audit({ engine, state, jobId: opts.jobId }, 'shop:status', { from: stored.shopStatus, to: order.status }, stored.erpId);

  let lookups: Promise<OrderLookups> | undefined;
  let erp: ErpOrderState | null;
  // its state, totals and ids: the lifecycle's steps never look at the ERP order's lines
  if (stored?.erpId) erp = await engine.erp.orders.getOrder(stored.erpId, { lines: false });
  else {
    // a new order: its lookups (products, customer, taxes, carriers; reads only) run next to the lookup of its number
    if (isImportable(order)) {
      lookups = lookupAll(engine, order);
      lookups.catch(() => undefined); // awaited (and its error thrown) only when the order is imported
    }
    erp = await engine.erp.orders.findOrderByNumber(order.number, { placedAt: order.createdAt });
  }
  return { ...state, erp, ...(lookups && { lookups }) };
}

/** The order's deliveries and returns, read at most once per run. */
export async function readShipments(ctx: OrderContext): Promise<void> {
  const { state, engine } = ctx;
  if (state.shipments !== null) return;
  state.shipments = nothingShipped(state) ? [] : await engine.erp.orders.listShipments(state.erp!.id);
}

/**
 * No delivery or return of the order can be done yet, so there is nothing to read: a draft, an order
 * imported or confirmed by this very run, or one whose ERP says none of its deliveries is done.
 */
export function nothingShipped(state: Pick<OrderState, 'erp' | 'ran'>): boolean {
  const erp = state.erp;
  if (!erp || erp.state === 'draft' || importedNow(state) || state.ran.includes('confirm')) return true;
  return erp.deliveryStatus === 'none' || erp.deliveryStatus === 'pending';
}
