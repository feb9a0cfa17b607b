/** /webhooks, /products/categories, /settings/general, /system_status. */
import type { CategoryRec, WebhookRec } from './state.js';
import type { SimRequest, SimResponse } from './respond.js';
import { WpError, listParam, paginate, sortBy } from './respond.js';
import { WEBHOOK_TOPICS, serializeCategory, serializeWebhook } from './serialize-misc.js';
import type { RouteCtx } from './routes-products.js';
import { batchItems } from './batch.js';
import { slugify, wpEscapeName } from './php.js';

export interface WebhookCtx extends RouteCtx {
  ping: (w: WebhookRec) => Promise<void>;
}

function getWebhook(ctx: RouteCtx, id: number): WebhookRec {
  const w = ctx.state.webhooks.get(id);
  if (!w) throw new WpError('woocommerce_rest_webhook_invalid_id', 'Invalid ID.', 404);
  return w;
}

function validTopic(topic: string): boolean {
  return WEBHOOK_TOPICS.includes(topic) || /^action\.[\w-]+$/.test(topic);
}

export async function webhookRoutes(req: SimRequest, ctx: WebhookCtx, parts: string[]): Promise<SimResponse | null> {
  const { state } = ctx;
  const m = req.method;
  if (parts.length === 1) {
    if (m === 'GET') {
      const status = req.query.status ?? 'all';
      const items = sortBy(
        [...state.webhooks.values()].filter((w) => status === 'all' || w.status === status),
        (w) => w.created,
        (req.query.order ?? 'desc') === 'desc',
        (w) => w.id,
      );
      const { page, headers } = paginate(req, items);
      return { status: 200, body: page.map((w) => serializeWebhook(w, req.base)), headers };
    }
    if (m === 'POST') {
      const b = req.body;
      const topic = typeof b.topic === 'string' ? b.topic : '';
      if (!validTopic(topic)) throw new WpError('woocommerce_rest_webhook_invalid_topic', 'Webhook topic is required and must be valid.', 400);
      if (typeof b.delivery_url !== 'string' || !/^https?:\/\//.test(b.delivery_url)) {
        throw new WpError('woocommerce_rest_webhook_invalid_delivery_url', 'Webhook delivery URL must be a valid URL starting with http:// or https://.', 400);
      }
      const w: WebhookRec = {
        id: state.nextWebhookId(),
        name: typeof b.name === 'string' && b.name ? b.name : `Webhook created on ${new Date().toUTCString()}`,
        status: b.status === 'paused' || b.status === 'disabled' ? b.status : 'active',
        topic,
        deliveryUrl: b.delivery_url,
        secret: typeof b.secret === 'string' && b.secret ? b.secret : 'cs_consumer_secret_of_the_api_user',
        created: state.now(),
        modified: null,
        failureCount: 0,
        pendingDelivery: true,
      };
      state.webhooks.set(w.id, w);
      state.touch();
      const body = serializeWebhook(w, req.base);
      // The REST controller pings the delivery URL right after saving, and ignores the result.
      await ctx.ping(w);
      return { status: 201, body, headers: { Location: `${req.base}/wp-json/wc/v3/webhooks/${w.id}` } };
    }
    return null;
  }
  const id = Number(parts[1]);
  if (!Number.isInteger(id) || parts.length !== 2) return null;
  const w = getWebhook(ctx, id);
  if (m === 'GET') return { status: 200, body: serializeWebhook(w, req.base) };
  if (m === 'PUT' || m === 'PATCH' || m === 'POST') {
    const b = req.body;
    if (typeof b.name === 'string') w.name = b.name;
    if (typeof b.topic === 'string') {
      if (!validTopic(b.topic)) throw new WpError('woocommerce_rest_webhook_invalid_topic', 'Webhook topic must be valid.', 400);
      w.topic = b.topic;
    }
    if (typeof b.delivery_url === 'string') w.deliveryUrl = b.delivery_url;
    if (typeof b.secret === 'string') w.secret = b.secret;
    if (b.status === 'active' || b.status === 'paused' || b.status === 'disabled') {
      if (b.status === 'active' && w.status !== 'active') w.failureCount = 0;
      w.status = b.status;
    }
    w.modified = state.now();
    state.touch();
    return { status: 200, body: serializeWebhook(w, req.base) };
  }
  if (m === 'DELETE') {
    if (req.query.force !== 'true') throw new WpError('woocommerce_rest_trash_not_supported', 'Webhooks do not support trashing.', 501);
    const body = serializeWebhook(w, req.base);
    state.webhooks.delete(id);
    state.touch();
    return { status: 200, body };
  }
  return null;
}

function applyCategory(ctx: RouteCtx, c: CategoryRec, b: Record<string, unknown>): void {
  const name = typeof b.name === 'string' ? wpEscapeName(b.name) : c.name;
  const parent = b.parent !== undefined ? Number(b.parent) : c.parent;
  if (parent && !ctx.state.categories.has(parent)) throw new WpError('woocommerce_rest_term_invalid', 'Parent resource does not exist.', 400);
  for (const o of ctx.state.categories.values()) {
    if (o.id !== c.id && o.parent === parent && o.name.toLowerCase() === name.toLowerCase()) {
      throw new WpError('term_exists', 'A term with the name provided already exists with this parent.', 400, { resource_id: o.id });
    }
  }
  c.name = name;
  c.parent = parent;
  if (typeof b.slug === 'string' && b.slug) c.slug = slugify(b.slug);
  else if (!c.slug) c.slug = slugify(name);
  if (typeof b.description === 'string') c.description = b.description;
  ctx.state.touch();
}

export function categoryRoutes(req: SimRequest, ctx: RouteCtx, parts: string[]): SimResponse | null {
  const { state } = ctx;
  const m = req.method;
  const create = (b: Record<string, unknown>) => {
    if (typeof b.name !== 'string' || !b.name) throw new WpError('rest_missing_callback_param', 'Missing parameter(s): name', 400, { params: ['name'] });
    const c: CategoryRec = { id: state.nextTermId(), name: '', slug: '', parent: 0, description: '', display: 'default', menuOrder: 0 };
    applyCategory(ctx, c, b);
    state.categories.set(c.id, c);
    return serializeCategory(c, state, req.base);
  };
  const get = (id: number) => {
    const c = state.categories.get(id);
    if (!c) throw new WpError('woocommerce_rest_term_invalid', 'Resource does not exist.', 404);
    return c;
  };
  const del = (id: number, force: boolean) => {
    const c = get(id);
    if (!force) throw new WpError('woocommerce_rest_trash_not_supported', 'Resource does not support trashing.', 501);
    const out = serializeCategory(c, state, req.base);
    state.categories.delete(id);
    state.touch();
    return out;
  };
  if (parts.length === 2) {
    if (m === 'GET') {
      const q = req.query;
      const search = q.search?.toLowerCase();
      const include = listParam(req, 'include')?.map(Number) ?? null;
      const items = [...state.categories.values()].filter(
        (c) =>
          (!search || c.name.toLowerCase().includes(search) || c.slug.includes(search)) &&
          (q.parent === undefined || c.parent === Number(q.parent)) &&
          (q.slug === undefined || c.slug === q.slug) &&
          (!include || include.includes(c.id)),
      );
      const key = q.orderby === 'id' ? (c: CategoryRec) => c.id : (c: CategoryRec) => c.name.toLowerCase();
      const { page, headers } = paginate(req, sortBy(items, key, q.order === 'desc', (c) => c.id));
      return { status: 200, body: page.map((c) => serializeCategory(c, state, req.base)), headers };
    }
    if (m === 'POST') {
      const body = create(req.body);
      return { status: 201, body, headers: { Location: `${req.base}/wp-json/wc/v3/products/categories/${String(body.id)}` } };
    }
    return null;
  }
  if (parts[2] === 'batch') {
    return {
      status: 200,
      body: batchItems(req.body, {
        create,
        update: (b) => {
          const c = get(Number(b.id));
          applyCategory(ctx, c, b);
          return serializeCategory(c, state, req.base);
        },
        delete: (id) => del(id, true),
      }),
    };
  }
  const id = Number(parts[2]);
  if (!Number.isInteger(id)) return null;
  if (m === 'GET') return { status: 200, body: serializeCategory(get(id), state, req.base) };
  if (m === 'PUT' || m === 'PATCH' || m === 'POST') {
    const c = get(id);
    applyCategory(ctx, c, req.body);
    return { status: 200, body: serializeCategory(c, state, req.base) };
  }
  if (m === 'DELETE') return { status: 200, body: del(id, req.query.force === 'true') };
  return null;
}

export function settingsRoutes(req: SimRequest, ctx: RouteCtx, parts: string[]): SimResponse | null {
  if (req.method !== 'GET') return null;
  const currency = {
    id: 'woocommerce_currency',
    label: 'Currency',
    description: 'This controls what currency prices are listed at in the catalog and which currency gateways will take payments in.',
    type: 'select',
    default: 'USD',
    tip: 'This controls what currency prices are listed at in the catalog and which currency gateways will take payments in.',
    value: ctx.state.currency,
    group_id: 'general',
    _links: { self: [{ href: `${req.base}/wp-json/wc/v3/settings/general/woocommerce_currency` }], collection: [{ href: `${req.base}/wp-json/wc/v3/settings/general` }] },
  };
  if (parts.length === 2 && parts[1] === 'general') return { status: 200, body: [currency] };
  if (parts.length === 3 && parts[1] === 'general' && parts[2] === 'woocommerce_currency') return { status: 200, body: currency };
  throw new WpError('rest_setting_setting_invalid', 'Invalid setting.', 404);
}

export function systemStatus(req: SimRequest, ctx: RouteCtx): SimResponse {
  return {
    status: 200,
    body: {
      environment: {
        home_url: req.base,
        site_url: req.base,
        version: '7.9.0',
        wp_version: '6.1.9',
        wp_multisite: false,
        language: 'en_US',
        external_object_cache: null,
      },
      database: { wc_database_version: '7.9.0' },
      active_plugins: [],
      settings: {
        api_enabled: false,
        force_ssl: false,
        currency: ctx.state.currency,
        currency_symbol: ctx.state.currency === 'EUR' ? '&euro;' : ctx.state.currency,
        currency_position: 'left',
        thousand_separator: ',',
        decimal_separator: '.',
        number_of_decimals: 2,
        geolocation_enabled: false,
        taxonomies: {},
        woocommerce_com_connected: 'no',
      },
    },
  };
}
