/** /products, /products/<id>, /products/batch and /products/<id>/variations[/<id>|/batch]. */
import type { ProductRec, WooState } from './state.js';
import type { SimRequest, SimResponse } from './respond.js';
import { WpError, dateParam, invalidParam, listParam, notFound, paginate, shuffleTies, sortBy } from './respond.js';
import { serializeProduct, serializeVariation } from './serialize-product.js';
import type { Fire } from './write-product.js';
import { applyProductPayload, blankProduct, syncParent } from './write-product.js';
import { batchItems } from './batch.js';

export interface RouteCtx {
  state: WooState;
  fire: Fire;
}

const listCache = new WeakMap<WooState, { version: number; entries: Map<string, ProductRec[]> }>();

function cached(state: WooState, key: string, compute: () => ProductRec[]): ProductRec[] {
  let c = listCache.get(state);
  if (!c || c.version !== state.version) {
    c = { version: state.version, entries: new Map() };
    listCache.set(state, c);
  }
  let hit = c.entries.get(key);
  if (!hit) {
    hit = compute();
    c.entries.set(key, hit);
  }
  return hit;
}

const PRODUCT_ORDERBY = ['date', 'id', 'include', 'title', 'slug', 'modified', 'price', 'popularity', 'rating', 'menu_order'];

function queryProducts(req: SimRequest, state: WooState): ProductRec[] {
  const q = req.query;
  const skus = listParam(req, 'sku');
  const status = q.status ?? 'any';
  const orderby = q.orderby ?? 'date';
  if (!PRODUCT_ORDERBY.includes(orderby)) throw invalidParam('orderby', `orderby is not one of ${PRODUCT_ORDERBY.join(', ')}.`, 'rest_not_in_enum');
  const order = q.order ?? 'desc';
  const include = listParam(req, 'include')?.map(Number) ?? null;
  const exclude = new Set(listParam(req, 'exclude')?.map(Number) ?? []);
  const modAfter = dateParam(req, 'modified_after');
  const modBefore = dateParam(req, 'modified_before');
  const after = dateParam(req, 'after');
  const before = dateParam(req, 'before');
  const search = q.search?.toLowerCase();
  const category = q.category ? Number(q.category) : null;
  const parent = listParam(req, 'parent')?.map(Number) ?? null;
  const key = JSON.stringify([skus, status, orderby, order, include, [...exclude], modAfter, modBefore, after, before, search, category, parent, q.type]);
  return cached(state, key, () => {
    let items: ProductRec[];
    if (skus) {
      const seen = new Set<number>();
      items = [];
      for (const s of skus) {
        const p = state.productBySku(s);
        if (p && !seen.has(p.id)) {
          seen.add(p.id);
          items.push(p);
        }
      }
    } else if (include) {
      items = include.map((id) => state.products.get(id)).filter((p): p is ProductRec => !!p && p.type !== 'variation');
    } else {
      items = [];
      for (const p of state.products.values()) if (p.type !== 'variation') items.push(p);
    }
    items = items.filter(
      (p) =>
        (status === 'any' ? p.status !== 'trash' && p.status !== 'auto-draft' : p.status === status) &&
        (!q.type || p.type === q.type) &&
        (!include || include.includes(p.id)) &&
        !exclude.has(p.id) &&
        (modAfter === null || p.modified > modAfter) &&
        (modBefore === null || p.modified < modBefore) &&
        (after === null || p.created > after) &&
        (before === null || p.created < before) &&
        (!search || p.name.toLowerCase().includes(search) || p.description.toLowerCase().includes(search)) &&
        (category === null || p.categories.includes(category)) &&
        (!parent || parent.includes(p.parentId)),
    );
    const desc = order === 'desc';
    const keyFn: (p: ProductRec) => number | string =
      orderby === 'id'
        ? (p) => p.id
        : orderby === 'modified'
          ? (p) => p.modified
          : orderby === 'title'
            ? (p) => p.name.toLowerCase()
            : orderby === 'slug'
              ? (p) => p.slug
              : orderby === 'include' && include
                ? (p) => include.indexOf(p.id)
                : orderby === 'menu_order'
                  ? (p) => p.menuOrder
                  : (p) => p.created;
    return sortBy(items, keyFn, desc, (p) => p.id);
  });
}

function getProduct(state: WooState, id: number): ProductRec {
  const p = state.products.get(id);
  if (!p || p.type === 'variation') throw notFound('woocommerce_rest_product_invalid_id');
  return p;
}

function context(req: SimRequest): 'view' | 'edit' {
  return req.query.context === 'edit' ? 'edit' : 'view';
}

export function listProducts(req: SimRequest, ctx: RouteCtx): SimResponse {
  // The cached list is sorted with ties by id; WordPress has no tie-breaker for orderby=modified.
  const sorted = queryProducts(req, ctx.state);
  const all = (req.query.orderby ?? 'date') === 'modified' ? shuffleTies(sorted, (p) => p.modified) : sorted;
  const { page, headers } = paginate(req, all);
  return { status: 200, body: page.map((p) => serializeProduct(p, ctx.state, req.base, context(req))), headers };
}

export function createProduct(req: SimRequest, ctx: RouteCtx, body = req.body): Record<string, unknown> {
  const { state } = ctx;
  if (body.id !== undefined && body.id !== 0) throw new WpError('woocommerce_rest_product_exists', 'Cannot create existing product.', 400);
  const p = blankProduct(state, typeof body.type === 'string' ? (body.type as ProductRec['type']) : 'simple');
  try {
    applyProductPayload(state, p, body, true);
  } catch (e) {
    state.setSku(p, '');
    state.releasePostId(p.id);
    throw e;
  }
  state.products.set(p.id, p);
  state.touch();
  ctx.fire('product.created', 'product', p.id);
  return serializeProduct(p, state, req.base, 'edit');
}

export function updateProduct(req: SimRequest, ctx: RouteCtx, id: number, body = req.body): Record<string, unknown> {
  const { state } = ctx;
  const p = state.products.get(id);
  if (!p || p.type === 'variation') throw new WpError('woocommerce_rest_product_invalid_id', 'Invalid ID.', 400);
  applyProductPayload(state, p, body, false);
  state.touch();
  ctx.fire('product.updated', 'product', p.id);
  return serializeProduct(p, state, req.base, 'edit');
}

export function deleteProduct(req: SimRequest, ctx: RouteCtx, id: number, force: boolean): Record<string, unknown> {
  const { state } = ctx;
  const p = getProduct(state, id);
  const before = serializeProduct(p, state, req.base, 'edit');
  if (force) {
    state.removeProduct(id);
    ctx.fire('product.deleted', 'product', id);
  } else {
    if (p.status === 'trash') throw new WpError('woocommerce_rest_already_trashed', `The product has already been deleted.`, 410);
    // wp_trash_post(): remembers the status and slug in meta, frees the slug.
    const t = state.now();
    p.meta.push({ id: state.nextMetaId(), key: '_wp_trash_meta_status', value: p.status });
    p.meta.push({ id: state.nextMetaId(), key: '_wp_trash_meta_time', value: String(t) });
    p.meta.push({ id: state.nextMetaId(), key: '_wp_desired_post_slug', value: p.slug });
    p.slug = `${p.slug}__trashed`;
    p.status = 'trash';
    if (p.sku) state.skuIndex.delete(p.sku.toLowerCase());
    p.modified = state.now();
    state.touch();
    ctx.fire('product.deleted', 'product', id);
  }
  return before;
}

export function productRoutes(req: SimRequest, ctx: RouteCtx, parts: string[]): SimResponse | null {
  const { state } = ctx;
  const m = req.method;
  if (parts.length === 1) {
    if (m === 'GET') return listProducts(req, ctx);
    if (m === 'POST') {
      const body = createProduct(req, ctx);
      return { status: 201, body, headers: { Location: `${req.base}/wp-json/wc/v3/products/${String(body.id)}` } };
    }
    return null;
  }
  if (parts[1] === 'batch' && parts.length === 2) {
    if (!['POST', 'PUT', 'PATCH'].includes(m)) return null;
    return {
      status: 200,
      body: batchItems(req.body, {
        create: (item) => createProduct(req, ctx, item),
        update: (item) => updateProduct(req, ctx, Number(item.id), item),
        delete: (id) => deleteProduct(req, ctx, id, req.query.force === 'true'),
      }),
    };
  }
  const id = Number(parts[1]);
  if (!Number.isInteger(id)) return null;
  if (parts.length === 2) {
    if (m === 'GET') return { status: 200, body: serializeProduct(getProduct(state, id), state, req.base, context(req)) };
    if (m === 'PUT' || m === 'PATCH' || m === 'POST') return { status: 200, body: updateProduct(req, ctx, id) };
    if (m === 'DELETE') return { status: 200, body: deleteProduct(req, ctx, id, req.query.force === 'true' || req.query.force === '1') };
    return null;
  }
  if (parts[2] === 'variations') return variationRoutes(req, ctx, id, parts.slice(3));
  return null;
}

function createVariation(req: SimRequest, ctx: RouteCtx, parentId: number, body: Record<string, unknown>): Record<string, unknown> {
  const { state } = ctx;
  const parent = state.products.get(parentId);
  if (!parent || parent.type === 'variation') throw new WpError('woocommerce_rest_product_variation_invalid_parent_id', 'Invalid parent ID.', 404);
  const v = blankProduct(state, 'variation', parentId);
  v.reviewsAllowed = false;
  try {
    applyProductPayload(state, v, body, true);
  } catch (e) {
    state.setSku(v, '');
    state.releasePostId(v.id);
    throw e;
  }
  state.products.set(v.id, v);
  parent.variations.push(v.id);
  syncParent(state, parentId);
  state.touch();
  ctx.fire('product.created', 'product', v.id);
  return serializeVariation(v, state, req.base, 'edit');
}

function getVariation(state: WooState, parentId: number, id: number, status = 404): ProductRec {
  const v = state.products.get(id);
  if (!v || v.type !== 'variation' || v.parentId !== parentId) {
    throw new WpError('woocommerce_rest_product_variation_invalid_id', 'Invalid ID.', status);
  }
  return v;
}

function updateVariation(req: SimRequest, ctx: RouteCtx, parentId: number, id: number, body: Record<string, unknown>): Record<string, unknown> {
  const { state } = ctx;
  const v = getVariation(state, parentId, id, 400);
  applyProductPayload(state, v, body, false);
  syncParent(state, parentId);
  state.touch();
  ctx.fire('product.updated', 'product', v.id);
  return serializeVariation(v, state, req.base, 'edit');
}

function deleteVariation(req: SimRequest, ctx: RouteCtx, parentId: number, id: number, force: boolean): Record<string, unknown> {
  const { state } = ctx;
  const v = getVariation(state, parentId, id);
  if (!force) throw new WpError('woocommerce_rest_trash_not_supported', 'Variations do not support trashing.', 501);
  const out = serializeVariation(v, state, req.base, 'edit');
  state.removeProduct(id);
  syncParent(state, parentId);
  ctx.fire('product.deleted', 'product', id);
  return out;
}

function variationRoutes(req: SimRequest, ctx: RouteCtx, parentId: number, rest: string[]): SimResponse | null {
  const { state } = ctx;
  const m = req.method;
  if (rest.length === 0) {
    if (m === 'GET') {
      const parent = state.products.get(parentId);
      if (!parent) throw new WpError('woocommerce_rest_product_variation_invalid_parent_id', 'Invalid parent ID.', 404);
      const include = new Set(listParam(req, 'include')?.map(Number) ?? []);
      const sku = req.query.sku?.toLowerCase();
      const desc = (req.query.order ?? 'desc') === 'desc';
      const orderby = req.query.orderby ?? 'date';
      let vs = parent.variations.map((id) => state.products.get(id)).filter((v): v is ProductRec => !!v);
      vs = vs.filter((v) => (include.size === 0 || include.has(v.id)) && (!sku || v.sku.toLowerCase() === sku));
      const mod = dateParam(req, 'modified_after');
      if (mod !== null) vs = vs.filter((v) => v.modified > mod);
      const key = orderby === 'id' ? (v: ProductRec) => v.id : orderby === 'modified' ? (v: ProductRec) => v.modified : orderby === 'menu_order' ? (v: ProductRec) => v.menuOrder : (v: ProductRec) => v.created;
      const { page, headers } = paginate(req, sortBy(vs, key, desc, (v) => v.id));
      return { status: 200, body: page.map((v) => serializeVariation(v, state, req.base, context(req))), headers };
    }
    if (m === 'POST') {
      const body = createVariation(req, ctx, parentId, req.body);
      return { status: 201, body, headers: { Location: `${req.base}/wp-json/wc/v3/products/${parentId}/variations/${String(body.id)}` } };
    }
    return null;
  }
  if (rest[0] === 'batch' && rest.length === 1) {
    if (!['POST', 'PUT', 'PATCH'].includes(m)) return null;
    return {
      status: 200,
      body: batchItems(req.body, {
        create: (item) => createVariation(req, ctx, parentId, item),
        update: (item) => updateVariation(req, ctx, parentId, Number(item.id), item),
        delete: (id) => deleteVariation(req, ctx, parentId, id, true),
      }),
    };
  }
  const id = Number(rest[0]);
  if (!Number.isInteger(id) || rest.length !== 1) return null;
  if (m === 'GET') return { status: 200, body: serializeVariation(getVariation(state, parentId, id), state, req.base, context(req)) };
  if (m === 'PUT' || m === 'PATCH' || m === 'POST') return { status: 200, body: updateVariation(req, ctx, parentId, id, req.body) };
  if (m === 'DELETE') return { status: 200, body: deleteVariation(req, ctx, parentId, id, req.query.force === 'true') };
  return null;
}
