/**
 * Stock mechanics: quants per internal location, reservation of moves, picking state, validation with
 * backorders (17+: quantity + picked; 16: quantity_done), cancellation.
 */
import type { Env } from '../orm/types.js';
import type { Rec } from '../orm/table.js';
import type { Vals } from '../types.js';
import { userError } from '../orm/errors.js';
import { isStorable, productTemplate } from './product.js';
import { roundFloat } from './money.js';

const QM = 'stock.quant';

/** stock.move values without the fields this version does not have (19 has no stock.move.name). */
export function moveVals(env: Env, vals: Vals): Vals {
  if (!env.model('stock.move').fields.has('name')) {
    const { name: _name, ...rest } = vals;
    return rest;
  }
  return vals;
}

export function isInternal(env: Env, locationId: unknown): boolean {
  const l = typeof locationId === 'number' ? env.rec('stock.location', locationId) : undefined;
  return !!l && (l.usage === 'internal' || l.usage === 'transit');
}

/** Location ids of a location and all its children. */
export function subtree(env: Env, locationId: number): Set<number> {
  const out = new Set<number>([locationId]);
  const t = env.model('stock.location').table;
  let frontier = [locationId];
  while (frontier.length) {
    const next: number[] = [];
    for (const p of frontier) {
      for (const c of t.lookup('location_id', p) ?? []) {
        if (out.has(c)) continue;
        out.add(c);
        next.push(c);
      }
    }
    frontier = next;
  }
  return out;
}

export function findQuant(env: Env, productId: number, locationId: number): Rec | undefined {
  const t = env.model(QM).table;
  for (const id of t.lookup('product_id', productId) ?? []) {
    const q = t.get(id) as Rec;
    if (q.location_id === locationId && !q.lot_id && !q.package_id) return q;
  }
  return undefined;
}

/** Adds `delta` on hand (and `reservedDelta` reserved) at an internal location, creating the quant. */
export function updateQuant(env: Env, productId: number, locationId: number, delta: number, reservedDelta = 0): void {
  if (!isInternal(env, locationId)) return;
  if (!isStorable(env, productTemplate(env, productId))) return;
  const m = env.model(QM);
  const q = findQuant(env, productId, locationId);
  if (q) {
    const changes: Vals = { quantity: roundFloat(Number(q.quantity ?? 0) + delta, 4), reserved_quantity: roundFloat(Math.max(0, Number(q.reserved_quantity ?? 0) + reservedDelta), 4) };
    if (delta > 0) changes.in_date = env.now();
    m.table.update(q, changes);
  } else {
    env.sudo().create(m, [{ product_id: productId, location_id: locationId, quantity: delta, reserved_quantity: Math.max(0, reservedDelta), in_date: env.now() }]);
  }
}

function quantsIn(env: Env, productId: number, locations: Set<number>): Rec[] {
  const t = env.model(QM).table;
  return [...(t.lookup('product_id', productId) ?? [])]
    .map((id) => t.get(id) as Rec)
    .filter((q) => locations.has(q.location_id as number))
    .sort((a, b) => Number(a.in_date ?? 0) - Number(b.in_date ?? 0) || a.id - b.id);
}

export const moveQty = (env: Env, m: Rec): number => Number(env.traits.quantityDone ? (m.reserved_availability ?? 0) : (m.quantity ?? 0));

/** Reserves what is available for a confirmed move; creates its move line. */
export function reserveMove(env: Env, move: Rec): void {
  if (['done', 'cancel', 'draft'].includes(String(move.state))) return;
  const mm = env.model('stock.move');
  const demand = Number(move.product_uom_qty ?? 0);
  const already = Number(move.reserved_qty_internal ?? 0);
  let reserved = already;
  const productId = move.product_id as number;
  if (!isInternal(env, move.location_id) || !isStorable(env, productTemplate(env, productId))) {
    reserved = demand;
  } else if (already < demand) {
    for (const q of quantsIn(env, productId, subtree(env, move.location_id as number))) {
      const free = Number(q.quantity ?? 0) - Number(q.reserved_quantity ?? 0);
      if (free <= 0) continue;
      const take = Math.min(free, demand - reserved);
      env.model(QM).table.update(q, { reserved_quantity: roundFloat(Number(q.reserved_quantity ?? 0) + take, 4) });
      reserved = roundFloat(reserved + take, 4);
      if (reserved >= demand) break;
    }
  }
  const state = reserved >= demand && demand > 0 ? 'assigned' : reserved > 0 ? 'partially_available' : 'confirmed';
  const changes: Vals = { state, reserved_qty_internal: reserved };
  if (env.traits.quantityDone) changes.reserved_availability = reserved;
  else changes.quantity = reserved;
  mm.table.update(move, changes);
  syncMoveLine(env, move, reserved);
}

/** Releases the quants a move reserved. */
export function unreserveMove(env: Env, move: Rec): void {
  let left = Number(move.reserved_qty_internal ?? 0);
  if (left > 0 && isInternal(env, move.location_id) && isStorable(env, productTemplate(env, move.product_id as number))) {
    for (const q of quantsIn(env, move.product_id as number, subtree(env, move.location_id as number)).reverse()) {
      const r = Number(q.reserved_quantity ?? 0);
      if (r <= 0) continue;
      const give = Math.min(r, left);
      env.model(QM).table.update(q, { reserved_quantity: roundFloat(r - give, 4) });
      left = roundFloat(left - give, 4);
      if (left <= 0) break;
    }
  }
  env.model('stock.move').table.update(move, { reserved_qty_internal: 0 });
}

function syncMoveLine(env: Env, move: Rec, qty: number): void {
  const ml = env.model('stock.move.line');
  const lines = [...(ml.table.lookup('move_id', move.id) ?? [])].map((id) => ml.table.get(id) as Rec);
  const qtyField = env.traits.quantityDone ? 'reserved_uom_qty' : 'quantity';
  if (lines.length) {
    ml.table.update(lines[0] as Rec, { [qtyField]: qty });
    return;
  }
  if (qty <= 0) return;
  env.sudo().create(ml, [
    {
      move_id: move.id,
      picking_id: move.picking_id,
      product_id: move.product_id,
      location_id: move.location_id,
      location_dest_id: move.location_dest_id,
      [qtyField]: qty,
      product_uom_id: move.product_uom ?? env.ref('uom.product_uom_unit'),
      date: env.now(),
      reference: move.reference ?? false,
    },
  ]);
}

export function movesOf(env: Env, pickingId: number): Rec[] {
  const mm = env.model('stock.move');
  return [...(mm.table.lookup('picking_id', pickingId) ?? [])].map((id) => mm.table.get(id) as Rec).sort((a, b) => a.id - b.id);
}

export function recomputePickingState(env: Env, pickingId: number): void {
  const p = env.rec('stock.picking', pickingId);
  if (!p) return;
  const moves = movesOf(env, pickingId);
  let state: string;
  if (!moves.length) state = 'draft';
  else if (moves.every((m) => m.state === 'cancel')) state = 'cancel';
  else {
    const live = moves.filter((m) => m.state !== 'cancel');
    if (live.every((m) => m.state === 'done')) state = 'done';
    else if (live.some((m) => m.state === 'draft')) state = 'draft';
    else if (live.every((m) => ['assigned', 'done'].includes(String(m.state)))) state = 'assigned';
    else if (live.some((m) => m.state === 'assigned' || m.state === 'partially_available')) state = 'assigned';
    else state = 'confirmed';
  }
  if (p.state !== state) env.model('stock.picking').table.update(p, { state });
}

export function confirmPicking(env: Env, pickingId: number): void {
  for (const m of movesOf(env, pickingId)) {
    if (m.state === 'draft') env.model('stock.move').table.update(m, { state: 'confirmed' });
    reserveMove(env, m);
  }
  recomputePickingState(env, pickingId);
}

export function cancelPicking(env: Env, pickingId: number): void {
  for (const m of movesOf(env, pickingId)) {
    if (m.state === 'done' || m.state === 'cancel') continue;
    unreserveMove(env, m);
    env.model('stock.move').table.update(m, { state: 'cancel', ...(env.traits.quantityDone ? { reserved_availability: 0 } : { quantity: 0 }) });
    syncMoveLine(env, m, 0);
  }
  recomputePickingState(env, pickingId);
}

function doneQty(env: Env, m: Rec, anyPicked: boolean): number {
  if (env.traits.quantityDone) return Number(m.quantity_done ?? 0);
  if (anyPicked && !m.picked) return 0;
  return Number(m.quantity ?? 0);
}

export function backorderAction(env: Env, ids: number[], model: 'stock.backorder.confirmation' | 'stock.immediate.transfer'): Record<string, unknown> {
  return {
    name: model === 'stock.backorder.confirmation' ? 'Create Backorder?' : 'Immediate Transfer?',
    type: 'ir.actions.act_window',
    view_mode: 'form',
    res_model: model,
    views: [[false, 'form']],
    view_id: false,
    target: 'new',
    context: { ...env.context, button_validate_picking_ids: ids, default_show_transfers: false, default_pick_ids: ids.map((id) => [4, id]) },
  };
}

/**
 * stock.picking.button_validate. `backorder`: undefined → ask with the wizard when quantities are short;
 * true → create backorders; false → cancel the rest.
 */
export function validatePickings(env: Env, ids: number[], backorder?: boolean): unknown {
  const pm = env.model('stock.picking');
  const mm = env.model('stock.move');
  const pickings = ids.map((id) => pm.table.get(id)).filter((p): p is Rec => !!p);
  for (const p of pickings) {
    if (p.state === 'done') throw userError('You cannot validate a transfer that is already done.');
    if (p.state === 'cancel') throw userError('You cannot validate a cancelled transfer.');
    if (p.state === 'draft') confirmPicking(env, p.id);
  }
  // 16: nothing done → immediate transfer wizard
  if (env.traits.quantityDone && !env.context.skip_immediate) {
    const noneDone = pickings.filter((p) => movesOf(env, p.id).every((m) => Number(m.quantity_done ?? 0) === 0));
    if (noneDone.length) return backorderAction(env, noneDone.map((p) => p.id), 'stock.immediate.transfer');
  }
  const plan = pickings.map((p) => {
    const moves = movesOf(env, p.id).filter((m) => m.state !== 'done' && m.state !== 'cancel');
    const anyPicked = moves.some((m) => m.picked);
    return { p, moves: moves.map((m) => ({ m, done: doneQty(env, m, anyPicked) })) };
  });
  for (const { moves } of plan) {
    if (moves.every(({ done }) => done <= 0)) {
      throw userError('You cannot validate a transfer if no quantities are reserved nor done. You can use the info button on the top right corner of your screen to know why the stock is unavailable.');
    }
  }
  const short = plan.filter(({ moves }) => moves.some(({ m, done }) => done < Number(m.product_uom_qty ?? 0)));
  if (short.length && backorder === undefined && !env.context.skip_backorder) {
    return backorderAction(env, ids, 'stock.backorder.confirmation');
  }
  const now = env.now();
  for (const { p, moves } of plan) {
    const rest: Vals[] = [];
    for (const { m, done } of moves) {
      const demand = Number(m.product_uom_qty ?? 0);
      unreserveMove(env, m);
      if (done > 0) {
        updateQuant(env, m.product_id as number, m.location_id as number, -done);
        updateQuant(env, m.product_id as number, m.location_dest_id as number, done);
        mm.table.update(m, { state: 'done', product_uom_qty: done, picked: true, date: now, ...(env.traits.quantityDone ? { quantity_done: done, reserved_availability: 0 } : { quantity: done }) });
        const ml = env.model('stock.move.line');
        const lines = [...(ml.table.lookup('move_id', m.id) ?? [])].map((id) => ml.table.get(id) as Rec);
        if (lines.length) for (const l of lines) ml.table.update(l, { ...(env.traits.quantityDone ? { qty_done: done, reserved_uom_qty: 0 } : { quantity: done }), state: 'done', date: now, picked: true });
        else {
          syncMoveLine(env, m, done);
          for (const id of ml.table.lookup('move_id', m.id) ?? []) ml.table.update(ml.table.get(id) as Rec, { state: 'done', date: now });
        }
      } else {
        mm.table.update(m, { state: 'cancel', ...(env.traits.quantityDone ? {} : { quantity: 0 }) });
      }
      if (done < demand && done > 0) {
        if (backorder === false || env.context.skip_backorder) continue;
        rest.push({ product_id: m.product_id, product_uom_qty: roundFloat(demand - done, 4), sale_line_id: m.sale_line_id, location_id: m.location_id, location_dest_id: m.location_dest_id, name: m.name, product_uom: m.product_uom, origin_returned_move_id: m.origin_returned_move_id, to_refund: m.to_refund });
      } else if (done === 0 && backorder !== false && !env.context.skip_backorder) {
        rest.push({ product_id: m.product_id, product_uom_qty: demand, sale_line_id: m.sale_line_id, location_id: m.location_id, location_dest_id: m.location_dest_id, name: m.name, product_uom: m.product_uom });
      }
    }
    pm.table.update(p, { date_done: now, state: 'done' });
    recomputePickingState(env, p.id);
    if (rest.length) createBackorder(env, p, rest);
  }
  return true;
}

function createBackorder(env: Env, p: Rec, moves: Vals[]): number {
  const id = env.sudo().createOne('stock.picking', {
    picking_type_id: p.picking_type_id,
    location_id: p.location_id,
    location_dest_id: p.location_dest_id,
    partner_id: p.partner_id,
    origin: p.origin,
    sale_id: p.sale_id,
    ...(env.model('stock.picking').fields.has('carrier_id') && { carrier_id: p.carrier_id }),
    backorder_id: p.id,
    move_ids: moves.map((m) => [0, 0, moveVals(env, m)]),
  });
  confirmPicking(env, id);
  return id;
}
