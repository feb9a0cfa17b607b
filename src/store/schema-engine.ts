/** Table types of the engine's tables (migration 002), merged into Database. */
import type { JsonText } from './json-text.js';

export interface OrdersTable {
  shop_id: string;
  number: string;
  erp_id: string | null;
  currency: string;
  shop_status: string;
  erp_state: string | null;
  shop_total: string;
  /** The ERP's own name of the order (S00042), for search. */
  erp_name: string | null;
  /** The customer's e-mail, lower case (personal: purged with the retention period). */
  email: string | null;
  erp_total: string | null;
  invoiced_total: string | null;
  paid_total: string | null;
  refunded_total: string | null;
  credited_total: string | null;
  lines: JsonText;
  ordered_at: number;
  imported_at: number | null;
  updated_at: number;
}

export interface OrderStepsTable {
  order_id: string;
  step: string;
  state: string;
  result: JsonText | null;
  at: number;
}

export interface SalesTable {
  order_id: string;
  sku: string;
  quantity: number;
  at: number;
}

export interface StockAlertsTable {
  sku: string;
  location: string;
  armed: number;
  available: number;
  updated_at: number;
}

export interface LocksTable {
  name: string;
  owner: string;
  expires_at: number;
}
