/**
 * Optional Odoo modules. A real database may run without `delivery` (sale_management + stock + account
 * only): then there is no delivery.carrier model and none of the fields the delivery module (and its
 * stock_delivery bridge) adds to sale orders, order lines and pickings. Checked against a real Odoo 17 and 19
 * installed without it: reading or writing any of these fails with "Invalid field …".
 */
import type { Database } from './orm/registry.js';

const DELIVERY_FIELDS: Record<string, string[]> = {
  'sale.order': ['carrier_id', 'delivery_set', 'recompute_delivery_price', 'shipping_weight'],
  'sale.order.line': ['is_delivery', 'recompute_delivery_price'],
  'stock.picking': ['carrier_id', 'carrier_price', 'carrier_tracking_ref', 'carrier_tracking_url', 'shipping_weight', 'weight', 'allowed_carrier_ids'],
  'stock.move': ['weight'],
  'stock.move.line': ['carrier_id'],
  'res.partner': ['property_delivery_carrier_id'],
  'res.users': ['property_delivery_carrier_id'],
};

/** Removes what the delivery module adds (models and fields); call before seeding. */
export function withoutDelivery(db: Database): void {
  db.models.delete('delivery.carrier');
  for (const [model, names] of Object.entries(DELIVERY_FIELDS)) {
    const m = db.models.get(model);
    if (!m) continue;
    for (const n of names) m.fields.delete(n);
  }
  for (const m of db.models.values()) {
    for (const [n, f] of m.fields) if (f.relation === 'delivery.carrier') m.fields.delete(n);
  }
}
