/** The route table: which paths exist, their Allow header, and which handler serves them. */
import type { SimRequest, SimResponse } from './respond.js';
import type { RouteCtx } from './routes-products.js';
import { productRoutes } from './routes-products.js';
import { orderRoutes } from './routes-orders.js';
import { customerRoutes } from './routes-customers.js';
import type { WebhookCtx } from './routes-misc.js';
import { categoryRoutes, settingsRoutes, systemStatus, webhookRoutes } from './routes-misc.js';

const ITEM = 'GET, POST, PUT, PATCH, DELETE';
const COLLECTION = 'GET, POST';
const BATCH = 'POST, PUT, PATCH';

const ROUTES: Array<[RegExp, string, boolean]> = [
  [/^\/(products|orders|customers|webhooks|products\/categories)$/, COLLECTION, true],
  [/^\/(products|orders|customers|products\/categories)\/batch$/, BATCH, false],
  [/^\/products\/\d+\/variations\/batch$/, BATCH, false],
  [/^\/products\/categories\/\d+$/, ITEM, false],
  [/^\/(products|orders|customers|webhooks)\/\d+$/, ITEM, false],
  [/^\/products\/\d+\/variations$/, COLLECTION, true],
  [/^\/products\/\d+\/variations\/\d+$/, ITEM, false],
  [/^\/orders\/\d+\/(notes|refunds)$/, COLLECTION, true],
  [/^\/orders\/\d+\/(notes|refunds)\/\d+$/, 'GET, DELETE', false],
  [/^\/settings\/general$/, 'GET, POST, PUT, PATCH', true],
  [/^\/settings\/general\/[\w-]+$/, 'GET, POST, PUT, PATCH', false],
  [/^\/system_status$/, 'GET', false],
];

export interface RouteInfo {
  allow: string;
  collection: boolean;
}

/** Null when WordPress would answer rest_no_route (unknown path, or a method the route lacks). */
export function findRoute(route: string, method: string): RouteInfo | null {
  for (const [re, allow, collection] of ROUTES) {
    if (re.test(route)) return allow.split(', ').includes(method) ? { allow, collection } : null;
  }
  return null;
}

export async function dispatch(req: SimRequest, ctx: WebhookCtx): Promise<SimResponse | null> {
  const parts = req.route.split('/').filter(Boolean);
  switch (parts[0]) {
    case 'products':
      return parts[1] === 'categories' ? categoryRoutes(req, ctx, parts) : productRoutes(req, ctx as RouteCtx, parts);
    case 'orders':
      return orderRoutes(req, ctx, parts);
    case 'customers':
      return customerRoutes(req, ctx, parts);
    case 'webhooks':
      return webhookRoutes(req, ctx, parts);
    case 'settings':
      return settingsRoutes(req, ctx, parts);
    case 'system_status':
      return systemStatus(req, ctx);
    default:
      return null;
  }
}
