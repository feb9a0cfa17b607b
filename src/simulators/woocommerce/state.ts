/**
 * In-memory state of the simulated WooCommerce shop: records, id sequences and the indexes that keep
 * it fast with 100,000 products (by id, by lower-cased SKU, by lower-cased email).
 */
export interface Meta {
  id: number;
  key: string;
  value: unknown;
}

export type ProductType = 'simple' | 'variable' | 'variation' | 'grouped' | 'external';

export interface ProductAttribute {
  id: number;
  name: string;
  position: number;
  visible: boolean;
  variation: boolean;
  options: string[];
}

export interface ProductRec {
  id: number;
  type: ProductType;
  parentId: number;
  name: string;
  slug: string;
  status: string;
  /** Status before trashing (restored by an untrash, shown by DELETE responses). */
  description: string;
  shortDescription: string;
  sku: string;
  regularPrice: string;
  salePrice: string;
  manageStock: boolean;
  /** Kept even while manage_stock is off: it comes back when stock management is re-enabled. */
  stockQuantity: number | null;
  stockStatus: string;
  backorders: string;
  lowStockAmount: number | null;
  weight: string;
  dimensions: { length: string; width: string; height: string };
  taxStatus: string;
  taxClass: string;
  shippingClass: string;
  categories: number[];
  tags: number[];
  attributes: ProductAttribute[];
  /** Variation only: the chosen option per attribute. */
  options: Array<{ id: number; name: string; option: string }>;
  variations: number[];
  meta: Meta[];
  created: number;
  modified: number;
  totalSales: number;
  menuOrder: number;
  featured: boolean;
  catalogVisibility: string;
  virtual: boolean;
  downloadable: boolean;
  soldIndividually: boolean;
  reviewsAllowed: boolean;
  purchaseNote: string;
}

export interface Address {
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
  phone: string;
}

export interface CustomerRec {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  role: string;
  username: string;
  billing: Address;
  shipping: Address;
  isPayingCustomer: boolean;
  meta: Meta[];
  created: number;
  modified: number;
}

export interface LineItemRec {
  id: number;
  name: string;
  productId: number;
  variationId: number;
  quantity: number;
  taxClass: string;
  subtotal: string;
  subtotalTax: string;
  total: string;
  totalTax: string;
  sku: string | null;
  /** PHP float: total / quantity. */
  price: number;
  meta: Array<Meta & { display_key: string; display_value: string }>;
  parentName: string | null;
  imageId: number | string;
}

export interface ShippingLineRec {
  id: number;
  methodTitle: string;
  methodId: string;
  instanceId: string;
  total: string;
  totalTax: string;
  meta: Meta[];
}

export interface OrderRec {
  id: number;
  parentId: number;
  status: string;
  currency: string;
  pricesIncludeTax: boolean;
  created: number;
  modified: number;
  completed: number | null;
  paid: number | null;
  discountTotal: string;
  shippingTotal: string;
  total: string;
  customerId: number;
  orderKey: string;
  billing: Address;
  shipping: Address;
  paymentMethod: string;
  paymentMethodTitle: string;
  transactionId: string;
  createdVia: string;
  customerNote: string;
  meta: Meta[];
  lineItems: LineItemRec[];
  shippingLines: ShippingLineRec[];
  couponLines: Array<{ id: number; code: string; discount: string; discountTax: string; meta: Meta[] }>;
  feeLines: Array<{ id: number; name: string; total: string; totalTax: string; meta: Meta[] }>;
  refundIds: number[];
  stockReduced: boolean;
  trashedFrom: string | null;
}

export interface RefundRec {
  id: number;
  orderId: number;
  created: number;
  amount: string;
  reason: string;
  refundedBy: number;
  refundedPayment: boolean;
  meta: Meta[];
  lineItems: LineItemRec[];
}

export interface NoteRec {
  id: number;
  orderId: number;
  created: number;
  note: string;
  customerNote: boolean;
  author: string;
}

export interface WebhookRec {
  id: number;
  name: string;
  status: 'active' | 'paused' | 'disabled';
  topic: string;
  deliveryUrl: string;
  secret: string;
  created: number;
  modified: number | null;
  failureCount: number;
  pendingDelivery: boolean;
}

export interface CategoryRec {
  id: number;
  name: string;
  slug: string;
  parent: number;
  description: string;
  display: string;
  menuOrder: number;
}

export class WooState {
  readonly products = new Map<number, ProductRec>();
  readonly skuIndex = new Map<string, number>();
  readonly orders = new Map<number, OrderRec>();
  readonly refunds = new Map<number, RefundRec>();
  readonly notes = new Map<number, NoteRec[]>();
  readonly customers = new Map<number, CustomerRec>();
  readonly emailIndex = new Map<string, number>();
  readonly webhooks = new Map<number, WebhookRec>();
  readonly categories = new Map<number, CategoryRec>();
  /** Bumped on every write: list caches are keyed by it. */
  version = 0;
  private postSeq = 10;
  private userSeq = 2;
  private metaSeq = 100;
  private itemSeq = 1;
  private commentSeq = 1;
  private webhookSeq = 1;
  private termSeq = 16;
  private lastSecond = 0;

  constructor(
    readonly currency: string,
    readonly clock: () => number = () => Date.now(),
  ) {
    this.categories.set(15, { id: 15, name: 'Uncategorized', slug: 'uncategorized', parent: 0, description: '', display: 'default', menuOrder: 0 });
    // The site administrator: listed with role=all, never with the default role=customer.
    this.addUser({ id: 1, email: 'admin@example.com', role: 'administrator', username: 'admin' });
  }

  /** Current time in whole seconds (WordPress stores dates to the second). */
  now(): number {
    const s = Math.floor(this.clock() / 1000);
    this.lastSecond = Math.max(this.lastSecond, s);
    return this.lastSecond;
  }

  nextPostId(): number {
    return this.postSeq++;
  }
  /** A create that failed validation gives its id back (WordPress inserts the post only after validation). */
  releasePostId(id: number): void {
    if (id === this.postSeq - 1) this.postSeq -= 1;
  }
  nextUserId(): number {
    return this.userSeq++;
  }
  nextMetaId(): number {
    return this.metaSeq++;
  }
  nextItemId(): number {
    return this.itemSeq++;
  }
  nextCommentId(): number {
    return this.commentSeq++;
  }
  nextWebhookId(): number {
    return this.webhookSeq++;
  }
  nextTermId(): number {
    return this.termSeq++;
  }

  touch(): void {
    this.version += 1;
  }

  productBySku(sku: string): ProductRec | undefined {
    const id = this.skuIndex.get(sku.trim().toLowerCase());
    return id === undefined ? undefined : this.products.get(id);
  }

  setSku(p: ProductRec, sku: string): void {
    if (p.sku) this.skuIndex.delete(p.sku.toLowerCase());
    p.sku = sku;
    if (sku) this.skuIndex.set(sku.toLowerCase(), p.id);
  }

  removeProduct(id: number): void {
    const p = this.products.get(id);
    if (!p) return;
    if (p.sku) this.skuIndex.delete(p.sku.toLowerCase());
    for (const v of p.variations) this.removeProduct(v);
    if (p.parentId) {
      const parent = this.products.get(p.parentId);
      if (parent) parent.variations = parent.variations.filter((x) => x !== id);
    }
    this.products.delete(id);
    this.touch();
  }

  customerByEmail(email: string): CustomerRec | undefined {
    const id = this.emailIndex.get(email.trim().toLowerCase());
    return id === undefined ? undefined : this.customers.get(id);
  }

  addUser(u: { id?: number; email: string; role: string; username: string }): CustomerRec {
    const t = this.now();
    const blank = (): Address => ({ first_name: '', last_name: '', company: '', address_1: '', address_2: '', city: '', state: '', postcode: '', country: '', phone: '' });
    const rec: CustomerRec = {
      id: u.id ?? this.nextUserId(),
      email: u.email,
      firstName: '',
      lastName: '',
      role: u.role,
      username: u.username,
      billing: { ...blank(), email: '' },
      shipping: blank(),
      isPayingCustomer: false,
      meta: [],
      created: t,
      modified: t,
    };
    this.customers.set(rec.id, rec);
    this.emailIndex.set(u.email.toLowerCase(), rec.id);
    this.touch();
    return rec;
  }
}
