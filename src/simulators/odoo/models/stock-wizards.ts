/**
 * Stock wizards: stock.return.picking (+ lines; create_returns ≤17 / action_create_returns 18+),
 * stock.backorder.confirmation (process / process_cancel_backorder), stock.immediate.transfer (16).
 */
import type { ModelSpec, Env } from '../orm/types.js';
import type { Rec } from '../orm/table.js';
import { userError } from '../orm/errors.js';
import { confirmPicking, movesOf, validatePickings } from './stock-ops.js';

function contextIds(env: Env, model: string): number[] {
  if (env.context.active_model !== undefined && env.context.active_model !== model) return [];
  const ids = env.context.active_ids;
  if (Array.isArray(ids)) return ids.filter((x): x is number => typeof x === 'number');
  return typeof env.context.active_id === 'number' ? [env.context.active_id] : [];
}

function createReturns(env: Env, wizardId: number): Record<string, unknown> {
  const w = env.rec('stock.return.picking', wizardId);
  if (!w) throw userError('Record does not exist or has been deleted.');
  const picking = env.rec('stock.picking', w.picking_id as number);
  if (!picking) throw userError('You may only return Done pickings.');
  const lm = env.model('stock.return.picking.line');
  const lines = [...(lm.table.lookup('wizard_id', wizardId) ?? [])].map((id) => lm.table.get(id) as Rec).filter((l) => Number(l.quantity ?? 0) > 0);
  if (!lines.length) throw userError('Please specify at least one non-zero quantity.');
  const type = env.rec('stock.picking.type', picking.picking_type_id as number);
  const returnType = (type?.return_picking_type_id as number | undefined) ?? picking.picking_type_id;
  const id = env.sudo().createOne('stock.picking', {
    picking_type_id: returnType,
    location_id: picking.location_dest_id,
    location_dest_id: (w.location_id as number | undefined) || picking.location_id,
    partner_id: picking.partner_id,
    origin: `Return of ${String(picking.name)}`,
    sale_id: picking.sale_id,
    return_id: picking.id,
    move_ids: lines.map((l) => {
      const orig = env.rec('stock.move', l.move_id as number);
      return [0, 0, { product_id: l.product_id, product_uom_qty: l.quantity, origin_returned_move_id: l.move_id, to_refund: !!l.to_refund, sale_line_id: l.to_refund ? (orig?.sale_line_id ?? false) : false, product_uom: l.uom_id || orig?.product_uom }];
    }),
  });
  confirmPicking(env, id);
  const ctx = { ...env.context };
  if (env.traits.returnMethod === 'create_returns') {
    return {
      name: 'Returned Picking',
      view_mode: 'form,tree,calendar',
      res_model: 'stock.picking',
      res_id: id,
      type: 'ir.actions.act_window',
      context: { ...ctx, default_partner_id: picking.partner_id, search_default_picking_type_id: returnType, search_default_draft: false, search_default_assigned: false, search_default_confirmed: false, search_default_ready: false, search_default_planning_issues: false, search_default_available: false },
    };
  }
  return { name: 'Returned Picking', view_mode: 'form', res_model: 'stock.picking', res_id: id, type: 'ir.actions.act_window', context: ctx };
}

function wizardPickings(env: Env, w: Rec | undefined): number[] {
  const fromCtx = env.context.button_validate_picking_ids;
  if (Array.isArray(fromCtx) && fromCtx.length) return fromCtx as number[];
  return ((w?.pick_ids as number[] | undefined) ?? []).slice();
}

const pickIdsDefault = (env: Env) => {
  const d = env.context.default_pick_ids;
  if (Array.isArray(d)) return d.flatMap((c) => (Array.isArray(c) && c[0] === 4 ? [c[1] as number] : typeof c === 'number' ? [c] : []));
  const b = env.context.button_validate_picking_ids;
  return Array.isArray(b) ? (b as number[]) : contextIds(env, 'stock.picking');
};

export const stockWizardModels: ModelSpec[] = [
  {
    name: 'stock.return.picking',
    description: 'Return Picking',
    transient: true,
    defaults: (env) => {
      const ids = contextIds(env, 'stock.picking');
      return ids.length === 1 ? { picking_id: ids[0] } : {};
    },
    beforeCreate: (env, vals) => {
      const p = typeof vals.picking_id === 'number' ? env.rec('stock.picking', vals.picking_id) : undefined;
      if (!p) throw userError('No picking to return: open the wizard from a done transfer (context active_id).');
      if (p.state !== 'done') throw userError('You may only return Done pickings.');
      const wm = env.model('stock.return.picking');
      if (wm.fields.has('location_id')) vals.location_id ??= p.location_id;
      if (wm.fields.has('original_location_id')) vals.original_location_id ??= p.location_id;
      if (!vals.product_return_moves) {
        const done = movesOf(env, p.id).filter((m) => m.state === 'done');
        vals.product_return_moves = done.map((m) => {
          const returned = [...(env.model('stock.move').table.lookup('origin_returned_move_id', m.id) ?? [])].map((id) => env.rec('stock.move', id) as Rec).filter((r) => r.state !== 'cancel').reduce((s, r) => s + Number(r.product_uom_qty ?? 0), 0);
          const qty = env.traits.returnLinesDefaultDelivered ? Math.max(0, Number(m.product_uom_qty ?? 0) - returned) : 0;
          return [0, 0, { product_id: m.product_id, quantity: qty, move_id: m.id, uom_id: m.product_uom, to_refund: true }];
        });
      }
    },
    methods: {
      create_returns: { versions: [16, 17], params: [], qualname: 'ReturnPicking.create_returns', fn: (env, ids) => createReturns(env, ids[0] as number) },
      action_create_returns: { versions: [18, 19], params: [], qualname: 'ReturnPicking.action_create_returns', fn: (env, ids) => createReturns(env, ids[0] as number) },
    },
  },
  {
    name: 'stock.return.picking.line',
    description: 'Return Picking Line',
    transient: true,
    indexes: ['wizard_id'],
    displayName: (env, l) => env.displayName('product.product', l.product_id as number),
  },
  {
    name: 'stock.backorder.confirmation',
    description: 'Backorder Confirmation',
    transient: true,
    fields: {
      pick_ids: { type: 'many2many', relation: 'stock.picking', string: 'Transfers' },
      show_transfers: { type: 'boolean', string: 'Show Transfers' },
    },
    defaults: (env) => ({ pick_ids: pickIdsDefault(env), show_transfers: false }),
    methods: {
      process: { params: [], qualname: 'StockBackorderConfirmation.process', fn: (env, ids) => validatePickings(env, wizardPickings(env, env.rec('stock.backorder.confirmation', ids[0] as number)), true) },
      process_cancel_backorder: {
        params: [],
        qualname: 'StockBackorderConfirmation.process_cancel_backorder',
        fn: (env, ids) => validatePickings(env, wizardPickings(env, env.rec('stock.backorder.confirmation', ids[0] as number)), false),
      },
    },
  },
  {
    name: 'stock.immediate.transfer',
    description: 'Immediate Transfer',
    versions: [16],
    transient: true,
    fields: {
      pick_ids: { type: 'many2many', relation: 'stock.picking', string: 'Transfers' },
      show_transfers: { type: 'boolean', string: 'Show Transfers' },
    },
    defaults: (env) => ({ pick_ids: pickIdsDefault(env), show_transfers: false }),
    methods: {
      process: {
        params: [],
        qualname: 'StockImmediateTransfer.process',
        fn: (env, ids) => {
          const pickings = wizardPickings(env, env.rec('stock.immediate.transfer', ids[0] as number));
          const mm = env.model('stock.move');
          for (const p of pickings) for (const m of movesOf(env, p)) if (m.state !== 'done' && m.state !== 'cancel') mm.table.update(m, { quantity_done: Number(m.reserved_availability ?? 0) });
          return validatePickings(env.withContext({ skip_immediate: true }), pickings);
        },
      },
    },
  },
];
