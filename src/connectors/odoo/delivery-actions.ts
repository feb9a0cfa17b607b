/**
 * Deliveries and returns of a sale order (stock.picking).
 *
 * Validate: set each move's done quantity (17+: `quantity` + `picked`; 16: `quantity_done`), call
 * button_validate, and answer the wizards it may return: stock.backorder.confirmation → `process` (the rest
 * stays open in a backorder), stock.immediate.transfer (16) → `process`. Tracking goes in
 * carrier_tracking_ref. Idempotent: a done delivery carrying the tracking number is returned as is.
 *
 * Return: stock.return.picking on the done delivery, line quantities set explicitly (19 defaults them to
 * 0), create_returns (≤17) / action_create_returns (18+), then validate the new incoming picking. The
 * idempotency key goes into the return picking's `origin` ("Return of WH/OUT/00006 [tandem:r1]") and is
 * looked up first. Known gap: a crash between creating the return and writing the key can create a
 * second return on retry.
 */
import type { ErpShipmentState, Json } from '../contract.js';
import { SyncError } from '../../shared/errors.js';
import { SYSTEM } from './errors.js';
import { asAction, createOne, readMany, searchAll, skusOf, type OdooContext } from './context.js';
import { moveFields, pickingFields, pickingTracking, shipmentFromOdoo, TRACKING_NOTE } from './map-finance.js';
import { asNumberId, groupByValues, ids, m2oId, quantity, text, type OdooRecord } from './values.js';

interface OrderPickings {
  order: OdooRecord;
  pickings: OdooRecord[];
  moves: OdooRecord[];
}

async function orderPickings(env: OdooContext, orderId: number): Promise<OrderPickings> {
  const traits = await env.traits();
  const [order] = await readMany(env, 'sale.order', [orderId], ['name', 'state', 'picking_ids']);
  if (!order) throw new SyncError('not_found', `sale order ${orderId} does not exist`, { system: SYSTEM, entity: 'order', record: String(orderId) });
  const pickings = (await readMany(env, 'stock.picking', ids(order.picking_ids), pickingFields(traits))).sort((a, b) => a.id - b.id);
  const moves = pickings.length ? await searchAll(env, 'stock.move', [['picking_id', 'in', pickings.map((p) => p.id)]], moveFields(traits)) : [];
  return { order, pickings, moves };
}

async function shipments(env: OdooContext, pickings: OdooRecord[], moves: OdooRecord[]): Promise<ErpShipmentState[]> {
  const traits = await env.traits();
  const skus = await skusOf(env, moves.map((m) => m2oId(m.product_id)).filter((x): x is number => x !== null));
  return pickings.map((p) => shipmentFromOdoo(p, moves.filter((m) => m2oId(m.picking_id) === p.id), (id) => skus.get(id) ?? null, traits));
}

async function shipment(env: OdooContext, pickingId: number): Promise<ErpShipmentState> {
  const traits = await env.traits();
  const pickings = await readMany(env, 'stock.picking', [pickingId], pickingFields(traits));
  const moves = await searchAll(env, 'stock.move', [['picking_id', '=', pickingId]], moveFields(traits));
  const [s] = await shipments(env, pickings, moves);
  if (!s) throw new SyncError('not_found', `picking ${pickingId} does not exist`, { system: SYSTEM, entity: 'shipment', record: String(pickingId) });
  return s;
}

export async function listShipments(env: OdooContext, orderId: string): Promise<ErpShipmentState[]> {
  const { pickings, moves } = await orderPickings(env, asNumberId(orderId, 'sale order id'));
  return shipments(env, pickings, moves);
}

/** SKU quantities → product.product id quantities, using the products of the given moves. */
async function wantedByProduct(env: OdooContext, moves: OdooRecord[], lines: Array<{ sku: string; quantity: number }>, what: string): Promise<Map<number, number>> {
  const productIds = [...new Set(moves.map((m) => m2oId(m.product_id)).filter((x): x is number => x !== null))];
  const skus = await skusOf(env, productIds);
  const bySku = new Map([...skus].map(([id, sku]) => [sku ?? '', id]));
  const out = new Map<number, number>();
  for (const l of lines) {
    const pid = bySku.get(l.sku);
    if (pid === undefined) throw new SyncError('invalid_data', `${what} has no line for SKU ${l.sku}`, { system: SYSTEM, entity: 'shipment', field: 'lines' });
    out.set(pid, (out.get(pid) ?? 0) + l.quantity);
  }
  return out;
}

/** Sets done quantities on the picking's open moves (all of the demand when `want` is absent) and validates it. */
export async function validatePicking(env: OdooContext, pickingId: number, want?: Map<number, number>): Promise<void> {
  const traits = await env.traits();
  const [p] = await readMany(env, 'stock.picking', [pickingId], ['state', 'name']);
  if (!p || p.state === 'done') return;
  if (p.state === 'cancel') throw new SyncError('conflict', `picking ${text(p.name)} is cancelled`, { system: SYSTEM, entity: 'shipment', record: String(pickingId) });
  if (p.state === 'draft') await env.t.call('stock.picking', 'action_confirm', { ids: [pickingId] });
  const moves = (await searchAll(env, 'stock.move', [['picking_id', '=', pickingId]], moveFields(traits))).filter((m) => m.state !== 'done' && m.state !== 'cancel');
  const left = want ? new Map(want) : null;
  const plan = moves.map((m) => {
    const demand = quantity(m.product_uom_qty);
    let qty = demand;
    if (left) {
      const pid = m2oId(m.product_id) ?? 0;
      qty = Math.min(demand, left.get(pid) ?? 0);
      left.set(pid, (left.get(pid) ?? 0) - qty);
    }
    return { id: m.id, qty };
  });
  const vals = (qty: number): Record<string, Json> => (traits.usesPicked ? { quantity: qty, picked: qty > 0 } : { [traits.moveDoneField]: qty });
  for (const g of groupByValues(plan, (x) => vals(x.qty))) await env.t.call('stock.move', 'write', { ids: g.items.map((x) => x.id), kwargs: { vals: g.vals } });
  if (!plan.some((x) => x.qty > 0)) throw new SyncError('invalid_data', `nothing to validate on ${text(p.name)} for the given quantities`, { system: SYSTEM, entity: 'shipment', record: String(pickingId) });
  let res = await env.t.call<Json>('stock.picking', 'button_validate', { ids: [pickingId] });
  for (let round = 0; round < 3; round++) {
    const action = asAction(res);
    if (!action) return;
    const model = action.res_model ?? '';
    if (model !== 'stock.backorder.confirmation' && model !== 'stock.immediate.transfer') {
      throw new SyncError('invalid_data', `Odoo asks for "${model || action.type}" before ${text(p.name)} can be validated`, {
        system: SYSTEM,
        entity: 'shipment',
        record: String(pickingId),
        hint: 'validate this picking once in Odoo to see what it asks for (serial numbers, a warning to confirm)',
      });
    }
    const ctx = { ...(action.context ?? {}), button_validate_picking_ids: action.context?.button_validate_picking_ids ?? [pickingId] };
    const wiz = await createOne(env, model, {}, ctx);
    res = await env.t.call<Json>(model, 'process', { ids: [wiz], context: ctx });
  }
}

export async function validateDelivery(
  env: OdooContext,
  orderId: string,
  opts: { lines?: Array<{ sku: string; quantity: number }>; carrier?: string; trackingNumber?: string } = {},
): Promise<ErpShipmentState> {
  const id = asNumberId(orderId, 'sale order id');
  const { order, pickings, moves } = await orderPickings(env, id);
  const outgoing = pickings.filter((p) => p.picking_type_code === 'outgoing');
  const tracking = opts.trackingNumber?.trim() || null;
  if (tracking) {
    const done = outgoing.find((p) => p.state === 'done' && pickingTracking(p) === tracking);
    if (done) return shipment(env, done.id);
  }
  const open = outgoing.filter((p) => p.state !== 'done' && p.state !== 'cancel');
  let target: OdooRecord | undefined = open[0];
  if (!target) {
    const last = outgoing.filter((p) => p.state === 'done').pop();
    if (!last) throw new SyncError('conflict', `sale order ${text(order.name)} has no delivery to validate${order.state !== 'sale' ? ' (confirm it first)' : ''}`, { system: SYSTEM, entity: 'order', record: orderId });
    target = last;
  } else {
    const want = opts.lines ? await wantedByProduct(env, moves.filter((m) => m2oId(m.picking_id) === target!.id), opts.lines, `delivery ${text(target.name)}`) : undefined;
    await validatePicking(env, target.id, want);
  }
  const vals: Record<string, Json> = {};
  const traits = await env.traits();
  if (tracking && pickingTracking(target) !== tracking) {
    if (traits.delivery) vals.carrier_tracking_ref = tracking;
    else vals.note = [text(target.note), `<p>${TRACKING_NOTE}${escapeHtml(tracking)}</p>`].filter(Boolean).join('');
  }
  if (opts.carrier && !target.carrier_id && traits.delivery) {
    const c = (await env.lookups.carriers()).find((x) => x.name.toLowerCase() === opts.carrier!.toLowerCase());
    if (c) vals.carrier_id = c.id;
  }
  if (Object.keys(vals).length) await env.t.call('stock.picking', 'write', { ids: [target.id], kwargs: { vals } });
  return shipment(env, target.id);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function returnMarker(key: string): string {
  return `[tandem:${key}]`;
}

export async function createReturn(env: OdooContext, orderId: string, lines: Array<{ sku: string; quantity: number }>, opts: { key?: string } = {}): Promise<ErpShipmentState> {
  const traits = await env.traits();
  const id = asNumberId(orderId, 'sale order id');
  const { order, pickings, moves } = await orderPickings(env, id);
  const marker = opts.key ? returnMarker(opts.key) : null;
  if (marker) {
    const existing = pickings.find((p) => p.picking_type_code === 'incoming' && (text(p.origin) ?? '').includes(marker));
    if (existing) {
      await validatePicking(env, existing.id);
      return shipment(env, existing.id);
    }
  }
  const delivered = pickings.filter((p) => p.picking_type_code === 'outgoing' && p.state === 'done').reverse();
  let source: OdooRecord | undefined;
  let want: Map<number, number> | undefined;
  for (const d of delivered) {
    const dm = moves.filter((m) => m2oId(m.picking_id) === d.id && m.state === 'done');
    try {
      const w = await wantedByProduct(env, dm, lines, `delivery ${text(d.name)}`);
      const enough = [...w].every(([pid, q]) => dm.filter((m) => m2oId(m.product_id) === pid).reduce((a, m) => a + quantity(m[traits.moveDoneField]), 0) >= q);
      if (enough) {
        source = d;
        want = w;
        break;
      }
    } catch {
      continue;
    }
  }
  if (!source || !want) {
    throw new SyncError('invalid_data', `no done delivery of ${text(order.name)} contains ${lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ')}`, {
      system: SYSTEM,
      entity: 'return',
      record: orderId,
      hint: 'a return needs a validated delivery with at least these quantities',
    });
  }
  const ctx = { active_id: source.id, active_ids: [source.id], active_model: 'stock.picking' };
  const wiz = await createOne(env, 'stock.return.picking', { picking_id: source.id }, ctx);
  const wizLines = await env.t.call<OdooRecord[]>('stock.return.picking.line', 'search_read', { kwargs: { domain: [['wizard_id', '=', wiz]], fields: ['product_id', 'quantity'] } });
  const left = new Map(want);
  const plan = wizLines.map((l) => {
    const pid = m2oId(l.product_id) ?? 0;
    const q = left.get(pid) ?? 0;
    left.set(pid, 0);
    return { id: l.id, q };
  });
  for (const g of groupByValues(plan, (x) => ({ quantity: x.q }))) await env.t.call('stock.return.picking.line', 'write', { ids: g.items.map((x) => x.id), kwargs: { vals: g.vals } });
  const res = asAction(await env.t.call<Json>('stock.return.picking', traits.returnMethod, { ids: [wiz], context: ctx }));
  let newId = typeof res?.res_id === 'number' ? res.res_id : null;
  if (newId === null) {
    const [latest] = await env.t.call<OdooRecord[]>('stock.picking', 'search_read', { kwargs: { domain: [['picking_type_code', '=', 'incoming'], ['origin', 'ilike', text(source.name) ?? '']], fields: ['id'], order: 'id desc', limit: 1 } });
    newId = latest?.id ?? null;
  }
  if (newId === null) throw new SyncError('unavailable', `Odoo did not say which return picking it created for ${text(source.name)}`, { system: SYSTEM });
  if (marker) {
    const [np] = await readMany(env, 'stock.picking', [newId], ['origin']);
    await env.t.call('stock.picking', 'write', { ids: [newId], kwargs: { vals: { origin: `${text(np?.origin) ?? `Return of ${text(source.name)}`} ${marker}` } } });
  }
  await validatePicking(env, newId, want);
  return shipment(env, newId);
}
