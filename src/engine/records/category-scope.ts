/**
 * Which ERP categories a category flow reads. Pushed ERP → shop (and only then), the default `sellable` leaves
 * out the ERP's internal categories that hold no sellable product (Odoo's Expenses, Deliveries); `all`
 * pushes every one. The post-sync verification and reconcile read the ERP with the same scope, so they do
 * not report the categories left out. With `both` or `shop->erp`, every ERP category counts.
 */
import type { ReadOptions } from '../../connectors/contract.js';
import type { FlowConfig } from '../../config/schema.js';

export function categoryScope(flow: Pick<FlowConfig, 'entity' | 'direction' | 'categories'>, source: 'shop' | 'erp'): Pick<ReadOptions, 'categories'> {
  if (flow.entity !== 'category' || flow.direction !== 'erp->shop' || source !== 'erp') return {};
  return { categories: flow.categories ?? 'sellable' };
}
