/**
 * The canonical model: what a product, customer, order… is for Tandem, independent of any system.
 * Mappers translate each system's shape to and from these types. Every type has a zod schema so a
 * mapper's output is validated with a message naming the record and the field.
 *
 * Conventions: money as {amount: "19.99", currency: "EUR"} (see money.ts); quantities as numbers
 * (integers in practice; Odoo allows fractions for some units); time as ISO 8601 UTC strings ending in
 * Z; ids of other systems are strings.
 */
import { z } from 'zod';
import { Decimal } from './decimal.js';

export const MoneySchema = z.object({
  amount: z.string().refine((s) => Decimal.isDecimal(s), { message: 'must be a decimal string like "19.99"' }),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like "EUR"'),
});

/** ISO 8601 UTC timestamp, e.g. 2026-11-26T14:25:00Z (fractions allowed). */
export const UtcTimestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'must be an ISO 8601 UTC timestamp ending in Z');

export const ENTITY_TYPES = [
  'category',
  'product',
  'price',
  'customer',
  'order',
  'stock',
  'payment',
  'invoice',
  'refund',
  'return',
  'shipment',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

// ───────────────────────────── catalog ─────────────────────────────

export const CategorySchema = z.object({
  name: z.string().min(1),
  /** Id of the parent category in the same system as this record (null for a root). */
  parentId: z.string().nullable().default(null),
});
export type Category = z.infer<typeof CategorySchema>;

export const WeightSchema = z.object({ value: z.string(), unit: z.enum(['kg', 'g', 'lb', 'oz']) });

export const VariantSchema = z.object({
  /** The system's own id of the variant (Odoo product.product id, Woo variation id). */
  id: z.string().optional(),
  sku: z.string().min(1),
  barcode: z.string().nullable().default(null),
  /** Attribute values of this variant: { Size: "43", Color: "Red" }. Empty for a simple product. */
  attributes: z.record(z.string(), z.string()).default({}),
  price: MoneySchema,
  salePrice: MoneySchema.nullable().default(null),
  weight: WeightSchema.nullable().default(null),
  active: z.boolean().default(true),
});
export type Variant = z.infer<typeof VariantSchema>;

export const ProductSchema = z.object({
  name: z.string().min(1),
  description: z.string().default(''),
  /** Category ids in the same system as this record; the engine translates them through links. */
  categoryIds: z.array(z.string()).default([]),
  /** Attributes and their allowed values, in display order: [{name:"Size", values:["42","43"]}]. */
  attributes: z.array(z.object({ name: z.string(), values: z.array(z.string()) })).default([]),
  /** A simple product has exactly one variant with no attributes. */
  variants: z.array(VariantSchema).min(1),
  active: z.boolean().default(true),
  /** Whether stock is tracked (Odoo storable, Woo manage_stock). */
  tracksStock: z.boolean().default(true),
});
export type Product = z.infer<typeof ProductSchema>;

export const PriceSchema = z.object({
  sku: z.string().min(1),
  /** Pricelist name; 'default' is the list price. */
  pricelist: z.string().default('default'),
  list: MoneySchema,
  sale: MoneySchema.nullable().default(null),
  minQuantity: z.number().nonnegative().default(0),
});
export type Price = z.infer<typeof PriceSchema>;

// ───────────────────────────── customers ─────────────────────────────

export const AddressSchema = z.object({
  type: z.enum(['contact', 'invoice', 'delivery']),
  name: z.string().default(''),
  company: z.string().nullable().default(null),
  street: z.string().default(''),
  street2: z.string().nullable().default(null),
  city: z.string().default(''),
  zip: z.string().default(''),
  /** State/province code within the country (e.g. "BE" for Berlin in DE, "CA"). */
  state: z.string().nullable().default(null),
  /** ISO 3166-1 alpha-2 */
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code like "DE"').nullable().default(null),
  phone: z.string().nullable().default(null),
  email: z.string().nullable().default(null),
});
export type Address = z.infer<typeof AddressSchema>;

export const CustomerSchema = z.object({
  email: z.string().email(),
  firstName: z.string().default(''),
  lastName: z.string().default(''),
  company: z.string().nullable().default(null),
  phone: z.string().nullable().default(null),
  addresses: z.array(AddressSchema).default([]),
});
export type Customer = z.infer<typeof CustomerSchema>;

/** Emails are matched trimmed and lower-cased (Woo stores them as typed, Odoo's `=` is case-sensitive). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

// ───────────────────────────── orders ─────────────────────────────

export const ORDER_STATUSES = [
  'pending', // placed, not paid
  'on_hold', // waiting for something (payment confirmation, stock)
  'confirmed', // paid or accepted; ERP sale order confirmed
  'partially_shipped',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
  'refunded',
  'failed',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const TaxLineSchema = z.object({
  /** Rate in percent as a decimal string ("20"), null when the shop only reports an amount. */
  rate: z.string().nullable().default(null),
  label: z.string().default(''),
  amount: MoneySchema,
});

export const OrderLineSchema = z.object({
  id: z.string(),
  sku: z.string().nullable(),
  name: z.string().default(''),
  quantity: z.number().positive(),
  /** Unit price as charged, before line discount; tax included when order.pricesIncludeTax. */
  unitPrice: MoneySchema,
  /** Discount on this line, total for the line (not per unit). */
  discount: MoneySchema.nullable().default(null),
  /** Line total after discount, excluding tax. */
  subtotal: MoneySchema,
  tax: MoneySchema,
  taxRate: z.string().nullable().default(null),
  /** Line total after discount including tax. */
  total: MoneySchema,
});
export type OrderLine = z.infer<typeof OrderLineSchema>;

export const ShippingLineSchema = z.object({
  /** The method's title as the customer saw it ("Flat rate"; shops rename and translate it). */
  method: z.string().default(''),
  /** The shop's stable id of the method (WooCommerce `method_id`, e.g. "flat_rate"), when it has one. */
  methodId: z.string().optional(),
  carrier: z.string().nullable().default(null),
  /** Excluding tax. */
  total: MoneySchema,
  tax: MoneySchema,
});
export type ShippingLine = z.infer<typeof ShippingLineSchema>;

export const PaymentInfoSchema = z.object({
  method: z.string(),
  transactionId: z.string().nullable().default(null),
  amount: MoneySchema,
  paidAt: UtcTimestamp,
});
export type PaymentInfo = z.infer<typeof PaymentInfoSchema>;

export const OrderSchema = z.object({
  /** The human order number the customer sees ("1042", "WC-1000"); goes into Odoo client_order_ref. */
  number: z.string().min(1),
  status: z.enum(ORDER_STATUSES),
  currency: z.string().regex(/^[A-Z]{3}$/),
  createdAt: UtcTimestamp,
  customer: z.object({
    email: z.string().email(),
    firstName: z.string().default(''),
    lastName: z.string().default(''),
    /** The customer's id in the same system as the order, if it has an account. */
    id: z.string().nullable().default(null),
    phone: z.string().nullable().default(null),
  }),
  billingAddress: AddressSchema.nullable().default(null),
  shippingAddress: AddressSchema.nullable().default(null),
  lines: z.array(OrderLineSchema).min(1),
  shipping: z.array(ShippingLineSchema).default([]),
  /** Order-level discounts as reported by the shop (already reflected in the lines' discount). */
  discounts: z.array(z.object({ code: z.string().default(''), amount: MoneySchema })).default([]),
  taxes: z.array(TaxLineSchema).default([]),
  pricesIncludeTax: z.boolean().default(false),
  /** What the customer pays, tax and shipping included. */
  total: MoneySchema,
  totalTax: MoneySchema,
  payment: PaymentInfoSchema.nullable().default(null),
  note: z.string().default(''),
  shipments: z.lazy(() => z.array(ShipmentSchema)).default([]),
  refunds: z.lazy(() => z.array(RefundSchema)).default([]),
});
export type Order = z.infer<typeof OrderSchema>;

// ───────────────────────────── stock ─────────────────────────────

export const StockLevelSchema = z.object({
  sku: z.string().min(1),
  /** Location id in the system of this record (the engine maps locations between systems). */
  location: z.string(),
  onHand: z.number(),
  reserved: z.number().default(0),
  /** What may be sold: onHand − reserved (− safety buffer, applied by the engine). */
  available: z.number(),
});
export type StockLevel = z.infer<typeof StockLevelSchema>;

// ───────────────────────────── finance & fulfilment ─────────────────────────────

export const PaymentSchema = z.object({
  orderNumber: z.string(),
  amount: MoneySchema,
  method: z.string(),
  transactionId: z.string().nullable().default(null),
  paidAt: UtcTimestamp,
});
export type Payment = z.infer<typeof PaymentSchema>;

export const INVOICE_STATES = ['draft', 'posted', 'paid', 'partially_paid', 'cancelled'] as const;
export const InvoiceSchema = z.object({
  number: z.string().nullable(),
  orderNumber: z.string().nullable(),
  kind: z.enum(['invoice', 'credit_note']),
  state: z.enum(INVOICE_STATES),
  total: MoneySchema,
  amountDue: MoneySchema,
  issuedAt: z.string().nullable().default(null),
});
export type Invoice = z.infer<typeof InvoiceSchema>;

export const RefundSchema = z.object({
  id: z.string(),
  amount: MoneySchema,
  reason: z.string().default(''),
  lines: z.array(z.object({ sku: z.string().nullable(), lineId: z.string().nullable().default(null), quantity: z.number(), amount: MoneySchema.nullable().default(null) })).default([]),
  restock: z.boolean().default(false),
  createdAt: UtcTimestamp.nullable().default(null),
  /** Set when Tandem made this refund: its idempotency key (e.g. `erp-return:<picking>`), read back from the shop. */
  tandemKey: z.string().optional(),
});
export type Refund = z.infer<typeof RefundSchema>;

export const ReturnSchema = z.object({
  orderNumber: z.string(),
  lines: z.array(z.object({ sku: z.string(), quantity: z.number().positive() })).min(1),
  state: z.enum(['requested', 'received', 'done', 'cancelled']),
  reason: z.string().default(''),
});
export type Return = z.infer<typeof ReturnSchema>;

export const ShipmentSchema = z.object({
  carrier: z.string().nullable().default(null),
  trackingNumber: z.string().nullable().default(null),
  trackingUrl: z.string().nullable().default(null),
  lines: z.array(z.object({ sku: z.string(), quantity: z.number() })).default([]),
  shippedAt: UtcTimestamp.nullable().default(null),
  state: z.enum(['ready', 'shipped', 'delivered', 'returned', 'cancelled']).default('shipped'),
});
export type Shipment = z.infer<typeof ShipmentSchema>;

/** Map from entity type to its canonical record type. */
export interface CanonicalByEntity {
  category: Category;
  product: Product;
  price: Price;
  customer: Customer;
  order: Order;
  stock: StockLevel;
  payment: Payment;
  invoice: Invoice;
  refund: Refund;
  return: Return;
  shipment: Shipment;
}

export const SCHEMAS: { [E in EntityType]: z.ZodType<CanonicalByEntity[E]> } = {
  category: CategorySchema,
  product: ProductSchema,
  price: PriceSchema,
  customer: CustomerSchema,
  order: OrderSchema,
  stock: StockLevelSchema,
  payment: PaymentSchema,
  invoice: InvoiceSchema,
  refund: RefundSchema,
  return: ReturnSchema,
  shipment: ShipmentSchema,
} as { [E in EntityType]: z.ZodType<CanonicalByEntity[E]> };

/**
 * Records that came out of a schema's parse, with that schema. Parsing such a record again gives an equal
 * copy, so a record passing through several layers (the source connector's mapping, the engine, the target
 * connector's write) is checked once: `parseCanonical` returns the remembered record itself. Only a
 * parse's own output is remembered; anything built or changed afterwards (overrides, merges) is a new
 * object and is parsed. Canonical records are never changed in place.
 */
const parsedBy = new WeakMap<object, z.ZodType>();

export function parseCanonical<T>(schema: z.ZodType<T>, value: unknown): z.ZodSafeParseResult<T> {
  if (typeof value === 'object' && value !== null && parsedBy.get(value) === schema) return { success: true, data: value as T };
  const parsed = schema.safeParse(value);
  if (parsed.success && typeof parsed.data === 'object' && parsed.data !== null) parsedBy.set(parsed.data, schema);
  return parsed;
}
