/**
 * Stock models: warehouse, locations (complete names, children), picking types, quants (inventory mode),
 * moves and move lines, pickings with button_validate / action_assign / action_cancel.
 */
import type { ModelSpec, Env } from '../orm/types.js';
import type { Rec } from '../orm/table.js';
import type { Vals } from '../types.js';
import { roundFloat } from './money.js';
import { cancelPicking, confirmPicking, findQuant, moveVals, movesOf, recomputePickingState, reserveMove, validatePickings } from './stock-ops.js';

function locationName(env: Env, r: Rec): string {
  const parent = typeof r.location_id === 'number' ? env.rec('stock.location', r.location_id) : undefined;
  if (parent && r.usage !== 'view') return `${locationName(env, parent)}/${String(r.name)}`;
  return String(r.name ?? '');
}

function warehouseOf(env: Env, r: Rec): number | false {
  const whs = [...env.model('stock.warehouse').table.rows.values()];
  let cur: Rec | undefined = r;
  const seen = new Set<number>();
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    const w = whs.find((x) => x.view_location_id === cur?.id);
    if (w) return w.id;
    cur = typeof cur.location_id === 'number' ? env.rec('stock.location', cur.location_id) : undefined;
  }
  return false;
}

function pickingName(env: Env, typeId: unknown): string {
  const t = typeof typeId === 'number' ? env.rec('stock.picking.type', typeId) : undefined;
  const wh = t && typeof t.warehouse_id === 'number' ? env.rec('stock.warehouse', t.warehouse_id) : undefined;
  const prefix = `${String(wh?.code ?? 'WH')}/${String(t?.sequence_code ?? 'INT')}/`;
  return `${prefix}${String(env.db.nextSeq(prefix)).padStart(5, '0')}`;
}

/** The inventory_mode part of stock.quant.create: a second count for the same place updates the quant. */
function quantCreateOverride(env: Env, vals: Vals): number | null {
  if (!env.context.inventory_mode || typeof vals.product_id !== 'number' || typeof vals.location_id !== 'number') return null;
  const q = findQuant(env, vals.product_id, vals.location_id);
  if (!q) return null;
  if ('inventory_quantity' in vals) env.write('stock.quant', [q.id], { inventory_quantity: vals.inventory_quantity, user_id: env.uid });
  return q.id;
}

function applyInventory(env: Env, ids: number[]): undefined {
  const qm = env.model('stock.quant');
  const adj = env.ref('stock.stock_location_inventory');
  for (const id of ids) {
    const q = qm.table.get(id);
    if (!q || !q.inventory_quantity_set) continue;
    const diff = roundFloat(Number(q.inventory_quantity ?? 0) - Number(q.quantity ?? 0), 4);
    if (diff !== 0) {
      const [from, to] = diff > 0 ? [adj, q.location_id] : [q.location_id, adj];
      const who = typeof q.user_id === 'number' ? env.displayName('res.users', q.user_id) : '';
      const ref = who ? `Product Quantity Updated (${who})` : 'Product Quantity Updated';
      const moveId = env.sudo().createOne('stock.move', moveVals(env, {
        name: ref,
        reference: ref,
        product_id: q.product_id,
        product_uom_qty: Math.abs(diff),
        location_id: from,
        location_dest_id: to,
        state: 'done',
        is_inventory: true,
        date: env.now(),
        ...(env.traits.quantityDone ? { quantity_done: Math.abs(diff) } : { quantity: Math.abs(diff), picked: true }),
      }));
      env.sudo().createOne('stock.move.line', {
        move_id: moveId,
        product_id: q.product_id,
        location_id: from,
        location_dest_id: to,
        reference: ref,
        state: 'done',
        date: env.now(),
        ...(env.traits.quantityDone ? { qty_done: Math.abs(diff) } : { quantity: Math.abs(diff), picked: true }),
      });
    }
    qm.table.update(q, { quantity: roundFloat(Number(q.inventory_quantity ?? 0), 4), inventory_quantity: 0, inventory_quantity_set: false, in_date: env.now(), write_date: env.now(), write_uid: env.uid, user_id: false });
  }
  return undefined;
}

export const stockModels: ModelSpec[] = [
  {
    name: 'stock.location',
    description: 'Inventory Locations',
    order: 'complete_name, id',
    parentField: 'location_id',
    indexes: ['location_id'],
    required: ['name'],
    defaults: () => ({ usage: 'internal', active: true, company_id: 1 }),
    compute: {
      complete_name: (env, r) => locationName(env, r),
      warehouse_id: (env, r) => warehouseOf(env, r),
    },
    displayName: (env, r) => locationName(env, r),
  },
  {
    name: 'stock.warehouse',
    description: 'Warehouse',
    order: 'sequence, id',
    defaults: () => ({ delivery_steps: 'ship_only', reception_steps: 'one_step', active: true, company_id: 1 }),
  },
  {
    name: 'stock.picking.type',
    description: 'Picking Type',
    order: 'sequence, id',
    fields: {
      name: { type: 'char', string: 'Operation Type', required: true },
      code: { type: 'selection', string: 'Type of Operation', selection: [['incoming', 'Receipt'], ['outgoing', 'Delivery'], ['internal', 'Internal Transfer']] },
      sequence_code: { type: 'char', string: 'Sequence Prefix' },
      sequence: { type: 'integer' },
      warehouse_id: { type: 'many2one', relation: 'stock.warehouse', string: 'Warehouse' },
      default_location_src_id: { type: 'many2one', relation: 'stock.location', string: 'Default Source Location' },
      default_location_dest_id: { type: 'many2one', relation: 'stock.location', string: 'Default Destination Location' },
      return_picking_type_id: { type: 'many2one', relation: 'stock.picking.type', string: 'Operation Type for Returns' },
      active: { type: 'boolean' },
      company_id: { type: 'many2one', relation: 'res.company', string: 'Company' },
    },
    displayName: (env, r) => `${env.displayName('stock.warehouse', r.warehouse_id as number)}: ${String(r.name)}`,
  },
  {
    name: 'stock.quant',
    description: 'Quants',
    aclName: 'Quants',
    order: 'location_id, id',
    indexes: ['product_id', 'location_id'],
    createOverride: quantCreateOverride,
    defaults: (env) => ({ quantity: 0, reserved_quantity: 0, inventory_quantity: 0, company_id: 1, in_date: env.now(), user_id: env.uid }),
    beforeCreate: (_env, vals) => {
      if ('inventory_quantity' in vals) vals.inventory_quantity_set = true;
    },
    beforeWrite: (env, _recs, vals) => {
      if ('inventory_quantity' in vals) {
        vals.inventory_quantity_set = true;
        // 19 records who counted on every write; 17 only on the inventory-mode create
        if (env.version >= 18 && vals.user_id === undefined) vals.user_id = env.uid;
      }
    },
    compute: {
      available_quantity: (_env, q) => roundFloat(Number(q.quantity ?? 0) - Number(q.reserved_quantity ?? 0), 4),
      inventory_diff_quantity: (_env, q) => (q.inventory_quantity_set ? roundFloat(Number(q.inventory_quantity ?? 0) - Number(q.quantity ?? 0), 4) : 0),
      warehouse_id: (env, q) => warehouseOf(env, env.rec('stock.location', q.location_id as number) ?? ({ id: 0 } as Rec)),
    },
    methods: {
      action_apply_inventory: { params: [], qualname: 'StockQuant.action_apply_inventory', fn: (env, ids) => applyInventory(env, ids) },
      action_set_inventory_quantity_to_zero: {
        params: [],
        fn: (env, ids) => {
          for (const id of ids) env.write('stock.quant', [id], { inventory_quantity: 0, inventory_quantity_set: false });
          return undefined;
        },
      },
    },
  },
  {
    name: 'stock.move',
    description: 'Stock Move',
    order: 'sequence, id',
    indexes: ['picking_id', 'product_id', 'sale_line_id', 'origin_returned_move_id'],
    fields: { reserved_qty_internal: { type: 'float', string: 'Reserved (simulator)', readonly: true } },
    defaults: (env) => ({ state: 'draft', product_uom: env.ref('uom.product_uom_unit'), company_id: 1, date: env.now(), picked: false, sequence: 10, procure_method: 'make_to_stock', to_refund: false }),
    beforeCreate: (env, vals) => {
      if (typeof vals.picking_id === 'number') {
        const p = env.rec('stock.picking', vals.picking_id);
        if (p) {
          vals.reference ??= p.name;
          vals.picking_type_id ??= p.picking_type_id;
          vals.location_id ??= p.location_id;
          vals.location_dest_id ??= p.location_dest_id;
          vals.partner_id ??= p.partner_id;
          vals.origin ??= p.origin;
        }
      }
      if (vals.name === undefined && typeof vals.product_id === 'number') vals.name = env.displayName('product.product', vals.product_id);
      if (!env.model('stock.move').fields.has('name')) delete vals.name;
    },
    compute: {
      product_qty: (_env, m) => Number(m.product_uom_qty ?? 0),
      returned_move_ids: (env, m) => [...(env.model('stock.move').table.lookup('origin_returned_move_id', m.id) ?? [])],
    },
    displayName: (env, m) => {
      const p = typeof m.picking_id === 'number' ? env.rec('stock.picking', m.picking_id) : undefined;
      const code = env.rec('product.product', m.product_id as number)?.default_code;
      const from = env.rec('stock.location', m.location_id as number)?.name ?? '';
      const to = env.rec('stock.location', m.location_dest_id as number)?.name ?? '';
      return `${p?.origin ? `${String(p.origin)}/` : ''}${code ? `${String(code)}: ` : ''}${String(from)}>${String(to)}`;
    },
    afterWrite: (env, recs, vals) => {
      // writing quantities by hand: picked moves keep them; 17+ quantity is the reserved/done quantity
      if ('quantity' in vals || 'quantity_done' in vals || 'picked' in vals) {
        for (const m of recs) if (typeof m.picking_id === 'number') recomputePickingState(env, m.picking_id);
      }
    },
    methods: {
      action_assign: {
        params: [],
        fn: (env, ids) => {
          for (const id of ids) {
            const m = env.rec('stock.move', id);
            if (m) reserveMove(env, m);
          }
          return true;
        },
      },
    },
  },
  {
    name: 'stock.move.line',
    description: 'Product Moves (Stock Move Line)',
    order: 'result_package_id desc, id',
    fields: (v) => ({
      move_id: { type: 'many2one', relation: 'stock.move', string: 'Stock Operation' },
      picking_id: { type: 'many2one', relation: 'stock.picking', string: 'Transfer' },
      product_id: { type: 'many2one', relation: 'product.product', string: 'Product' },
      location_id: { type: 'many2one', relation: 'stock.location', string: 'From', required: true },
      location_dest_id: { type: 'many2one', relation: 'stock.location', string: 'To', required: true },
      product_uom_id: { type: 'many2one', relation: 'uom.uom', string: 'Unit' },
      state: { type: 'selection', string: 'Status', selection: [['draft', 'New'], ['waiting', 'Waiting Another Move'], ['confirmed', 'Waiting Availability'], ['partially_available', 'Partially Available'], ['assigned', 'Available'], ['done', 'Done'], ['cancel', 'Cancelled']] },
      reference: { type: 'char', string: 'Reference' },
      date: { type: 'datetime', string: 'Date', required: true },
      lot_id: { type: 'many2one', relation: 'stock.lot', string: 'Lot/Serial Number' },
      result_package_id: { type: 'many2one', relation: 'stock.quant.package', string: 'Destination Package' },
      company_id: { type: 'many2one', relation: 'res.company', string: 'Company' },
      ...(v === 16
        ? { qty_done: { type: 'float' as const, string: 'Quantity Done' }, reserved_uom_qty: { type: 'float' as const, string: 'Reserved' } }
        : { quantity: { type: 'float' as const, string: 'Quantity' }, picked: { type: 'boolean' as const, string: 'Picked' } }),
    }),
    indexes: ['move_id', 'product_id', 'picking_id'],
    defaults: (env) => ({ company_id: 1, date: env.now(), state: 'assigned' }),
    compute: {
      state: (env, l) => (typeof l.move_id === 'number' ? (env.rec('stock.move', l.move_id)?.state ?? l.state) : l.state),
      reference: (env, l) => l.reference ?? (typeof l.move_id === 'number' ? env.rec('stock.move', l.move_id)?.reference : false) ?? false,
    },
  },
  {
    name: 'stock.picking',
    description: 'Transfer',
    order: 'priority desc, scheduled_date asc, id desc',
    indexes: ['sale_id', 'backorder_id', 'return_id'],
    defaults: (env) => ({ state: 'draft', company_id: 1, scheduled_date: env.now(), priority: '0', move_type: 'direct', user_id: env.uid }),
    beforeCreate: (env, vals) => {
      const t = typeof vals.picking_type_id === 'number' ? env.rec('stock.picking.type', vals.picking_type_id) : undefined;
      if (t) {
        vals.location_id ??= t.default_location_src_id;
        vals.location_dest_id ??= t.default_location_dest_id;
      }
      if (!vals.name || vals.name === '/') vals.name = pickingName(env, vals.picking_type_id);
    },
    compute: {
      picking_type_code: (env, p) => env.rec('stock.picking.type', p.picking_type_id as number)?.code ?? false,
      backorder_ids: (env, p) => [...(env.model('stock.picking').table.lookup('backorder_id', p.id) ?? [])],
      return_ids: (env, p) => [...(env.model('stock.picking').table.lookup('return_id', p.id) ?? [])],
      weight: () => 0,
      shipping_weight: () => 0,
      carrier_tracking_url: () => false,
      products_availability_state: (_env, p) => (p.state === 'assigned' ? 'available' : false),
      date_deadline: () => false,
    },
    methods: {
      button_validate: { params: [], qualname: 'Picking.button_validate', fn: (env, ids) => validatePickings(env, ids, env.context.cancel_backorder === true ? false : undefined) },
      action_confirm: {
        params: [],
        fn: (env, ids) => {
          for (const id of ids) confirmPicking(env, id);
          return true;
        },
      },
      action_assign: {
        params: [],
        fn: (env, ids) => {
          for (const id of ids) confirmPicking(env, id);
          return true;
        },
      },
      action_cancel: {
        params: [],
        fn: (env, ids) => {
          for (const id of ids) cancelPicking(env, id);
          return true;
        },
      },
      do_unreserve: {
        params: [],
        fn: (env, ids) => {
          for (const id of ids) for (const m of movesOf(env, id)) if (m.state !== 'done' && m.state !== 'cancel') env.model('stock.move').table.update(m, { state: 'confirmed' });
          return true;
        },
      },
    },
    afterCreate: (env, recs) => {
      for (const p of recs) for (const m of movesOf(env, p.id)) env.model('stock.move').table.update(m, { reference: p.name });
    },
  },
];
