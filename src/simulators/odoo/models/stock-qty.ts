/**
 * Product quantities as Odoo computes them: qty_available from quants in internal locations, reserved
 * (free_qty), incoming/outgoing from open moves; context `location` (children included), `warehouse`
 * or `warehouse_id` narrows the locations.
 */
import type { Env } from '../orm/types.js';
import type { Rec } from '../orm/table.js';
import { roundFloat } from './money.js';

export const QTY_FIELDS = ['qty_available', 'virtual_available', 'free_qty', 'incoming_qty', 'outgoing_qty'];

const OPEN_MOVE = new Set(['waiting', 'confirmed', 'assigned', 'partially_available']);

/** Internal location ids the quantity context selects. */
export function contextLocations(env: Env): Set<number> | null {
  const locs = env.db.models.get('stock.location');
  if (!locs) return null;
  let roots: number[] = [];
  const ctx = env.context;
  const loc = ctx.location;
  const wh = ctx.warehouse ?? ctx.warehouse_id;
  if (typeof loc === 'number' || Array.isArray(loc)) roots = (Array.isArray(loc) ? loc : [loc]).filter((x): x is number => typeof x === 'number');
  else if (typeof wh === 'number' || Array.isArray(wh)) {
    for (const w of Array.isArray(wh) ? wh : [wh]) {
      const v = env.rec('stock.warehouse', w as number)?.view_location_id;
      if (typeof v === 'number') roots.push(v);
    }
  } else {
    for (const w of env.db.models.get('stock.warehouse')?.table.rows.values() ?? []) if (typeof w.view_location_id === 'number') roots.push(w.view_location_id);
  }
  const out = new Set<number>();
  const byParent = new Map<number, number[]>();
  for (const l of locs.table.rows.values()) {
    if (typeof l.location_id === 'number') {
      let a = byParent.get(l.location_id);
      if (!a) byParent.set(l.location_id, (a = []));
      a.push(l.id);
    }
  }
  const stack = [...roots];
  while (stack.length) {
    const id = stack.pop() as number;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(byParent.get(id) ?? []));
  }
  for (const id of [...out]) if (locs.table.get(id)?.usage !== 'internal') out.delete(id);
  return out;
}

export function productQty(env: Env, productId: number, field: string): number {
  const quants = env.db.models.get('stock.quant');
  if (!quants) return 0;
  const locs = contextLocations(env) ?? new Set<number>();
  let onHand = 0;
  let reserved = 0;
  for (const id of quants.table.lookup('product_id', productId) ?? []) {
    const q = quants.table.get(id) as Rec;
    if (!locs.has(q.location_id as number)) continue;
    onHand += Number(q.quantity ?? 0);
    reserved += Number(q.reserved_quantity ?? 0);
  }
  if (field === 'qty_available') return roundFloat(onHand, 4);
  if (field === 'free_qty') return roundFloat(onHand - reserved, 4);
  let incoming = 0;
  let outgoing = 0;
  const moves = env.db.models.get('stock.move');
  for (const id of moves?.table.lookup('product_id', productId) ?? []) {
    const m = moves?.table.get(id) as Rec;
    if (!OPEN_MOVE.has(String(m.state))) continue;
    const from = locs.has(m.location_id as number);
    const to = locs.has(m.location_dest_id as number);
    const qty = Number(m.product_uom_qty ?? 0);
    if (to && !from) incoming += qty;
    if (from && !to) outgoing += qty;
  }
  if (field === 'incoming_qty') return roundFloat(incoming, 4);
  if (field === 'outgoing_qty') return roundFloat(outgoing, 4);
  return roundFloat(onHand + incoming - outgoing, 4);
}
