/** The WooCommerce REST v3 shapes Tandem reads (only the fields it uses). */
export interface WooMeta {
  id?: number;
  key: string;
  value: unknown;
}

export interface WooAttribute {
  id: number;
  name: string;
  position?: number;
  visible?: boolean;
  variation?: boolean;
  options?: string[];
  option?: string;
}

export interface WooProduct {
  id: number;
  name: string;
  type: string;
  status: string;
  parent_id: number;
  description: string;
  sku: string;
  regular_price: string;
  sale_price: string;
  manage_stock: boolean | 'parent';
  stock_quantity: number | null;
  weight: string;
  date_modified_gmt: string | null;
  categories: Array<{ id: number; name?: string }>;
  attributes: WooAttribute[];
  variations: number[];
  meta_data: WooMeta[];
}

/**
 * The product and variation fields the mappers read (map-product.ts, records.ts, feed-tracker.ts), asked for
 * with `_fields` when a read needs no more (ReadOptions.fields 'mapped'): WooCommerce then skips the rest —
 * related products, permalinks, price HTML, images… — about half of a product page's time on the lab.
 */
export const PRODUCT_FIELDS = 'id,name,type,status,parent_id,description,sku,regular_price,sale_price,manage_stock,stock_quantity,weight,date_modified_gmt,categories,attributes,variations';
export const VARIATION_FIELDS = 'id,sku,status,regular_price,sale_price,manage_stock,stock_quantity,weight,date_modified_gmt,attributes';

export interface WooVariation {
  id: number;
  sku: string;
  status: string;
  regular_price: string;
  sale_price: string;
  manage_stock: boolean | 'parent';
  stock_quantity: number | null;
  weight: string;
  date_modified_gmt: string | null;
  attributes: Array<{ id: number; name: string; option: string }>;
  meta_data: WooMeta[];
}

export interface WooAddress {
  first_name: string;
  last_name: string;
  company: string;
  address_1: string;
  address_2: string;
  city: string;
  state: string;
  postcode: string;
  country: string;
  email?: string;
  phone?: string;
}

export interface WooCustomer {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  role: string;
  date_modified_gmt: string | null;
  billing: WooAddress;
  shipping: WooAddress;
  meta_data: WooMeta[];
}

export interface WooLineItem {
  id: number;
  name: string;
  product_id: number;
  variation_id: number;
  quantity: number;
  subtotal: string;
  subtotal_tax: string;
  total: string;
  total_tax: string;
  taxes: Array<{ id: number; total: string; subtotal: string }>;
  sku: string | null;
}

export interface WooOrder {
  id: number;
  number: string;
  status: string;
  currency: string;
  prices_include_tax: boolean;
  date_created_gmt: string;
  date_modified_gmt: string | null;
  date_paid_gmt: string | null;
  discount_total: string;
  shipping_total: string;
  total: string;
  total_tax: string;
  customer_id: number;
  billing: WooAddress;
  shipping: WooAddress;
  payment_method: string;
  payment_method_title: string;
  transaction_id: string;
  customer_note: string;
  meta_data: WooMeta[];
  line_items: WooLineItem[];
  tax_lines: Array<{ id: number; rate_code: string; rate_id: number; label: string; tax_total: string; shipping_tax_total: string; rate_percent?: number }>;
  shipping_lines: Array<{ id: number; method_title: string; method_id: string; total: string; total_tax: string }>;
  fee_lines: Array<{ id: number; name: string; total: string; total_tax: string }>;
  coupon_lines: Array<{ id: number; code: string; discount: string; discount_tax: string }>;
  refunds: Array<{ id: number; reason: string; total: string }>;
  /** GET orders/<id>/refunds, attached by the connector when the order has refunds (lines with SKU and quantity). */
  refund_details?: WooRefund[];
}

export interface WooCategory {
  id: number;
  name: string;
  slug: string;
  parent: number;
}

export interface WooWebhook {
  id: number;
  name: string;
  status: 'active' | 'paused' | 'disabled';
  topic: string;
  delivery_url: string;
  date_modified_gmt: string | null;
}

/** Woo GMT dates have no zone: "2026-11-26T14:01:38" → "2026-11-26T14:01:38Z". */
export function gmt(date: string | null | undefined): string | null {
  if (!date) return null;
  return /Z$|[+-]\d\d:?\d\d$/.test(date) ? new Date(date).toISOString().replace(/\.000Z$/, 'Z') : `${date.slice(0, 19)}Z`;
}

/** A refund as GET orders/<id>/refunds returns it: line items with negative quantities and totals. */
export interface WooRefund {
  id: number;
  amount: string;
  reason: string;
  date_created_gmt?: string;
  line_items: Array<{ id: number; sku: string; quantity: number; total: string; total_tax: string; meta_data?: Array<{ key: string; value: unknown }> }>;
}
