/**
 * Shop order → ERP sale order, exactly once: the lifecycle's import step runs only after the ERP was asked
 * for the shop order number (`client_order_ref`) under the order's lease, so a duplicated webhook, a retry
 * after a crash or a second worker finds the order instead of creating another. When the ERP's total differs from what the customer paid by rounding, a
 * rounding line makes them equal; a larger difference undoes the draft (compensation) and is an error.
 */
import type { ErpOrderState } from '../../connectors/contract.js';
import type { Order, ShippingLine } from '../../model/entities.js';
import { Money } from '../../model/money.js';
import { SyncError } from '../../shared/errors.js';
import type { Engine } from '../context.js';
import { buildErpOrder, carrierKey, carrierNameFor, orderTaxRates, roundingDifference, type Resolutions } from './build-order.js';
import { choiceKey, neededTaxes, resolveTaxChoices, type ResolvedTaxes } from './taxes.js';
import { TtlCache } from '../../shared/ttl-cache.js';
import { lookupCustomer, resolveCustomer, type CustomerLookup } from './resolve-customer.js';

/** Taxes and carriers change rarely: resolved once per engine for a few minutes (one call less per order each). */
const staticCache = TtlCache.perOwner<Engine, string, Promise<unknown>>(5 * 60_000, 1_000);

function cached<T>(engine: Engine, key: string, load: () => Promise<T>): Promise<T> {
  const cache = staticCache(engine);
  const hit = cache.get(key);
  if (hit) return hit.value as Promise<T>;
  const value = load();
  cache.set(key, value);
  value.catch(() => cache.delete(key));
  return value;
}

async function resolveCarrierOf(engine: Engine, line: ShippingLine): Promise<{ id: string; productId: string } | null> {
  const cfg = engine.config.orders;
  const carrier = await engine.erp.orders.resolveCarrier(carrierNameFor(cfg.carriers, line));
  if (carrier || !cfg.shippingProduct) return carrier;
  const ids = (await engine.erp.orders.resolveProducts([cfg.shippingProduct])).get(cfg.shippingProduct) ?? [];
  return ids.length === 1 ? { id: '', productId: ids[0] as string } : null;
}

/** The order's lookups in the ERP: reads only, all at once (the customer is created later if missing). */
export interface OrderLookups {
  products: Map<string, string[]>;
  taxes: ResolvedTaxes;
  carriers: Map<string, { id: string; productId: string } | null>;
  customer: CustomerLookup;
}

export async function lookupAll(engine: Engine, order: Order): Promise<OrderLookups> {
  const cfg = engine.config.orders;
  const skus = [...new Set(order.lines.flatMap((l) => (l.sku ? [l.sku] : [])))];
  const taxChoices = neededTaxes(order, cfg.taxes, orderTaxRates(order)).sort((a, b) => choiceKey(a).localeCompare(choiceKey(b)));
  const methods = [...new Map(order.shipping.map((s) => [carrierKey(s), s])).values()];
  const [products, taxes, customer, carrierList] = await Promise.all([
    engine.erp.orders.resolveProducts(skus),
    taxChoices.length ? cached(engine, `taxes:${taxChoices.map(choiceKey).join('|')}`, () => resolveTaxChoices(engine.erp.orders, taxChoices)) : Promise.resolve<ResolvedTaxes>(new Map()),
    lookupCustomer(engine, order),
    Promise.all(methods.map((m) => cached(engine, `carrier:${carrierKey(m)}|${m.method}`, () => resolveCarrierOf(engine, m)))),
  ]);
  const carriers = new Map(methods.map((m, i) => [carrierKey(m), carrierList[i] ?? null]));
  return { products, taxes, carriers, customer };
}

async function resolveAll(engine: Engine, order: Order, lookups: OrderLookups): Promise<Resolutions> {
  const { partnerId } = await resolveCustomer(engine, order, lookups.customer);
  return { products: lookups.products, taxes: lookups.taxes, carriers: lookups.carriers, partnerId };
}

/**
 * Creates the ERP order of a shop order. Not a lookup: the caller has found no ERP order with this number
 * under the order's lease (the lifecycle's import step, after readOrderState). `lookups`: the order's
 * lookups when the caller started them already (next to its own lookup of the number). `signal`: checked
 * before the customer may be created and right before the order is (the lookups take a while).
 */
export async function importOrder(engine: Engine, shopId: string, order: Order, lookups?: Promise<OrderLookups>, signal?: AbortSignal): Promise<{ order: ErpOrderState; created: boolean; rounding: Money | null }> {
  const found = await (lookups ?? lookupAll(engine, order));
  signal?.throwIfAborted();
  const input = buildErpOrder(order, engine.config.orders, await resolveAll(engine, order, found), `${engine.names.shop}:${order.number}`);
  signal?.throwIfAborted();
  const { order: created, created: isNew } = await engine.erp.orders.createOrder(input);
  if (!isNew || created.state !== 'draft') return { order: created, created: isNew, rounding: null };

  let diff: Money | null;
  try {
    diff = roundingDifference(order, created.total, engine.config.orders.roundingTolerance);
  } catch (e) {
    await engine.erp.orders.discardDraftOrder(created.id); // compensation: no half-right order stays behind
    throw e;
  }
  if (!diff) return { order: created, created: true, rounding: null };

  const sku = engine.config.orders.roundingProduct;
  const ids = (await engine.erp.orders.resolveProducts([sku])).get(sku) ?? [];
  if (ids.length !== 1) {
    await engine.erp.orders.discardDraftOrder(created.id);
    throw new SyncError('config', `order ${order.number} needs a rounding line of ${diff.toString()}, but the ERP has ${ids.length === 0 ? 'no' : 'several'} product with SKU ${sku}`, {
      entity: 'order',
      record: order.number,
      hint: `create one service product "Rounding" with internal reference ${sku} (no taxes) in the ERP, or set orders.roundingProduct, then replay`,
    });
  }
  const fixed = await engine.erp.orders.addOrderLines(created.id, [{ productId: ids[0] as string, name: 'Rounding', quantity: 1, priceUnit: diff.amount, taxIds: [] }]);
  if (!fixed.total.eq(Money.fromJSON(order.total))) {
    await engine.erp.orders.discardDraftOrder(created.id);
    throw new SyncError('invalid_data', `order ${order.number}: after a rounding line of ${diff.toString()} the ERP total is ${fixed.total.toString()}, not ${Money.fromJSON(order.total).toString()}`, { entity: 'order', record: order.number, field: 'total' });
  }
  engine.log.info({ order: order.number, shopId, erpId: created.id, rounding: diff.toString() }, 'rounding line added');
  return { order: fixed, created: true, rounding: diff };
}
