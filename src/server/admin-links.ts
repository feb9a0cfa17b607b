/**
 * Links to a record's page in each system's own admin (Odoo's form view, WooCommerce's edit screen), so an
 * operator can open the other side in one click. Null when the system has no admin page Tandem knows.
 */
import type { Engine } from '../engine/context.js';

const MODELS: Record<string, string> = { order: 'sale.order', product: 'product.template', customer: 'res.partner', category: 'product.category' };
const WOO: Record<string, (id: string) => string> = {
  order: (id) => `/wp-admin/post.php?post=${id}&action=edit`,
  product: (id) => `/wp-admin/post.php?post=${id}&action=edit`,
  customer: (id) => `/wp-admin/user-edit.php?user_id=${id}`,
  category: (id) => `/wp-admin/term.php?taxonomy=product_cat&tag_ID=${id}`,
};

export function adminLink(engine: Engine, side: 'shop' | 'erp', entity: string, id: string | null): string | null {
  if (!id) return null;
  const sys = engine.config.systems[engine.names[side]] as { type?: string; url?: string } | undefined;
  if (!sys?.url) return null;
  const base = sys.url.replace(/\/$/, '');
  const enc = encodeURIComponent(id);
  if (sys.type === 'odoo' && MODELS[entity]) return `${base}/web#id=${enc}&model=${MODELS[entity]}&view_type=form`;
  if (sys.type === 'woocommerce' && WOO[entity]) return `${base}${WOO[entity](enc)}`;
  return null;
}
