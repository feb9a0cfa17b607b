/** Writes of customers (find by email first), categories (find by name first), stock and prices (by SKU). */
import type { CanonicalByEntity, EntityType } from '../../model/index.js';
import { Money, SCHEMAS, normalizeEmail } from '../../model/index.js';
import { SyncError } from '../../shared/errors.js';
import type { WriteContext, WriteOp, WriteResult } from '../contract.js';
import type { WooContext } from './context.js';
import { SYSTEM } from './errors.js';
import { customerPayload } from './map-customer.js';
import { owns } from './map-product.js';
import { runBatch } from './batch.js';
import type { BatchItem } from './batch.js';
import type { WooCategory, WooCustomer } from './wire.js';
import { decodeEntities } from './html.js';
import { idSeg } from './path.js';

type Result = WriteResult | undefined;

function fail(op: WriteOp, entity: EntityType, kind: SyncError['kind'], message: string): WriteResult {
  return { ok: false, key: op.key, error: new SyncError(kind, message, { system: SYSTEM, entity, record: op.key }) };
}

function validate<E extends EntityType>(entity: E, op: WriteOp<E>): { ok: true; record: CanonicalByEntity[E] } | { ok: false; result: WriteResult } {
  const parsed = SCHEMAS[entity].safeParse(op.record);
  if (parsed.success) return { ok: true, record: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, result: fail(op, entity, 'invalid_data', `${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'}`) };
}

function toResult(op: WriteOp, r: BatchItem, created: boolean): WriteResult {
  return r.ok ? { ok: true, key: op.key, id: String(r.id), created } : { ok: false, key: op.key, error: r.error.about({ record: op.key }) };
}

/**
 * The shape every find-then-batch write shares: validate each op, let `plan` find the existing record
 * (find before create: a retried create never duplicates) and build the body, one batch call for all,
 * results back in op order. `onCreate` may turn a create refusal into a found record.
 */
async function writeFound<E extends 'customer' | 'category'>(
  ctx: WooContext,
  entity: E,
  path: string,
  ops: WriteOp<E>[],
  wctx: WriteContext,
  plan: (op: WriteOp<E>, record: CanonicalByEntity[E]) => Promise<{ id: number | undefined; body: Record<string, unknown> }>,
  onCreate: (op: WriteOp<E>, r: BatchItem) => WriteResult = (op, r) => toResult(op, r, true),
): Promise<WriteResult[]> {
  const results: Result[] = new Array(ops.length);
  const creates: Array<{ i: number; body: Record<string, unknown> }> = [];
  const updates: Array<{ i: number; body: Record<string, unknown> }> = [];
  const deletes: Array<{ i: number; id: number }> = [];
  for (const [i, op] of ops.entries()) {
    if (op.kind === 'delete') {
      deletes.push({ i, id: Number(op.targetId) });
      continue;
    }
    const v = validate(entity, op);
    if (!v.ok) {
      results[i] = v.result;
      continue;
    }
    const { id, body } = await plan(op, v.record);
    if (id === undefined) creates.push({ i, body });
    else updates.push({ i, body: { ...body, id } });
  }
  const out = await runBatch(ctx, path, { create: creates.map((c) => c.body), update: updates.map((u) => u.body), delete: deletes.map((d) => d.id) }, entity, wctx.signal);
  out.create.forEach((r, j) => (results[creates[j]!.i] = onCreate(ops[creates[j]!.i]!, r)));
  out.update.forEach((r, j) => (results[updates[j]!.i] = toResult(ops[updates[j]!.i]!, r, false)));
  out.delete.forEach((r, j) => (results[deletes[j]!.i] = toResult(ops[deletes[j]!.i]!, r, false)));
  return results.map((r, i) => r ?? fail(ops[i]!, entity, 'invalid_data', 'not written'));
}

export function writeCustomers(ctx: WooContext, ops: WriteOp<'customer'>[], wctx: WriteContext): Promise<WriteResult[]> {
  return writeFound(ctx, 'customer', 'customers/batch', ops, wctx, async (op, record) => {
    let id = op.kind === 'update' && op.targetId ? Number(op.targetId) : undefined;
    if (id === undefined) {
      // Find before create: WooCommerce matches ?email= case-insensitively; role=all also finds non-customers.
      const res = await ctx.transport.request<WooCustomer[]>('GET', 'customers', { query: { email: record.email.trim(), role: 'all' }, signal: wctx.signal, entity: 'customer' });
      id = res.data.find((c) => normalizeEmail(c.email) === normalizeEmail(record.email))?.id;
    }
    return { id, body: customerPayload(record, op.fields) };
  });
}

export function writeCategories(ctx: WooContext, ops: WriteOp<'category'>[], wctx: WriteContext): Promise<WriteResult[]> {
  return writeFound(
    ctx,
    'category',
    'products/categories/batch',
    ops,
    wctx,
    async (op, record) => {
      const parent = record.parentId ? Number(wctx.lookup('category', record.parentId) ?? 0) : 0;
      let id = op.kind === 'update' && op.targetId ? Number(op.targetId) : undefined;
      if (id === undefined) {
        const res = await ctx.transport.request<WooCategory[]>('GET', 'products/categories', { query: { search: record.name, per_page: 100 }, signal: wctx.signal, entity: 'category' });
        id = res.data.find((c) => c.parent === parent && decodeEntities(c.name).toLowerCase() === record.name.toLowerCase())?.id;
      }
      return { id, body: { name: record.name, parent } };
    },
    (op, r) => {
      // term_exists carries the id of the category that already has this name.
      const existing = !r.ok && r.error.code === 'term_exists' ? r.error.details?.resourceId : undefined;
      return typeof existing === 'number' ? { ok: true, key: op.key, id: String(existing), created: false } : toResult(op, r, true);
    },
  );
}

/**
 * Stock and prices are written per SKU: the SKU resolves to a product or a variation, then one
 * products/batch call for products and one variations/batch call per parent.
 */
export async function writeBySku<E extends 'stock' | 'price'>(ctx: WooContext, entity: E, ops: WriteOp<E>[], wctx: WriteContext): Promise<WriteResult[]> {
  const results: Result[] = new Array(ops.length);
  const currency = entity === 'price' ? await ctx.currency(wctx.signal) : '';
  const bodies: Array<{ i: number; sku: string; body: Record<string, unknown> }> = [];
  for (const [i, op] of ops.entries()) {
    if (op.kind === 'delete') {
      results[i] = fail(op, entity, 'invalid_data', `${entity} records cannot be deleted in WooCommerce; write a new value instead`);
      continue;
    }
    const v = validate(entity, op);
    if (!v.ok) {
      results[i] = v.result;
      continue;
    }
    if (entity === 'stock') {
      const s = v.record as CanonicalByEntity['stock'];
      if (s.location !== 'default') {
        results[i] = fail(op, entity, 'invalid_data', `WooCommerce has one stock location ("default"), not "${s.location}"`);
        continue;
      }
      bodies.push({ i, sku: s.sku, body: { manage_stock: true, stock_quantity: Math.trunc(s.available) } });
    } else {
      const p = v.record as CanonicalByEntity['price'];
      if (p.list.currency !== currency || (p.sale && p.sale.currency !== currency)) {
        results[i] = fail(op, entity, 'invalid_data', `price in ${p.list.currency} but the shop sells in ${currency}`);
        continue;
      }
      const body: Record<string, unknown> = {};
      if (owns(op.fields, 'list')) body.regular_price = Money.fromJSON(p.list).amount;
      if (owns(op.fields, 'sale')) body.sale_price = p.sale ? Money.fromJSON(p.sale).amount : '';
      bodies.push({ i, sku: p.sku, body });
    }
  }
  const refs = await ctx.lookupSkus(bodies.map((b) => b.sku), wctx.signal);
  const groups = new Map<string, Array<{ i: number; sku: string; body: Record<string, unknown> }>>();
  for (const b of bodies) {
    const ref = refs.get(b.sku.trim().toLowerCase());
    if (!ref) {
      results[b.i] = fail(ops[b.i]!, entity, 'not_found', `no product or variation with SKU ${b.sku} in WooCommerce`);
      continue;
    }
    const path = ref.parentId ? `products/${idSeg(ref.parentId)}/variations/batch` : 'products/batch';
    const list = groups.get(path) ?? [];
    list.push({ i: b.i, sku: ref.raw.sku, body: { ...b.body, id: ref.id } });
    groups.set(path, list);
  }
  for (const [path, items] of groups) {
    const out = await runBatch(ctx, path, { update: items.map((x) => x.body) }, entity, wctx.signal);
    out.update.forEach((r, j) => {
      const op = ops[items[j]!.i]!;
      results[items[j]!.i] = r.ok ? { ok: true, key: op.key, id: `${items[j]!.sku}@default`, created: false } : { ok: false, key: op.key, error: r.error.about({ entity, record: op.key }) };
    });
  }
  return results.map((r, i) => r ?? fail(ops[i]!, entity, 'invalid_data', 'not written'));
}
