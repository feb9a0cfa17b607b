/**
 * The Tandem REST shop contract on the wire (docs/rest-shop.md, docs/rest-shop.openapi.yaml): the JSON a
 * shop returns and accepts. snake_case, money as decimal strings with the resource's `currency`, times as
 * ISO 8601 UTC, ids as integers or strings.
 */
export type WireId = string | number;

export interface WireCategory {
  id: WireId;
  name: string;
  parent_id: WireId | null;
  updated_at: string;
}

export interface WireVariant {
  id?: WireId;
  sku: string;
  barcode?: string | null;
  attributes?: Record<string, string>;
  price: string;
  sale_price?: string | null;
  weight?: { value: string; unit: 'kg' | 'g' | 'lb' | 'oz' } | null;
  active?: boolean;
}

export interface WireProduct {
  id?: WireId;
  name: string;
  description?: string;
  active?: boolean;
  tracks_stock?: boolean;
  category_ids?: WireId[];
  attributes?: Array<{ name: string; values: string[] }>;
  variants: WireVariant[];
  currency?: string;
  updated_at?: string;
}

export interface WireAddress {
  type?: 'contact' | 'invoice' | 'delivery';
  name?: string;
  company?: string | null;
  street?: string;
  street2?: string | null;
  city?: string;
  zip?: string;
  state?: string | null;
  country?: string | null;
  phone?: string | null;
  email?: string | null;
}

export interface WireCustomer {
  id?: WireId;
  email: string;
  first_name?: string;
  last_name?: string;
  company?: string | null;
  phone?: string | null;
  addresses?: WireAddress[];
  updated_at?: string;
}

export interface WirePrice {
  id?: WireId;
  sku: string;
  pricelist?: string;
  price: string;
  sale_price?: string | null;
  min_quantity?: number;
  currency?: string;
  updated_at?: string;
}

export interface WireStock {
  id?: WireId;
  sku: string;
  location?: string;
  quantity: number;
  reserved?: number;
  updated_at?: string;
}

export interface WireOrderLine {
  id: WireId;
  sku: string | null;
  name?: string;
  quantity: number;
  unit_price: string;
  discount?: string | null;
  subtotal: string;
  tax: string;
  tax_rate?: string | null;
  total: string;
}

export interface WireShipment {
  id?: WireId;
  carrier: string | null;
  tracking_number: string | null;
  tracking_url?: string | null;
  lines?: Array<{ sku: string; quantity: number }>;
  shipped_at?: string | null;
  state?: 'ready' | 'shipped' | 'delivered' | 'returned' | 'cancelled';
}

export interface WireRefund {
  id: WireId;
  key?: string | null;
  amount: string;
  reason?: string;
  restock?: boolean;
  lines?: Array<{ sku: string | null; line_id?: WireId | null; quantity: number; amount?: string | null }>;
  created_at?: string | null;
}

export interface WireReturn {
  id: WireId;
  key?: string | null;
  state: 'requested' | 'received' | 'done' | 'cancelled';
  reason?: string;
  lines: Array<{ sku: string; quantity: number }>;
  created_at?: string | null;
}

export interface WireOrder {
  id: WireId;
  number: string;
  status: string;
  currency: string;
  prices_include_tax?: boolean;
  created_at: string;
  updated_at?: string;
  customer: { id?: WireId | null; email: string; first_name?: string; last_name?: string; phone?: string | null };
  billing_address?: WireAddress | null;
  shipping_address?: WireAddress | null;
  lines: WireOrderLine[];
  shipping_lines?: Array<{ method?: string; carrier?: string | null; total: string; tax: string }>;
  discounts?: Array<{ code?: string; amount: string }>;
  taxes?: Array<{ rate?: string | null; label?: string; amount: string }>;
  total: string;
  total_tax: string;
  payment?: { method: string; transaction_id?: string | null; amount: string; paid_at: string } | null;
  note?: string | null;
  shipments?: WireShipment[];
  refunds?: WireRefund[];
  returns?: WireReturn[];
}

/** One item of a batch response, in request order. */
export interface WireBatchResult {
  status: number;
  id?: WireId;
  data?: unknown;
  message?: string;
  errors?: Record<string, string[]>;
}

/** Webhook body: `{event: "order.created", data: {id, …}}`. */
export interface WireWebhookBody {
  event: string;
  data: { id: WireId; updated_at?: string; [key: string]: unknown };
  occurred_at?: string;
}
