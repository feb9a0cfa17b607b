/**
 * Product writes: find-before-create by SKU (a retried create never duplicates), products/batch for
 * parents, products/<id>/variations/batch for variations; one result per op, in order.
 */
import type { Product } from '../../model/index.js';
import { SCHEMAS } from '../../model/index.js';
import { SyncError } from '../../shared/errors.js';
import type { WriteContext, WriteOp, WriteResult } from '../contract.js';
import type { WooContext } from './context.js';
import { SYSTEM } from './errors.js';
import type { ProductPayload } from './map-product.js';
import { checkProduct, productPayload } from './map-product.js';
import { runBatch } from './batch.js';
import { idSeg } from './path.js';

interface Plan {
  index: number;
  op: WriteOp<'product'>;
  payload: ProductPayload;
  id?: number;
  created: boolean;
}

function invalid(op: WriteOp, message: string): WriteResult {
  return { ok: false, key: op.key, error: new SyncError('invalid_data', message, { system: SYSTEM, entity: 'product', record: op.key }) };
}

export async function writeProducts(ctx: WooContext, ops: WriteOp<'product'>[], wctx: WriteContext): Promise<WriteResult[]> {
  const results: Array<WriteResult | undefined> = new Array(ops.length);
  const currency = await ctx.currency(wctx.signal);
  const plans: Plan[] = [];
  const deletes: Array<{ index: number; op: WriteOp<'product'> }> = [];
  ops.forEach((op, index) => {
    if (op.kind === 'delete') {
      if (!op.targetId) results[index] = invalid(op, 'delete needs the WooCommerce product id');
      else deletes.push({ index, op });
      return;
    }
    const parsed = SCHEMAS.product.safeParse(op.record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      results[index] = invalid(op, `${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'}`);
      return;
    }
    const product: Product = parsed.data;
    const problem = checkProduct(product);
    if (problem) {
      results[index] = invalid(op, problem);
      return;
    }
    const categories = product.categoryIds.map((c) => Number(wctx.lookup('category', c))).filter((n) => Number.isInteger(n) && n > 0);
    try {
      const payload = productPayload(product, { currency, weightUnit: ctx.settings.weightUnit }, op.fields, categories);
      plans.push({ index, op, payload, id: op.kind === 'update' && op.targetId ? Number(op.targetId) : undefined, created: false });
    } catch (e) {
      results[index] = invalid(op, (e as Error).message);
    }
  });

  // Find before create: any variant SKU already in the shop means the product exists.
  const creates = plans.filter((p) => p.id === undefined);
  if (creates.length > 0) {
    const found = await ctx.lookupSkus(creates.flatMap((p) => skusOf(p)), wctx.signal);
    for (const p of creates) {
      const hit = skusOf(p).map((s) => found.get(s.toLowerCase())).find((r) => r);
      if (hit) p.id = hit.parentId || hit.id;
    }
  }

  const toCreate = plans.filter((p) => p.id === undefined);
  const toUpdate = plans.filter((p) => p.id !== undefined);
  const batch = await runBatch(
    ctx,
    'products/batch',
    {
      create: toCreate.map((p) => p.payload.parent),
      update: toUpdate.map((p) => ({ ...withoutType(p.payload.parent), id: p.id })),
      delete: deletes.map((d) => Number(d.op.targetId)),
    },
    'product',
    wctx.signal,
  );
  const retryAsUpdate: Plan[] = [];
  batch.create.forEach((r, i) => {
    const p = toCreate[i]!;
    if (r.ok) {
      p.id = r.id;
      p.created = true;
    } else if (r.error.code === 'product_invalid_sku' && typeof r.error.details?.resourceId === 'number') {
      // Created meanwhile (or by an earlier attempt that lost its answer): it already exists.
      retryAsUpdate.push(p);
    } else results[p.index] = { ok: false, key: p.op.key, error: r.error.about({ record: p.op.key }) };
  });
  batch.update.forEach((r, i) => {
    const p = toUpdate[i]!;
    if (!r.ok) results[p.index] = { ok: false, key: p.op.key, error: r.error.about({ record: p.op.key }) };
  });
  batch.delete.forEach((r, i) => {
    const d = deletes[i]!;
    results[d.index] = r.ok ? { ok: true, key: d.op.key, id: String(r.id), created: false } : { ok: false, key: d.op.key, error: r.error.about({ record: d.op.key }) };
  });
  if (retryAsUpdate.length > 0) {
    const found = await ctx.lookupSkus(retryAsUpdate.flatMap((p) => skusOf(p)), wctx.signal);
    const again = await runBatch(ctx, 'products/batch', { update: retryAsUpdate.map((p) => {
      const hit = skusOf(p).map((s) => found.get(s.toLowerCase())).find((r) => r);
      p.id = hit ? hit.parentId || hit.id : 0;
      return { ...withoutType(p.payload.parent), id: p.id };
    }) }, 'product', wctx.signal);
    again.update.forEach((r, i) => {
      const p = retryAsUpdate[i]!;
      if (!r.ok) results[p.index] = { ok: false, key: p.op.key, error: r.error.about({ record: p.op.key }) };
    });
  }

  for (const p of plans) {
    if (results[p.index] || p.id === undefined) continue;
    if (p.payload.variations.length === 0) {
      results[p.index] = { ok: true, key: p.op.key, id: String(p.id), created: p.created };
      continue;
    }
    results[p.index] = await writeVariations(ctx, p, wctx.signal);
  }
  return results.map((r, i) => r ?? invalid(ops[i]!, 'not written'));
}

function skusOf(p: Plan): string[] {
  return p.payload.variations.length > 0 ? p.payload.variations.map((v) => v.sku) : [String(p.payload.parent.sku ?? '')].filter(Boolean);
}

function withoutType(body: Record<string, unknown>): Record<string, unknown> {
  const { type: _type, ...rest } = body;
  return rest;
}

async function writeVariations(ctx: WooContext, p: Plan, signal?: AbortSignal): Promise<WriteResult> {
  const id = p.id!;
  const existing = p.created ? [] : await ctx.variations(id, signal);
  const bySku = new Map(existing.filter((v) => v.sku).map((v) => [v.sku.toLowerCase(), v]));
  const wanted = new Set(p.payload.variations.map((v) => v.sku.toLowerCase()));
  const create = p.payload.variations.filter((v) => !bySku.has(v.sku.toLowerCase()));
  const update = p.payload.variations.filter((v) => bySku.has(v.sku.toLowerCase()));
  // A variant that left the source is disabled (status private), not deleted: orders still point at it.
  const retire = existing.filter((v) => v.sku && !wanted.has(v.sku.toLowerCase()) && v.status !== 'private');
  const res = await runBatch(
    ctx,
    `products/${idSeg(id)}/variations/batch`,
    {
      create: create.map((v) => v.body),
      update: [...update.map((v) => ({ ...v.body, id: bySku.get(v.sku.toLowerCase())!.id })), ...retire.map((v) => ({ id: v.id, status: 'private' }))],
    },
    'product',
    signal,
  );
  const childIds: Record<string, string> = {};
  for (const v of existing) if (v.sku && wanted.has(v.sku.toLowerCase())) childIds[v.sku] = String(v.id);
  const errors: SyncError[] = [];
  res.create.forEach((r, i) => {
    if (r.ok) childIds[create[i]!.sku] = String(r.id);
    else errors.push(r.error);
  });
  res.update.forEach((r) => {
    if (!r.ok) errors.push(r.error);
  });
  if (errors.length === 0) return { ok: true, key: p.op.key, id: String(id), created: p.created, childIds };
  if (p.created && Object.keys(childIds).length === 0) {
    // Undo: a variable product without any variation cannot be found again by SKU on a retry.
    await ctx.transport.request('DELETE', `products/${idSeg(id)}`, { query: { force: 'true' }, signal, entity: 'product' }).catch(() => undefined);
  }
  const first = errors[0]!;
  return { ok: false, key: p.op.key, error: new SyncError(first.kind, `variation: ${first.message}`, { ...first.options(), entity: 'product', record: p.op.key }) };
}
