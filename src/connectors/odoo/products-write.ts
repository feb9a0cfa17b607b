/**
 * Writing products. Per batch:
 *   1. validate each record (canonical schema, prices ≥ 0 in the company currency, unique SKUs);
 *   2. find-before-create: SKUs that already exist turn the create into an update of their template, so a
 *      retried create never duplicates (archived products included); what the engine's SKU lookup just saw
 *      is used instead of a second search (sku-memo.ts);
 *   3. find-or-create attributes and values by name (cached);
 *   4. ONE create call with the list of new templates (Odoo: ~3.7 ms/product in a list of 1,000 vs ~500 ms
 *      one by one), without Odoo's chatter unless `productChatter` (NO_CHATTER below); if Odoo refuses the list, the write throws and the engine isolates the bad record
 *      (engine/records/write-batches.ts: the batch again in halves; created SKUs are found by step 2);
 *   5. variants: ONE read (with the new simple products' template ids), SKU/barcode in one write, price
 *      extras, unsold combinations archived (product-variants.ts);
 *   updates are written grouped by identical values; deletes archive.
 */
import { ProductSchema, parseCanonical, type Product } from '../../model/index.js';
import { Decimal } from '../../model/index.js';
import type { Json, WriteContext, WriteOp, WriteResult } from '../contract.js';
import { SyncError, toSyncError } from '../../shared/errors.js';
import { SYSTEM } from './errors.js';
import { CREATE_CHUNK, createMany, variantsBySku, type OdooContext } from './context.js';
import { forgetSkus, takeSkuLookup } from './sku-memo.js';
import { attributeLines, templateVals } from './map-product.js';
import { finishVariants, type VariantJob } from './product-variants.js';
import { asNumberId, chunks, groupByValues, m2oId, text, type OdooRecord } from './values.js';

export function ownership(fields: string[] | undefined): (path: string) => boolean {
  if (!fields) return () => true;
  return (path) => fields.some((f) => f === path || path.startsWith(`${f}.`) || f.startsWith(`${path}.`));
}

function invalid(op: WriteOp, message: string, field?: string): WriteResult {
  return { ok: false, key: op.key, error: new SyncError('invalid_data', message, { system: SYSTEM, entity: 'product', record: op.key, field }) };
}

export function validateProduct(op: WriteOp<'product'>, currency: string): { product: Product } | { error: WriteResult } {
  const parsed = parseCanonical(ProductSchema, op.record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: invalid(op, `${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'}`, issue?.path.join('.')) };
  }
  const product = parsed.data;
  const skus = new Set<string>();
  for (const v of product.variants) {
    if (skus.has(v.sku)) return { error: invalid(op, `SKU ${v.sku} appears twice in the product`, 'variants.sku') };
    skus.add(v.sku);
    if (v.price.currency !== currency) return { error: invalid(op, `variant ${v.sku} is priced in ${v.price.currency}, the Odoo company currency is ${currency}`, 'variants.price') };
    if (Decimal.parse(v.price.amount).isNegative()) return { error: invalid(op, `variant ${v.sku} has a negative price ${v.price.amount}`, 'variants.price') };
    for (const a of product.attributes) if (product.variants.length > 1 && v.attributes[a.name] === undefined) return { error: invalid(op, `variant ${v.sku} has no value for attribute ${a.name}`, 'variants.attributes') };
  }
  return { product };
}

type Create = { i: number; op: WriteOp<'product'>; product: Product };
type Update = Create & { tmplId: number; created: boolean };
type Delete = { i: number; tmplId: number };

export async function writeProducts(env: OdooContext, ops: WriteOp<'product'>[], ctx: WriteContext): Promise<WriteResult[]> {
  const { currency } = await env.lookups.company();
  const results: Array<WriteResult | undefined> = new Array(ops.length);
  const creates: Create[] = [];
  const updates: Update[] = [];
  const deletes: Delete[] = [];

  ops.forEach((op, i) => {
    if (op.kind === 'delete') {
      if (!op.targetId) results[i] = invalid(op, 'delete without targetId');
      else deletes.push({ i, tmplId: asNumberId(op.targetId) });
      return;
    }
    const v = validateProduct(op, currency);
    if ('error' in v) results[i] = v.error;
    else if (op.kind === 'update' && op.targetId) updates.push({ i, op, product: v.product, tmplId: asNumberId(op.targetId), created: false });
    else creates.push({ i, op, product: v.product });
  });

  const batchSkus = [...creates, ...updates].flatMap((c) => c.product.variants.map((v) => v.sku));
  try {
    return await writeValid(env, ops, ctx, { currency, results, creates, updates, deletes });
  } finally {
    forgetSkus(env, batchSkus); // created or written now: a lookup made before this write is no longer trusted
  }
}

async function writeValid(
  env: OdooContext,
  ops: WriteOp<'product'>[],
  ctx: WriteContext,
  b: { currency: string; results: Array<WriteResult | undefined>; creates: Create[]; updates: Update[]; deletes: Delete[] },
): Promise<WriteResult[]> {
  const { currency, results, creates, updates, deletes } = b;
  const traits = await env.traits();
  forgetSkus(env, updates.flatMap((u) => u.product.variants.map((v) => v.sku)));
  // find-before-create by SKU: what the engine's SKU lookup just saw (sku-memo.ts: taken once), else a search
  if (creates.length > 0) {
    const skus = creates.flatMap((c) => c.product.variants.map((v) => v.sku));
    const existing = takeSkuLookup(env, skus) ?? (await variantsBySku(env, skus, { includeArchived: true }));
    const tmplOf = new Map(existing.map((r) => [text(r.default_code) ?? '', m2oId(r.product_tmpl_id)]));
    for (const c of [...creates]) {
      const found = [...new Set(c.product.variants.map((v) => tmplOf.get(v.sku)).filter((x): x is number => typeof x === 'number'))];
      if (found.length === 0) continue;
      creates.splice(creates.indexOf(c), 1);
      if (found.length > 1) results[c.i] = invalid(c.op, `its SKUs belong to ${found.length} different Odoo products (${found.join(', ')})`, 'variants.sku');
      else updates.push({ i: c.i, op: c.op, product: c.product, tmplId: found[0]!, created: false });
    }
  }

  // templates this user created whose variants never got their SKUs (the process died between the create
  // and the variant write): adopted instead of created again
  if (creates.some((c) => !isSimpleProduct(c.product))) {
    const adopted = await findOrphanTemplates(env, creates.filter((c) => !isSimpleProduct(c.product)));
    for (const [c, tmplId] of adopted) {
      creates.splice(creates.indexOf(c), 1);
      updates.push({ i: c.i, op: c.op, product: c.product, tmplId, created: false });
    }
  }

  const needAttrs = [...creates, ...updates].filter((c) => c.product.attributes.length > 0 && ownership(c.op.fields)('attributes'));
  const attrIds = needAttrs.length > 0 ? await env.lookups.ensureAttributes(needAttrs.flatMap((c) => c.product.attributes)) : env.lookups.attributes;
  const categ = (p: Product): number | undefined => {
    const first = p.categoryIds[0];
    const id = first !== undefined ? ctx.lookup('category', first) : undefined;
    return id !== undefined ? Number(id) : undefined;
  };

  const jobs: VariantJob[] = [];
  const createdIds = new Map<number, number>();
  const isSimple = isSimpleProduct;
  // Simple products are created as product.product (template made by delegation, SKU/barcode set on the
  // variant directly: 02_catalog #32); products with attributes as product.template with attribute lines.
  const simple = creates.filter((c) => isSimple(c.product));
  const variable = creates.filter((c) => !isSimple(c.product));
  const valsOf = (c: (typeof creates)[number]) => templateVals({ product: c.product, traits, categId: categ(c.product), attributeIds: attrIds, invoicePolicy: env.invoicePolicy }, 'create');
  // 17+: the new variants' template ids come back with the create (web_save); else from the variants read
  const simpleIds = traits.webSave ? await createSimple(env, simple, valsOf) : toVariants(await createList(env, 'product.product', simple, valsOf));
  const variableIds = await createList(env, 'product.template', variable, valsOf);
  variable.forEach((c) => {
    const id = variableIds.get(c.i)!;
    createdIds.set(c.i, id);
    jobs.push({ index: c.i, tmplId: id, product: c.product, owns: () => true });
  });

  if (updates.length > 0) await applyUpdates(env, updates, categ, attrIds, results, jobs);

  // the template ids of new simple products the create did not answer come with the variants read of finishVariants
  const unknown = [...simpleIds.values()].filter((v) => v.tmplId === undefined).map((v) => v.id);
  const { outcomes, templateOf } = await finishVariants(env, jobs, currency, unknown);
  for (const c of simple) {
    const created = simpleIds.get(c.i);
    if (created === undefined) continue;
    const vid = created.id;
    const tid = created.tmplId ?? templateOf.get(vid);
    if (tid === undefined) {
      results[c.i] = invalid(c.op, `Odoo created variant ${vid} but did not return its template`);
      continue;
    }
    createdIds.set(c.i, tid);
    results[c.i] = { ok: true, key: c.op.key, id: String(tid), created: true, childIds: { [c.product.variants[0]!.sku]: String(vid) } };
  }
  for (const job of jobs) {
    const o = outcomes.get(job.index);
    const op = ops[job.index]!;
    if (results[job.index]) continue;
    if (o?.error) results[job.index] = { ok: false, key: op.key, error: o.error };
    else results[job.index] = { ok: true, key: op.key, id: String(job.tmplId), created: createdIds.has(job.index), childIds: o?.childIds ?? {} };
  }

  if (deletes.length > 0) {
    await env.t.call('product.template', 'write', { ids: deletes.map((d) => d.tmplId), kwargs: { vals: { active: false } } });
    for (const d of deletes) results[d.i] = { ok: true, key: ops[d.i]!.key, id: String(d.tmplId), created: false };
  }
  return results.map((r, i) => r ?? invalid(ops[i]!, 'not written'));
}

const isSimpleProduct = (p: Product) => p.attributes.length === 0 && p.variants.length === 1;

/**
 * Odoo's chatter on a product create — the creator subscribed as follower, followers auto-subscribed record by
 * record, a "created" message logged, for the product AND its template (both are mail threads) — is most of
 * the create's cost: 500 simple products took 1.75–2.97 s of Odoo CPU with it, 1.13–1.17 s without, on the
 * lab's Odoo 17 (docs/benchmarks.md). Odoo's own import turns it off the same way by default
 * (`tracking_disable`); the setting `productChatter` turns it back on.
 */
const NO_CHATTER: Record<string, Json> = { tracking_disable: true };

/**
 * ONE create call with the list; op index → new id. Odoo's create of a list is all-or-nothing: when it
 * refuses the list, so does this write (it throws), and the engine isolates the bad record by writing the
 * batch again in halves (engine/records/write-batches.ts); the SKUs created meanwhile are found then.
 */
async function createList<T extends { i: number }>(env: OdooContext, model: string, items: T[], valsOf: (item: T) => Record<string, Json>): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (items.length === 0) return out;
  const ids = await createMany(env, model, items.map(valsOf), env.productChatter ? undefined : NO_CHATTER);
  items.forEach((c, k) => out.set(c.i, ids[k]!));
  return out;
}

type NewVariant = { id: number; tmplId?: number };
const toVariants = (ids: Map<number, number>) => new Map([...ids].map(([i, id]): [number, NewVariant] => [i, { id }]));

/**
 * New simple products in ONE call that also answers their template ids (Odoo 17+): `web_save` on an empty
 * product.product recordset creates the list (`create(vals)`, the same create as `createList`) and returns
 * `web_read({product_tmpl_id: {}})` of the new records, in create order — the create and the template-id
 * read of every batch in one round trip (addons/web/models/models.py, the same on 17 and 19; the real
 * servers' answers: test/live/odoo-product-calls.live.test.ts).
 */
async function createSimple<T extends { i: number }>(env: OdooContext, items: T[], valsOf: (item: T) => Record<string, Json>): Promise<Map<number, NewVariant>> {
  const out = new Map<number, NewVariant>();
  for (const part of chunks(items, CREATE_CHUNK)) {
    const rows = await env.t.call<Array<{ id: number; product_tmpl_id?: unknown }>>('product.product', 'web_save', {
      ids: [],
      kwargs: { vals: part.map(valsOf), specification: { product_tmpl_id: {} } },
      ...(!env.productChatter && { context: NO_CHATTER }),
    });
    if (!Array.isArray(rows) || rows.length !== part.length) throw new SyncError('unavailable', `Odoo created ${Array.isArray(rows) ? rows.length : 0} product.product records for ${part.length} values`, { system: SYSTEM });
    part.forEach((c, k) => {
      const row = rows[k]!;
      const tmplId = typeof row.product_tmpl_id === 'number' ? row.product_tmpl_id : undefined;
      out.set(c.i, { id: row.id, ...(tmplId !== undefined && { tmplId }) });
    });
  }
  return out;
}

/**
 * A template with attribute lines is created in one call and its variants get their SKUs in the next; a
 * crash in between leaves a template no SKU finds. Such orphans — created by this integration user, same
 * name, no variant with an internal reference — are paired with the creates of the same name (oldest
 * first) so that a rerun completes them instead of creating the product twice.
 */
async function findOrphanTemplates<T extends { product: Product }>(env: OdooContext, creates: T[]): Promise<Map<T, number>> {
  const out = new Map<T, number>();
  const names = [...new Set(creates.map((c) => c.product.name))];
  const uid = await env.t.uid();
  const tmpls = await env.t.call<OdooRecord[]>('product.template', 'search_read', { kwargs: { domain: [['name', 'in', names], ['create_uid', '=', uid]], fields: ['name'], order: 'id asc' } });
  if (tmpls.length === 0) return out;
  const variants = await env.t.call<OdooRecord[]>('product.product', 'search_read', { kwargs: { domain: [['product_tmpl_id', 'in', tmpls.map((t) => t.id)]], fields: ['product_tmpl_id', 'default_code'] }, context: { active_test: false } });
  const coded = new Set(variants.filter((v) => text(v.default_code)).map((v) => m2oId(v.product_tmpl_id)));
  const withVariants = new Set(variants.map((v) => m2oId(v.product_tmpl_id)));
  const orphans = new Map<string, number[]>();
  for (const t of tmpls) if (withVariants.has(t.id) && !coded.has(t.id)) orphans.set(text(t.name) ?? '', [...(orphans.get(text(t.name) ?? '') ?? []), t.id]);
  for (const c of creates) {
    const id = orphans.get(c.product.name)?.shift();
    if (id !== undefined) out.set(c, id);
  }
  return out;
}

async function applyUpdates(
  env: OdooContext,
  updates: Array<{ i: number; op: WriteOp<'product'>; product: Product; tmplId: number }>,
  categ: (p: Product) => number | undefined,
  attrIds: Awaited<ReturnType<OdooContext['lookups']['ensureAttributes']>>,
  results: Array<WriteResult | undefined>,
  jobs: VariantJob[],
): Promise<void> {
  const traits = await env.traits();
  const items = updates.map((u) => ({ ...u, owns: ownership(u.op.fields) }));
  const groups = groupByValues(items, (u) => templateVals({ product: u.product, traits, categId: categ(u.product), owns: u.owns }, 'update'));
  for (const g of groups) {
    if (Object.keys(g.vals).length === 0) continue;
    try {
      await env.t.call('product.template', 'write', { ids: g.items.map((u) => u.tmplId), kwargs: { vals: g.vals } });
    } catch (e) {
      const err = toSyncError(e);
      if (err.retryable) throw err;
      for (const u of g.items) results[u.i] = { ok: false, key: u.op.key, error: err.about({ entity: 'product', record: u.op.key }) };
    }
  }
  // attribute values added to existing products: extend the attribute lines, Odoo generates the variants
  const withAttrs = items.filter((u) => !results[u.i] && u.product.attributes.length > 0 && u.owns('attributes'));
  if (withAttrs.length > 0) {
    const lines = await env.t.call<OdooRecord[]>('product.template.attribute.line', 'search_read', {
      kwargs: { domain: [['product_tmpl_id', 'in', withAttrs.map((u) => u.tmplId)]], fields: ['product_tmpl_id', 'attribute_id', 'value_ids'] },
    });
    for (const u of withAttrs) {
      const mine = lines.filter((l) => m2oId(l.product_tmpl_id) === u.tmplId);
      const commands: Json[] = [];
      for (const a of u.product.attributes) {
        const attr = attrIds.get(a.name);
        if (!attr) continue;
        const line = mine.find((l) => m2oId(l.attribute_id) === attr.id);
        const want = a.values.map((v) => attr.values.get(v)).filter((x): x is number => x !== undefined);
        if (!line) commands.push(...attributeLines({ ...u.product, attributes: [a] }, attrIds));
        else {
          const have = new Set(Array.isArray(line.value_ids) ? (line.value_ids as number[]) : []);
          const add = want.filter((w) => !have.has(w));
          if (add.length > 0) commands.push([1, line.id, { value_ids: add.map((w) => [4, w]) }]);
        }
      }
      if (commands.length > 0) {
        try {
          await env.t.call('product.template', 'write', { ids: [u.tmplId], kwargs: { vals: { attribute_line_ids: commands } } });
        } catch (e) {
          const err = toSyncError(e);
          if (err.retryable) throw err;
          results[u.i] = { ok: false, key: u.op.key, error: err.about({ entity: 'product', record: u.op.key }) };
        }
      }
    }
  }
  for (const u of items) if (!results[u.i]) jobs.push({ index: u.i, tmplId: u.tmplId, product: u.product, owns: u.owns });
}
