/**
 * Prices. Record id "<sku>@<pricelist>" ("@default" = the list price, lst_price of the variant).
 *  - 'default': the template's list_price is the lowest variant price, the rest PTAV price_extra (same
 *    rule as product writes); a variant's price is changed by recomputing its template.
 *  - any other name: fixed-price items of that Odoo pricelist (applied_on '0_product_variant', per
 *    min_quantity). The pricelist must exist in Odoo. Canonical `sale` prices are not written (no Odoo
 *    equivalent without a second pricelist) — documented.
 */
import type { Price } from '../../model/index.js';
import { PriceSchema } from '../../model/index.js';
import type { Json, SourceRecord, WriteOp, WriteResult } from '../contract.js';
import { SyncError, toSyncError } from '../../shared/errors.js';
import { SYSTEM } from './errors.js';
import { createMany, readMany, searchAll, variantsBySku, type OdooContext } from './context.js';
import type { Feed } from './changes.js';
import { loadProductBundle } from './products-read.js';
import { basePrice, matchVariants, priceExtras, productFromOdoo } from './map-product.js';
import { groupByValues, m2oId, m2oName, money, num, odooToIso, text, type OdooRecord } from './values.js';

export function priceId(sku: string, pricelist: string, minQuantity = 0): string {
  return minQuantity > 0 ? `${sku}@${pricelist}#${minQuantity}` : `${sku}@${pricelist}`;
}

/** Price records of variants (list price) — ids are product.product ids. */
export async function loadListPrices(env: OdooContext, variantIds: number[]): Promise<SourceRecord<'price'>[]> {
  const { currency } = await env.lookups.company();
  const rows = await readMany(env, 'product.product', variantIds, ['default_code', 'lst_price', 'write_date']);
  return rows
    .filter((r) => text(r.default_code))
    .map((r) => {
      const sku = text(r.default_code) as string;
      const data: Price = { sku, pricelist: 'default', list: money(r.lst_price, currency).toJSON(), sale: null, minQuantity: 0 };
      return { entity: 'price' as const, id: priceId(sku, 'default'), updatedAt: odooToIso(r.write_date), data, raw: r };
    });
}

export async function loadPricelistItems(env: OdooContext, itemIds: number[]): Promise<SourceRecord<'price'>[]> {
  const { currency } = await env.lookups.company();
  const items = (await readMany(env, 'product.pricelist.item', itemIds, ['pricelist_id', 'product_id', 'applied_on', 'compute_price', 'fixed_price', 'min_quantity', 'currency_id', 'write_date'])).filter(
    (i) => i.applied_on === '0_product_variant' && i.compute_price === 'fixed' && m2oId(i.product_id) !== null,
  );
  const variants = await readMany(env, 'product.product', items.map((i) => m2oId(i.product_id)!), ['default_code'], { active_test: false });
  const skuOf = new Map(variants.map((v) => [v.id, text(v.default_code)]));
  const out: SourceRecord<'price'>[] = [];
  for (const i of items) {
    const sku = skuOf.get(m2oId(i.product_id)!);
    const pricelist = m2oName(i.pricelist_id);
    if (!sku || !pricelist) continue;
    const cur = m2oName(i.currency_id) ?? currency;
    const data: Price = { sku, pricelist, list: money(i.fixed_price, cur).toJSON(), sale: null, minQuantity: num(i.min_quantity) };
    out.push({ entity: 'price', id: priceId(sku, pricelist, data.minQuantity), updatedAt: odooToIso(i.write_date), data, raw: i });
  }
  return out;
}

/** Feeds: variants (list prices move with template and PTAV writes too, so templates are a feed as well). */
export function priceFeeds(): Feed[] {
  return [
    { key: 'variant', spec: { model: 'product.product', domain: [['default_code', '!=', false]], fields: ['id'] }, outIds: (rows) => rows.map((r) => `v:${r.id}`) },
    { key: 'template', spec: { model: 'product.template', domain: [], fields: ['product_variant_ids'] }, outIds: (rows) => rows.flatMap((r) => (Array.isArray(r.product_variant_ids) ? r.product_variant_ids : [])).map((id) => `v:${String(id)}`) },
    { key: 'item', spec: { model: 'product.pricelist.item', domain: [['applied_on', '=', '0_product_variant']], fields: ['id'] }, outIds: (rows) => rows.map((r) => `i:${r.id}`) },
  ];
}

/** Loader for the feeds' "v:<id>" / "i:<id>" keys. */
export async function loadPriceKeys(env: OdooContext, keys: string[]): Promise<SourceRecord<'price'>[]> {
  const v = keys.filter((k) => k.startsWith('v:')).map((k) => Number(k.slice(2)));
  const i = keys.filter((k) => k.startsWith('i:')).map((k) => Number(k.slice(2)));
  return [...(v.length ? await loadListPrices(env, v) : []), ...(i.length ? await loadPricelistItems(env, i) : [])];
}

/** "<sku>@<pricelist>[#<min qty>]" ids → current price records. */
export async function fetchPrices(env: OdooContext, wanted: string[]): Promise<SourceRecord<'price'>[]> {
  const parsed = wanted.map((id) => {
    const at = id.lastIndexOf('@');
    return { sku: id.slice(0, at), pricelist: id.slice(at + 1).replace(/#.*$/, '') };
  });
  const variants = await variantsBySku(env, parsed.map((p) => p.sku));
  const ids = variants.map((v) => v.id);
  const out: SourceRecord<'price'>[] = [];
  if (parsed.some((p) => p.pricelist === 'default')) out.push(...(await loadListPrices(env, ids)));
  const names = [...new Set(parsed.map((p) => p.pricelist).filter((p) => p !== 'default'))];
  if (names.length && ids.length) {
    const items = await searchAll(env, 'product.pricelist.item', [['pricelist_id.name', 'in', names], ['product_id', 'in', ids]], ['id']);
    out.push(...(await loadPricelistItems(env, items.map((i) => i.id))));
  }
  const want = new Set(wanted);
  return out.filter((r) => want.has(r.id));
}

export async function writePrices(env: OdooContext, ops: WriteOp<'price'>[]): Promise<WriteResult[]> {
  const traits = await env.traits();
  const { currency } = await env.lookups.company();
  const results: Array<WriteResult | undefined> = new Array(ops.length);
  const fail = (i: number, kind: SyncError['kind'], message: string, hint?: string) =>
    (results[i] = { ok: false, key: ops[i]!.key, error: new SyncError(kind, message, { system: SYSTEM, entity: 'price', record: ops[i]!.key, hint }) });
  const items: Array<{ i: number; p: Price }> = [];
  ops.forEach((op, i) => {
    const parsed = PriceSchema.safeParse(op.record);
    if (!parsed.success) fail(i, 'invalid_data', parsed.error.issues[0]?.message ?? 'invalid price');
    else if (op.kind === 'delete') fail(i, 'invalid_data', 'prices are not deleted in Odoo by Tandem');
    else items.push({ i, p: parsed.data });
  });
  const found = await variantsBySku(env, items.map((x) => x.p.sku), { fields: ['default_code', 'product_tmpl_id'] });
  // a SKU on two products: whose price it is is not guessed (the price flow's twin rule, seen from the target)
  const count = new Map<string, number>();
  for (const v of found) count.set(text(v.default_code) ?? '', (count.get(text(v.default_code) ?? '') ?? 0) + 1);
  for (const x of items) {
    const n = count.get(x.p.sku) ?? 0;
    if (n > 1) fail(x.i, 'conflict', `SKU ${x.p.sku} is on ${n} Odoo products: Tandem does not guess whose price this is`, 'make the SKU unique in Odoo (archive or fix the duplicates), then replay');
  }
  items.splice(0, items.length, ...items.filter((x) => !results[x.i]));
  const variants = found.filter((v) => (count.get(text(v.default_code) ?? '') ?? 0) === 1);
  const bySku = new Map(variants.map((v) => [text(v.default_code) ?? '', v]));

  // list prices, per template
  const list = items.filter((x) => x.p.pricelist === 'default');
  const tmplIds = [...new Set(list.map((x) => m2oId(bySku.get(x.p.sku)?.product_tmpl_id)).filter((x): x is number => x !== null))];
  if (tmplIds.length) {
    const bundle = await loadProductBundle(env, tmplIds);
    for (const tmpl of bundle.templates) {
      const mine = list.filter((x) => m2oId(bySku.get(x.p.sku)?.product_tmpl_id) === tmpl.id);
      try {
        const vs = (bundle.variants.get(tmpl.id) ?? []).filter((v) => v.active !== false);
        const { product } = productFromOdoo(tmpl, vs, bundle.ptavs, currency, traits);
        for (const x of mine) {
          if (x.p.list.currency !== currency) throw new SyncError('invalid_data', `list price in ${x.p.list.currency}, company currency is ${currency}`, { system: SYSTEM });
          const v = product.variants.find((pv) => pv.sku === x.p.sku);
          if (v) v.price = x.p.list;
        }
        const extras = priceExtras(product, matchVariants(product, vs, bundle.ptavs), bundle.ptavs, currency);
        if (extras === null) throw new SyncError('invalid_data', 'variant prices would differ along more than one attribute', { system: SYSTEM, hint: 'use a pricelist for such prices' });
        await env.t.call('product.template', 'write', { ids: [tmpl.id], kwargs: { vals: { list_price: basePrice(product).toNumber() } } });
        for (const g of groupByValues([...extras], ([, e]) => ({ price_extra: Number(e) }))) {
          await env.t.call('product.template.attribute.value', 'write', { ids: g.items.map(([id]) => id), kwargs: { vals: g.vals } });
        }
        for (const x of mine) results[x.i] = { ok: true, key: ops[x.i]!.key, id: priceId(x.p.sku, 'default'), created: false };
      } catch (e) {
        const err = toSyncError(e);
        if (err.retryable) throw err;
        for (const x of mine) results[x.i] = { ok: false, key: ops[x.i]!.key, error: err.about({ entity: 'price', record: ops[x.i]!.key }) };
      }
    }
  }
  for (const x of list) if (!results[x.i] && !bySku.has(x.p.sku)) fail(x.i, 'not_found', `no Odoo product with SKU ${x.p.sku}`);

  // pricelist items
  const named = items.filter((x) => x.p.pricelist !== 'default');
  for (const name of [...new Set(named.map((x) => x.p.pricelist))]) {
    const group = named.filter((x) => x.p.pricelist === name);
    const pl = await env.lookups.pricelistByName(name);
    if (pl === null) {
      for (const x of group) fail(x.i, 'config', `Odoo has no pricelist "${name}"`, 'create it in Sales → Products → Pricelists, or map the shop price list to an existing one');
      continue;
    }
    const found = group.filter((x) => bySku.has(x.p.sku));
    for (const x of group) if (!bySku.has(x.p.sku)) fail(x.i, 'not_found', `no Odoo product with SKU ${x.p.sku}`);
    const existing = await searchAll(env, 'product.pricelist.item', [['pricelist_id', '=', pl], ['applied_on', '=', '0_product_variant'], ['product_id', 'in', found.map((x) => bySku.get(x.p.sku)!.id)]], ['product_id', 'min_quantity', 'fixed_price']);
    const keyOf = (pid: number, q: number) => `${pid}#${q}`;
    const have = new Map<string, OdooRecord>(existing.map((r) => [keyOf(m2oId(r.product_id) ?? 0, num(r.min_quantity)), r]));
    const creates: Array<{ x: (typeof found)[number]; vals: Record<string, Json> }> = [];
    const updates: Array<{ x: (typeof found)[number]; id: number; price: number }> = [];
    for (const x of found) {
      const v = bySku.get(x.p.sku)!;
      const price = Number(x.p.list.amount);
      const hit = have.get(keyOf(v.id, x.p.minQuantity));
      if (hit) updates.push({ x, id: hit.id, price });
      else creates.push({ x, vals: { pricelist_id: pl, applied_on: '0_product_variant', product_id: v.id, compute_price: 'fixed', fixed_price: price, min_quantity: x.p.minQuantity } });
    }
    if (creates.length) await createMany(env, 'product.pricelist.item', creates.map((c) => c.vals));
    for (const g of groupByValues(updates, (u) => ({ fixed_price: u.price }))) await env.t.call('product.pricelist.item', 'write', { ids: g.items.map((u) => u.id), kwargs: { vals: g.vals } });
    for (const c of creates) results[c.x.i] = { ok: true, key: ops[c.x.i]!.key, id: priceId(c.x.p.sku, name, c.x.p.minQuantity), created: true };
    for (const u of updates) results[u.x.i] = { ok: true, key: ops[u.x.i]!.key, id: priceId(u.x.p.sku, name, u.x.p.minQuantity), created: false };
  }
  return results.map((r, i) => r ?? { ok: false, key: ops[i]!.key, error: new SyncError('invalid_data', 'not written', { system: SYSTEM }) });
}
