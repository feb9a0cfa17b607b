/**
 * Default operational data: warehouse WH with its locations and picking types (ids as recorded in 17 and
 * 19), taxes (15 % sale tax; 19 also a 0 % export tax via an automatic fiscal position, as recorded),
 * journals, payment methods, the "Standard delivery" carrier and its service product.
 */
import type { Env } from '../orm/types.js';
import { seedAt } from './seed-base.js';

type Loc = [number, string, string, number | false, string?, boolean?];

const LOCS_17: Loc[] = [
  [1, 'Physical Locations', 'view', false],
  [2, 'Partners', 'view', false],
  [3, 'Virtual Locations', 'view', false],
  [4, 'Vendors', 'supplier', 2, 'stock.stock_location_suppliers'],
  [5, 'Customers', 'customer', 2, 'stock.stock_location_customers'],
  [6, 'Inter-company transit', 'transit', 1, undefined, false],
  [7, 'WH', 'view', 1],
  [8, 'Stock', 'internal', 7, 'stock.stock_location_stock'],
  [9, 'Input', 'internal', 7, undefined, false],
  [10, 'Quality Control', 'internal', 7, undefined, false],
  [11, 'Output', 'internal', 7, undefined, false],
  [12, 'Packing Zone', 'internal', 7, undefined, false],
  [13, 'Production', 'production', 3],
  [14, 'Inventory adjustment', 'inventory', 3, 'stock.stock_location_inventory'],
  [15, 'Procurements', 'production', 3, undefined, false],
  [16, 'Scrap', 'inventory', 3, 'stock.stock_location_scrapped'],
];

const LOCS_19: Loc[] = [
  [1, 'Vendors', 'supplier', false, 'stock.stock_location_suppliers'],
  [2, 'Customers', 'customer', false, 'stock.stock_location_customers'],
  [3, 'Inter-company transit', 'transit', false, undefined, false],
  [4, 'WH', 'view', false],
  [5, 'Stock', 'internal', 4, 'stock.stock_location_stock'],
  [6, 'Input', 'internal', 4, undefined, false],
  [7, 'Quality Control', 'internal', 4, undefined, false],
  [8, 'Output', 'internal', 4, undefined, false],
  [9, 'Packing Zone', 'internal', 4, undefined, false],
  [10, 'Production', 'production', false],
  [11, 'Inventory adjustment', 'inventory', false, 'stock.stock_location_inventory'],
  [12, 'Scrap', 'production', false, 'stock.stock_location_scrapped', false],
];

export function seedAccounting(env: Env): void {
  const v = env.version;
  seedAt(env, 'account.account', 1, { name: 'Account Receivable', code: '121000', account_type: 'asset_receivable', reconcile: true });
  seedAt(env, 'account.account', 2, { name: 'Product Sales', code: '400000', account_type: 'income' });
  seedAt(env, 'account.account', 3, { name: 'Bank', code: '101401', account_type: 'asset_cash' });
  seedAt(env, 'account.tax', 1, { name: '15%', amount: 15, amount_type: 'percent', type_tax_use: 'sale', price_include: false, description: '15%' }, 'account.default_sale_tax');
  seedAt(env, 'account.tax', 2, { name: '15%', amount: 15, amount_type: 'percent', type_tax_use: 'purchase', price_include: false, description: '15%' }, 'account.default_purchase_tax');
  if (v >= 19) {
    seedAt(env, 'account.tax', 3, { name: '0% EX', amount: 0, amount_type: 'percent', type_tax_use: 'sale', price_include: false, description: '0%' }, 'account.export_sale_tax');
    seedAt(env, 'account.fiscal.position', 1, { name: 'Domestic', auto_apply: false, active: true, sequence: 1, tax_map: {}, company_id: 1 });
    seedAt(env, 'account.fiscal.position', 2, { name: 'Foreign customers', auto_apply: true, foreign_only: true, active: true, sequence: 10, tax_map: { '1': 3 }, company_id: 1 });
  }
  const journals: [number, string, string, string][] = [
    [1, v >= 19 ? 'Sales' : 'Customer Invoices', 'INV', 'sale'],
    [2, v >= 19 ? 'Purchases' : 'Vendor Bills', 'BILL', 'purchase'],
    [3, 'Miscellaneous Operations', 'MISC', 'general'],
    [4, 'Exchange Difference', 'EXCH', 'general'],
    [5, 'Cash Basis Taxes', 'CABA', 'general'],
    [6, 'Bank', 'BNK1', 'bank'],
    [7, 'Cash', 'CSH1', 'cash'],
  ];
  for (const [id, name, code, type] of journals) seedAt(env, 'account.journal', id, { name, code, type, sequence: id, active: true, company_id: 1 });
  const manual = v >= 19 ? 'Manual Payment' : 'Manual';
  seedAt(env, 'account.payment.method.line', 1, { name: manual, journal_id: 6, payment_type: 'inbound', code: 'manual', sequence: 10 });
  seedAt(env, 'account.payment.method.line', 2, { name: manual, journal_id: 6, payment_type: 'outbound', code: 'manual', sequence: 10 });
}

export function seedStock(env: Env): void {
  for (const [id, name, usage, parent, xmlid, active] of env.version >= 19 ? LOCS_19 : LOCS_17) {
    seedAt(env, 'stock.location', id, { name, usage, location_id: parent, active: active ?? true, company_id: usage === 'view' && !parent ? false : 1 }, xmlid);
  }
  const view = env.version >= 19 ? 4 : 7;
  const stock = env.ref('stock.stock_location_stock');
  seedAt(env, 'stock.warehouse', 1, { name: 'My Company', code: 'WH', view_location_id: view, lot_stock_id: stock, company_id: 1, partner_id: 1, sequence: 10 }, 'stock.warehouse0');
  const sup = env.ref('stock.stock_location_suppliers');
  const cus = env.ref('stock.stock_location_customers');
  seedAt(env, 'stock.picking.type', 1, { name: 'Receipts', code: 'incoming', sequence_code: 'IN', sequence: 1, warehouse_id: 1, default_location_src_id: sup, default_location_dest_id: stock, active: true, company_id: 1 }, 'stock.picking_type_in');
  seedAt(env, 'stock.picking.type', 2, { name: 'Delivery Orders', code: 'outgoing', sequence_code: 'OUT', sequence: 2, warehouse_id: 1, default_location_src_id: stock, default_location_dest_id: cus, return_picking_type_id: 1, active: true, company_id: 1 }, 'stock.picking_type_out');
  env.write('stock.picking.type', [1], { return_picking_type_id: 2 });
  seedAt(env, 'stock.picking.type', 3, { name: 'Internal Transfers', code: 'internal', sequence_code: 'INT', sequence: 3, warehouse_id: 1, default_location_src_id: stock, default_location_dest_id: stock, active: false, company_id: 1 });
  env.write('stock.warehouse', [1], { in_type_id: 1, out_type_id: 2, int_type_id: 3 });
}

/** Delivery product (product.product 1) and the "Standard delivery" carrier. */
export function seedDelivery(env: Env): void {
  const type = env.traits.storableByDetailedType ? { detailed_type: 'service' } : { type: 'service' };
  const pid = seedAt(env, 'product.product', 1, { name: 'Standard delivery', default_code: 'Delivery_007', ...type, categ_id: env.ref('delivery.product_category_deliveries'), list_price: 0, invoice_policy: 'order', sale_ok: false, purchase_ok: false, taxes_id: [] }, 'delivery.product_product_delivery');
  seedAt(env, 'delivery.carrier', 1, { name: 'Standard delivery', delivery_type: 'fixed', product_id: pid, fixed_price: 0, active: true }, 'delivery.free_delivery_carrier');
}
