/**
 * Loaders and change feeds of the read-only or simple entities: category, order (canonical, for status
 * back to the shop), invoice and shipment.
 */
import type { SourceRecord } from '../contract.js';
import { SyncError } from '../../shared/errors.js';
import { SYSTEM } from './errors.js';
import { readMany, searchAll, skusOf, type OdooContext } from './context.js';
import type { Feed } from './changes.js';
import { PARTNER_FIELDS } from './map-customer.js';
import { lineFields, orderFields, orderFromOdoo } from './map-order.js';
import { invoiceFields, invoiceToCanonical, moveFields, originNames, pickingFields, shipmentFromOdoo, shipmentToCanonical } from './map-finance.js';
import { m2oId, odooToIso, text, type OdooRecord } from './values.js';

function idsFeed(key: string, model: string, domain: SourceFeedDomain, context?: Record<string, boolean>): Feed {
  return { key, spec: { model, domain, fields: ['id'], context }, outIds: (rows) => rows.map((r) => String(r.id)) };
}
type SourceFeedDomain = Feed['spec']['domain'];

// ───────── category ─────────
export async function loadCategories(env: OdooContext, ids: number[]): Promise<SourceRecord<'category'>[]> {
  const rows = await readMany(env, 'product.category', ids, ['name', 'parent_id', 'complete_name', 'write_date']);
  return rows.map((r) => ({
    entity: 'category' as const,
    id: String(r.id),
    updatedAt: odooToIso(r.write_date),
    data: { name: text(r.name) ?? '', parentId: m2oId(r.parent_id) !== null ? String(m2oId(r.parent_id)) : null },
    raw: r,
  }));
}
export const categoryFeeds = (): Feed[] => [idsFeed('category', 'product.category', [])];

// ───────── order ─────────
export async function loadOrders(env: OdooContext, ids: number[]): Promise<SourceRecord<'order'>[]> {
  const traits = await env.traits();
  const { currency } = await env.lookups.company();
  const orders = await readMany(env, 'sale.order', ids, orderFields(traits));
  if (orders.length === 0) return [];
  const lines = await searchAll(env, 'sale.order.line', [['order_id', 'in', orders.map((o) => o.id)]], lineFields(traits));
  const partnerIds = orders.flatMap((o) => [o.partner_id, o.partner_invoice_id, o.partner_shipping_id].map((v) => m2oId(v)).filter((x): x is number => x !== null));
  const partners = await readMany(env, 'res.partner', partnerIds, PARTNER_FIELDS, { active_test: false });
  const skus = await skusOf(env, lines.map((l) => m2oId(l.product_id)).filter((x): x is number => x !== null));
  const { byId } = await env.lookups.countries();
  const states = await env.lookups.stateCodes(partners.map((p) => m2oId(p.state_id)).filter((x): x is number => x !== null));
  const partnerMap = new Map(partners.map((p) => [p.id, p]));
  return orders.map((o) => {
    const mine = lines.filter((l) => m2oId(l.order_id) === o.id);
    const raw = { order: o, lines: mine };
    const base = { entity: 'order' as const, id: String(o.id), updatedAt: odooToIso(o.write_date), raw };
    try {
      return { ...base, data: orderFromOdoo(o, { lines: mine, partners: partnerMap, skuOf: (id) => skus.get(id) ?? null, geo: { countries: byId, states }, fallbackCurrency: currency }) };
    } catch (e) {
      return { ...base, error: new SyncError('mapping', (e as Error).message, { system: SYSTEM, entity: 'order', record: String(o.id) }) };
    }
  });
}
export const orderFeeds = (): Feed[] => [idsFeed('order', 'sale.order', [])];

// ───────── invoice ─────────
export async function loadInvoices(env: OdooContext, ids: number[]): Promise<SourceRecord<'invoice'>[]> {
  const traits = await env.traits();
  const { currency } = await env.lookups.company();
  const moves = (await readMany(env, 'account.move', ids, invoiceFields(traits))).filter((m) => m.move_type === 'out_invoice' || m.move_type === 'out_refund');
  const names = [...new Set(moves.flatMap((m) => originNames(m.invoice_origin)))];
  const orders = names.length ? await env.t.call<OdooRecord[]>('sale.order', 'search_read', { kwargs: { domain: [['name', 'in', names]], fields: ['name', 'client_order_ref'] } }) : [];
  const numberOf = new Map(orders.map((o) => [text(o.name) ?? '', text(o.client_order_ref) ?? text(o.name)]));
  return moves.map((m) => ({
    entity: 'invoice' as const,
    id: String(m.id),
    updatedAt: odooToIso(m.write_date),
    data: invoiceToCanonical(m, numberOf.get(originNames(m.invoice_origin)[0] ?? '') ?? null, currency),
    raw: m,
  }));
}
export const invoiceFeeds = (): Feed[] => [idsFeed('invoice', 'account.move', [['move_type', 'in', ['out_invoice', 'out_refund']]])];

// ───────── shipment ─────────
export async function loadShipments(env: OdooContext, ids: number[]): Promise<SourceRecord<'shipment'>[]> {
  const traits = await env.traits();
  const pickings = await readMany(env, 'stock.picking', ids, pickingFields(traits));
  if (pickings.length === 0) return [];
  const moves = await searchAll(env, 'stock.move', [['picking_id', 'in', pickings.map((p) => p.id)]], moveFields(traits));
  const skus = await skusOf(env, moves.map((m) => m2oId(m.product_id)).filter((x): x is number => x !== null));
  return pickings.map((p) => {
    const mine = moves.filter((m) => m2oId(m.picking_id) === p.id);
    const s = shipmentFromOdoo(p, mine, (id) => skus.get(id) ?? null, traits);
    return { entity: 'shipment' as const, id: String(p.id), updatedAt: odooToIso(p.write_date), data: shipmentToCanonical(s), raw: { picking: p, moves: mine } };
  });
}
export const shipmentFeeds = (): Feed[] => [idsFeed('shipment', 'stock.picking', [['sale_id', '!=', false], ['picking_type_code', 'in', ['outgoing', 'incoming']]])];
