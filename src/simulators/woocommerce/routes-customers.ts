/** /customers, /customers/<id>, /customers/batch. */
import type { CustomerRec } from './state.js';
import type { SimRequest, SimResponse } from './respond.js';
import { WpError, listParam, notFound, paginate, sortBy } from './respond.js';
import { serializeCustomer } from './serialize-misc.js';
import { applyMeta } from './write-product.js';
import { mergeAddress } from './write-order.js';
import type { RouteCtx } from './routes-products.js';
import { batchItems } from './batch.js';

const EMAIL_EXISTS = 'An account is already registered with your email address. <a href="#" class="showlogin">Please log in.</a>';

function getCustomer(ctx: RouteCtx, id: number, status = 404): CustomerRec {
  const c = ctx.state.customers.get(id);
  if (!c) throw new WpError('woocommerce_rest_invalid_id', 'Invalid resource ID.', status);
  return c;
}

function applyCustomer(ctx: RouteCtx, c: CustomerRec, body: Record<string, unknown>): void {
  if (typeof body.first_name === 'string') c.firstName = body.first_name;
  if (typeof body.last_name === 'string') c.lastName = body.last_name;
  mergeAddress(c.billing, body.billing);
  mergeAddress(c.shipping, body.shipping);
  applyMeta(ctx.state, c.meta, body.meta_data);
  c.modified = ctx.state.now();
  ctx.state.touch();
}

function createCustomer(ctx: RouteCtx, body: Record<string, unknown>): CustomerRec {
  const { state } = ctx;
  const email = typeof body.email === 'string' ? body.email.trim() : '';
  if (!email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new WpError('registration-error-invalid-email', 'Please provide a valid email address.', 400);
  if (state.customerByEmail(email)) throw new WpError('registration-error-email-exists', EMAIL_EXISTS, 400);
  let username = typeof body.username === 'string' && body.username ? body.username : email.split('@')[0]!.replace(/[^a-z0-9._-]/gi, '').toLowerCase();
  const taken = (u: string) => [...state.customers.values()].some((x) => x.username === u);
  if (typeof body.username === 'string' && body.username && taken(username)) {
    throw new WpError('registration-error-username-exists', 'An account is already registered with that username. Please choose another.', 400);
  }
  for (let n = 1; taken(username); n += 1) username = `${username.replace(/-\d+$/, '')}-${n}`;
  const c = state.addUser({ email, role: 'customer', username });
  applyCustomer(ctx, c, body);
  c.modified = c.created;
  ctx.fire('customer.created', 'customer', c.id);
  return c;
}

function updateCustomer(ctx: RouteCtx, id: number, body: Record<string, unknown>): CustomerRec {
  const c = getCustomer(ctx, id, 400);
  if (typeof body.email === 'string' && body.email.trim().toLowerCase() !== c.email.toLowerCase()) {
    if (ctx.state.customerByEmail(body.email)) throw new WpError('woocommerce_rest_customer_invalid_email', 'Email address is invalid.', 400);
    ctx.state.emailIndex.delete(c.email.toLowerCase());
    c.email = body.email.trim();
    ctx.state.emailIndex.set(c.email.toLowerCase(), c.id);
  }
  applyCustomer(ctx, c, body);
  ctx.fire('customer.updated', 'customer', c.id);
  return c;
}

function deleteCustomer(ctx: RouteCtx, id: number, force: boolean): CustomerRec {
  const c = getCustomer(ctx, id);
  if (!force) throw new WpError('woocommerce_rest_trash_not_supported', 'Customers do not support trashing.', 501);
  ctx.state.customers.delete(id);
  ctx.state.emailIndex.delete(c.email.toLowerCase());
  ctx.state.touch();
  ctx.fire('customer.deleted', 'customer', id);
  return c;
}

export function customerRoutes(req: SimRequest, ctx: RouteCtx, parts: string[]): SimResponse | null {
  const { state } = ctx;
  const m = req.method;
  if (parts.length === 1) {
    if (m === 'GET') {
      const q = req.query;
      const role = q.role ?? 'customer';
      const email = q.email?.trim().toLowerCase();
      const include = listParam(req, 'include')?.map(Number) ?? null;
      const search = q.search?.toLowerCase();
      let items: CustomerRec[];
      if (email !== undefined) {
        const c = state.customerByEmail(email);
        items = c ? [c] : [];
      } else items = [...state.customers.values()];
      items = items.filter(
        (c) =>
          (role === 'all' || c.role === role) &&
          (!include || include.includes(c.id)) &&
          (!search || `${c.email} ${c.firstName} ${c.lastName} ${c.username}`.toLowerCase().includes(search)),
      );
      const orderby = q.orderby ?? 'name';
      const key = orderby === 'id' ? (c: CustomerRec) => c.id : orderby === 'registered_date' ? (c: CustomerRec) => c.created : (c: CustomerRec) => c.username;
      const { page, headers } = paginate(req, sortBy(items, key, (q.order ?? 'asc') === 'desc', (c) => c.id));
      return { status: 200, body: page.map((c) => serializeCustomer(c, req.base)), headers };
    }
    if (m === 'POST') {
      const c = createCustomer(ctx, req.body);
      return { status: 201, body: serializeCustomer(c, req.base), headers: { Location: `${req.base}/wp-json/wc/v3/customers/${c.id}` } };
    }
    return null;
  }
  if (parts[1] === 'batch' && parts.length === 2) {
    return {
      status: 200,
      body: batchItems(req.body, {
        create: (item) => serializeCustomer(createCustomer(ctx, item), req.base),
        update: (item) => serializeCustomer(updateCustomer(ctx, Number(item.id), item), req.base),
        delete: (id) => serializeCustomer(deleteCustomer(ctx, id, true), req.base),
      }),
    };
  }
  const id = Number(parts[1]);
  if (!Number.isInteger(id) || parts.length !== 2) return null;
  if (m === 'GET') return { status: 200, body: serializeCustomer(getCustomer(ctx, id), req.base) };
  if (m === 'PUT' || m === 'PATCH' || m === 'POST') return { status: 200, body: serializeCustomer(updateCustomer(ctx, id, req.body), req.base) };
  if (m === 'DELETE') return { status: 200, body: serializeCustomer(deleteCustomer(ctx, id, req.query.force === 'true'), req.base) };
  throw notFound('rest_no_route', 'No route was found matching the URL and request method.');
}
