/**
 * The people of the story, acting on their own system the way they would in its UI or API: the customer
 * and the shop admin on the shop, the warehouse worker in the ERP. Tandem is not an actor: it only reacts.
 */
import type { Order } from '../model/entities.js';
import type { Money } from '../model/money.js';
import type { Stack } from './stack.js';
import { WooTransport } from '../connectors/woocommerce/transport.js';
import { WooCommerceSettings } from '../connectors/woocommerce/settings.js';
import { SyncError } from '../shared/errors.js';

/**
 * A real WooCommerce: the customer's checkout is the REST API's order creation with set_paid (what a
 * payment gateway's callback does), for the variation with the SKU.
 */
async function placeRealWooOrder(stack: Stack, spec: Parameters<ShopActor['placeOrder']>[0]): Promise<string> {
  const settings = stack.engine.config.systems[stack.engine.names.shop];
  if (settings?.type !== 'woocommerce') throw new SyncError('config', 'placing an order in a real shop needs a WooCommerce shop (or the simulator)');
  const t = new WooTransport(WooCommerceSettings.parse(settings), stack.engine.log);
  const { data: hits } = await t.request<Array<{ id: number; parent_id: number; type: string }>>('GET', 'products', { query: { sku: spec.sku } });
  const hit = hits[0];
  if (!hit) throw new SyncError('not_found', `SKU ${spec.sku} is not in the shop`);
  const item = hit.type === 'variation' ? { product_id: hit.parent_id, variation_id: hit.id } : { product_id: hit.id };
  const billing = { first_name: spec.firstName, last_name: spec.lastName, email: spec.email, address_1: 'Khreshchatyk 1', city: 'Kyiv', postcode: '01001', country: 'UA' };
  const { data } = await t.request<{ id: number }>('POST', 'orders', {
    body: { payment_method: 'bacs', payment_method_title: 'Direct bank transfer', set_paid: true, billing, shipping: billing, line_items: [{ ...item, quantity: spec.quantity }], shipping_lines: [{ method_id: 'flat_rate', method_title: 'Flat rate', total: '4.90' }] },
  });
  return String(data.id);
}

export interface ShopActor {
  /** The customer checks out; returns the shop order id. */
  placeOrder(spec: { email: string; firstName: string; lastName: string; sku: string; quantity: number; shipping: string }): Promise<string>;
  /** The shop admin (or the carrier integration) sets a status in the shop. */
  setStatus(orderId: string, status: 'delivered' | 'cancelled'): Promise<void>;
  /** The shop admin refunds (money back; `restock` = the goods came back). */
  refund(orderId: string, spec: { amount: Money; sku: string; quantity: number; restock: boolean; reason: string }): Promise<void>;
  order(orderId: string): Promise<Order>;
  available(sku: string): Promise<number | null>;
}

export interface WarehouseActor {
  /** Counts stock into the main warehouse location (an inventory adjustment). */
  count(sku: string, quantity: number): Promise<{ location: string }>;
  /** Picks, packs and ships the order's delivery in the ERP with a tracking number. */
  ship(erpOrderId: string, carrier: string, tracking: string): Promise<{ picking: string }>;
  onHand(sku: string): Promise<number>;
}

/** The shop's own API does what the admin UI would; the connector calls the same endpoints. */
export function shopActor(stack: Stack): ShopActor {
  const shop = stack.engine.shop;
  return {
    async placeOrder(spec) {
      if (stack.restShop) {
        return stack.restShop.placeOrder({ email: spec.email, firstName: spec.firstName, lastName: spec.lastName, lines: [{ sku: spec.sku, quantity: spec.quantity }], paid: true, shipping: { method: spec.shipping, amount: '4.90' } });
      }
      if (stack.woo) {
        return String(await stack.woo.placeOrder({ email: spec.email, firstName: spec.firstName, lastName: spec.lastName, lines: [{ sku: spec.sku, quantity: spec.quantity }], paid: true, shippingTotal: '4.90' }));
      }
      return placeRealWooOrder(stack, spec);
    },
    async setStatus(orderId, status) {
      await shop.orders.setStatus(orderId, status, { note: status === 'delivered' ? 'Delivered by the carrier' : 'Cancelled by the shop' });
    },
    async refund(orderId, spec) {
      await shop.orders.recordRefund(orderId, { key: `admin-${orderId}-${spec.sku}`, amount: spec.amount, reason: spec.reason, restock: spec.restock, lines: [{ sku: spec.sku, quantity: spec.quantity, amount: spec.amount }] });
    },
    async order(orderId) {
      return (await shop.orders.getOrder(orderId)).data as Order;
    },
    async available(sku) {
      const [rec] = await shop.fetch('stock', [`${sku}@default`]);
      return rec?.data?.available ?? null;
    },
  };
}

export function warehouseActor(stack: Stack): WarehouseActor {
  const erp = stack.engine.erp;
  return {
    async count(sku, quantity) {
      const [location] = await erp.stock.listLocations();
      if (!location) throw new Error('the ERP has no stock location');
      await erp.stock.setOnHand([{ sku, location: location.id, onHand: quantity }]);
      return { location: location.name };
    },
    async ship(erpOrderId, carrier, tracking) {
      const s = await erp.orders.validateDelivery(erpOrderId, { carrier, trackingNumber: tracking });
      return { picking: s.name };
    },
    async onHand(sku) {
      const levels = await erp.stock.readStock({ skus: [sku] });
      return levels.reduce((a, l) => a + l.onHand, 0);
    },
  };
}
