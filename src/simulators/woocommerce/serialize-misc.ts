/** Customer, webhook and product-category objects as WooCommerce 7.9 REST v3 returns them. */
import type { CategoryRec, CustomerRec, WebhookRec, WooState } from './state.js';
import { md5, wpDate } from './php.js';

export function serializeCustomer(c: CustomerRec, base: string): Record<string, unknown> {
  return {
    id: c.id,
    date_created: wpDate(c.created),
    date_created_gmt: wpDate(c.created),
    date_modified: wpDate(c.modified),
    date_modified_gmt: wpDate(c.modified),
    email: c.email,
    first_name: c.firstName,
    last_name: c.lastName,
    role: c.role,
    username: c.username,
    billing: {
      first_name: c.billing.first_name,
      last_name: c.billing.last_name,
      company: c.billing.company,
      address_1: c.billing.address_1,
      address_2: c.billing.address_2,
      city: c.billing.city,
      postcode: c.billing.postcode,
      country: c.billing.country,
      state: c.billing.state,
      email: c.billing.email ?? '',
      phone: c.billing.phone,
    },
    shipping: {
      first_name: c.shipping.first_name,
      last_name: c.shipping.last_name,
      company: c.shipping.company,
      address_1: c.shipping.address_1,
      address_2: c.shipping.address_2,
      city: c.shipping.city,
      postcode: c.shipping.postcode,
      country: c.shipping.country,
      state: c.shipping.state,
      phone: c.shipping.phone,
    },
    is_paying_customer: c.isPayingCustomer,
    avatar_url: `https://secure.gravatar.com/avatar/${md5(c.email.trim().toLowerCase())}?s=96&d=mm&r=g`,
    meta_data: c.meta.map((m) => ({ ...m })),
    _links: {
      self: [{ href: `${base}/wp-json/wc/v3/customers/${c.id}` }],
      collection: [{ href: `${base}/wp-json/wc/v3/customers` }],
    },
  };
}

const HOOKS: Record<string, string[]> = {
  'order.created': ['woocommerce_new_order'],
  'order.updated': ['woocommerce_update_order', 'woocommerce_order_refunded'],
  'order.deleted': ['wp_trash_post'],
  'order.restored': ['untrashed_post'],
  'product.created': ['woocommerce_process_product_meta', 'woocommerce_new_product', 'woocommerce_new_product_variation'],
  'product.updated': ['woocommerce_process_product_meta', 'woocommerce_update_product', 'woocommerce_update_product_variation'],
  'product.deleted': ['wp_trash_post'],
  'product.restored': ['untrashed_post'],
  'customer.created': ['user_register', 'woocommerce_created_customer', 'woocommerce_new_customer'],
  'customer.updated': ['profile_update', 'woocommerce_update_customer'],
  'customer.deleted': ['delete_user'],
  'coupon.created': ['woocommerce_process_shop_coupon_meta', 'woocommerce_new_coupon'],
  'coupon.updated': ['woocommerce_process_shop_coupon_meta', 'woocommerce_update_coupon'],
  'coupon.deleted': ['wp_trash_post'],
  'coupon.restored': ['untrashed_post'],
};

export const WEBHOOK_TOPICS = Object.keys(HOOKS);

export function serializeWebhook(w: WebhookRec, base: string): Record<string, unknown> {
  const [resource = '', event = ''] = w.topic.split('.');
  return {
    id: w.id,
    name: w.name,
    status: w.status,
    topic: w.topic,
    resource,
    event,
    hooks: HOOKS[w.topic] ?? [],
    delivery_url: w.deliveryUrl,
    date_created: wpDate(w.created),
    date_created_gmt: wpDate(w.created),
    date_modified: wpDate(w.modified),
    date_modified_gmt: wpDate(w.modified),
    _links: {
      self: [{ href: `${base}/wp-json/wc/v3/webhooks/${w.id}` }],
      collection: [{ href: `${base}/wp-json/wc/v3/webhooks` }],
    },
  };
}

export function serializeCategory(c: CategoryRec, state: WooState, base: string): Record<string, unknown> {
  let count = 0;
  for (const p of state.products.values()) if (p.parentId === 0 && p.status === 'publish' && p.categories.includes(c.id)) count += 1;
  const links: Record<string, Array<{ href: string }>> = {
    self: [{ href: `${base}/wp-json/wc/v3/products/categories/${c.id}` }],
    collection: [{ href: `${base}/wp-json/wc/v3/products/categories` }],
  };
  if (c.parent) links.up = [{ href: `${base}/wp-json/wc/v3/products/categories/${c.parent}` }];
  return { id: c.id, name: c.name, slug: c.slug, parent: c.parent, description: c.description, display: c.display, image: null, menu_order: c.menuOrder, count, _links: links };
}
