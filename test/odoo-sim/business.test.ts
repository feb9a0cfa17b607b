/**
 * Business behaviour beyond the recordings (17): partial deliveries and backorders, partial payments,
 * taxes included in the price, pricelists, stock per location/warehouse, access of the restricted user.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOdooSimulator, type OdooSimulator } from '../../src/simulators/index.js';
import { rpcClient } from './support/clients.js';

type Row = Record<string, unknown>;

describe('odoo simulator business flows (17)', () => {
  let sim: OdooSimulator;
  let rpc: ReturnType<typeof rpcClient>;
  let product: number;
  let partner: number;
  const stock = () => sim.env.ref('stock.stock_location_stock');

  beforeAll(async () => {
    sim = await startOdooSimulator({ version: 17 });
    rpc = rpcClient(sim);
    product = await rpc.ok<number>('product.product', 'create', [{ name: 'Boot', default_code: 'BOOT', detailed_type: 'product', list_price: 50, invoice_policy: 'delivery' }]);
    sim.env.setStock(product, 5);
    partner = await rpc.ok<number>('res.partner', 'create', [{ name: 'Bob', email: 'bob@example.com' }]);
  });
  afterAll(() => sim.close());

  async function confirmed(qty: number, extra: Row = {}) {
    const id = await rpc.ok<number>('sale.order', 'create', [{ partner_id: partner, order_line: [[0, 0, { product_id: product, product_uom_qty: qty, ...extra }]] }]);
    await rpc.ok('sale.order', 'action_confirm', [[id]]);
    const [so] = await rpc.ok<Row[]>('sale.order', 'read', [[id], ['picking_ids']]);
    return { id, picking: (so?.picking_ids as number[])[0] as number };
  }

  it('reserves what is there: a short order is partially available; partial quantity → backorder wizard → backorder picking', async () => {
    sim.env.setStock(product, 5);
    const { id, picking } = await confirmed(8);
    const [move] = await rpc.ok<Row[]>('stock.move', 'search_read', [[['picking_id', '=', picking]]], { fields: ['quantity', 'state', 'product_uom_qty'] });
    expect(move).toMatchObject({ quantity: 5, state: 'partially_available', product_uom_qty: 8 });
    await rpc.ok('stock.move', 'write', [[move?.id], { quantity: 3, picked: true }]);
    const action = await rpc.ok<Row>('stock.picking', 'button_validate', [[picking]]);
    expect(action).toMatchObject({ res_model: 'stock.backorder.confirmation', type: 'ir.actions.act_window' });
    const ctx = action.context as Row;
    const wiz = await rpc.ok<number>('stock.backorder.confirmation', 'create', [{}], { context: ctx });
    expect(await rpc.ok('stock.backorder.confirmation', 'process', [[wiz]], { context: ctx })).toBe(true);
    const pickings = await rpc.ok<Row[]>('stock.picking', 'search_read', [[['sale_id', '=', id]]], { fields: ['state', 'backorder_id'], order: 'id' });
    expect(pickings.map((p) => p.state)).toEqual(['done', 'assigned']);
    expect(pickings[1]?.backorder_id).toEqual([picking, expect.stringMatching(/^WH\/OUT\/\d{5}$/)]);
    const [so] = await rpc.ok<Row[]>('sale.order', 'read', [[id], ['delivery_status']]);
    expect(so?.delivery_status).toBe('partial');
    const [line] = await rpc.ok<Row[]>('sale.order.line', 'search_read', [[['order_id', '=', id]]], { fields: ['qty_delivered'] });
    expect(line?.qty_delivered).toBe(3);
    const [p] = await rpc.ok<Row[]>('product.product', 'read', [[product], ['qty_available', 'free_qty']]);
    expect(p).toMatchObject({ qty_available: 2, free_qty: 0 });
  });

  it('process_cancel_backorder validates without a backorder', async () => {
    sim.env.setStock(product, 10);
    const { id, picking } = await confirmed(4);
    const [move] = await rpc.ok<Row[]>('stock.move', 'search_read', [[['picking_id', '=', picking]]], { fields: ['id'] });
    await rpc.ok('stock.move', 'write', [[move?.id], { quantity: 1, picked: true }]);
    const action = await rpc.ok<Row>('stock.picking', 'button_validate', [[picking]]);
    const ctx = action.context as Row;
    const wiz = await rpc.ok<number>('stock.backorder.confirmation', 'create', [{}], { context: ctx });
    await rpc.ok('stock.backorder.confirmation', 'process_cancel_backorder', [[wiz]], { context: ctx });
    expect(await rpc.ok<number>('stock.picking', 'search_count', [[['sale_id', '=', id]]])).toBe(1);
  });

  it('a partial payment leaves the invoice partial with the rest due', async () => {
    sim.env.setStock(product, 10);
    const { id, picking } = await confirmed(2);
    const [move] = await rpc.ok<Row[]>('stock.move', 'search_read', [[['picking_id', '=', picking]]], { fields: ['product_uom_qty'] });
    await rpc.ok('stock.move', 'write', [[move?.id], { quantity: 2, picked: true }]);
    await rpc.ok('stock.picking', 'button_validate', [[picking]]);
    const ctx = { active_model: 'sale.order', active_ids: [id] };
    const w = await rpc.ok<number>('sale.advance.payment.inv', 'create', [{ advance_payment_method: 'delivered' }], { context: ctx });
    const inv = (await rpc.ok<Row>('sale.advance.payment.inv', 'create_invoices', [[w]], { context: ctx })).res_id as number;
    await rpc.ok('account.move', 'action_post', [[inv]]);
    const pctx = { active_model: 'account.move', active_ids: [inv] };
    const reg = await rpc.ok<number>('account.payment.register', 'create', [{ amount: 15 }], { context: pctx });
    const [wiz] = await rpc.ok<Row[]>('account.payment.register', 'read', [[reg], ['amount', 'payment_difference']], { context: pctx });
    expect(wiz).toMatchObject({ amount: 15, payment_difference: 100 });
    await rpc.ok('account.payment.register', 'action_create_payments', [[reg]], { context: pctx });
    const [m] = await rpc.ok<Row[]>('account.move', 'read', [[inv], ['amount_total', 'amount_residual', 'payment_state']]);
    expect(m).toMatchObject({ amount_total: 115, amount_residual: 100, payment_state: 'partial' });
  });

  it('wizards refuse to work without active_model/active_ids', async () => {
    const r = await rpc.ex('account.payment.register', 'create', [{}]);
    expect(r.error?.data.name).toBe('odoo.exceptions.UserError');
  });

  it('amounts round per line; price-included taxes are extracted; a pricelist fixed price wins', async () => {
    const incl = await rpc.ok<number>('account.tax', 'create', [{ name: '19% incl.', amount: 19, price_include: true, type_tax_use: 'sale' }]);
    const pl = await rpc.ok<number>('product.pricelist', 'create', [{ name: 'Shop', item_ids: [[0, 0, { applied_on: '0_product_variant', product_id: product, compute_price: 'fixed', fixed_price: 39.99 }]] }]);
    const so = await rpc.ok<number>('sale.order', 'create', [{ partner_id: partner, pricelist_id: pl, order_line: [[0, 0, { product_id: product, product_uom_qty: 3 }], [0, 0, { product_id: product, product_uom_qty: 1, price_unit: 11.9, tax_id: [[6, 0, [incl]]] }]] }]);
    const lines = await rpc.ok<Row[]>('sale.order.line', 'search_read', [[['order_id', '=', so]]], { fields: ['price_unit', 'price_subtotal', 'price_tax', 'price_total'], order: 'id' });
    expect(lines[0]).toMatchObject({ price_unit: 39.99, price_subtotal: 119.97, price_tax: 18, price_total: 137.97 });
    expect(lines[1]).toMatchObject({ price_subtotal: 10, price_tax: 1.9, price_total: 11.9 });
    const [o] = await rpc.ok<Row[]>('sale.order', 'read', [[so], ['amount_untaxed', 'amount_tax', 'amount_total']]);
    expect(o).toEqual({ id: so, amount_untaxed: 129.97, amount_tax: 19.9, amount_total: 149.87 });
  });

  it('quantities per location (children included) and per warehouse', async () => {
    const shelf = await rpc.ok<number>('stock.location', 'create', [{ name: 'Shelf A', location_id: stock() }]);
    const p = await rpc.ok<number>('product.product', 'create', [{ name: 'Sock', detailed_type: 'product' }]);
    sim.env.setStock(p, 4, stock());
    sim.env.setStock(p, 6, shelf);
    const qty = async (ctx: Row) => (await rpc.ok<Row[]>('product.product', 'read', [[p], ['qty_available']], { context: ctx }))[0]?.qty_available;
    expect(await qty({})).toBe(10);
    expect(await qty({ location: shelf })).toBe(6);
    expect(await qty({ location: stock() })).toBe(10);
    expect(await qty({ warehouse: 1 })).toBe(10);
    expect(await qty({ location: sim.env.ref('stock.stock_location_customers') })).toBe(0);
  });

  it('restricted user: ACLs via check_access_rights, own-documents rule, AccessError on invoices', async () => {
    const r = rpcClient(sim, { uid: sim.restricted.uid, apiKey: sim.restricted.apiKey });
    const can = async (client: ReturnType<typeof rpcClient>, model: string, op: string) => client.ok(model, 'check_access_rights', [op], { raise_exception: false });
    expect(await can(rpc, 'account.move', 'write')).toBe(true);
    expect(await can(r, 'account.move', 'write')).toBe(false);
    expect(await can(r, 'account.move', 'read')).toBe(true);
    expect(await can(r, 'stock.quant', 'write')).toBe(false);
    expect(await can(r, 'sale.order', 'create')).toBe(true);
    const raised = await r.ex('account.payment', 'check_access_rights', ['create']);
    expect(raised.error?.data.name).toBe('odoo.exceptions.AccessError');
    const own = await r.ok<number>('sale.order', 'create', [{ partner_id: partner }]);
    const admins = await rpc.ok<number>('sale.order', 'create', [{ partner_id: partner }]);
    const visible = await r.ok<Row[]>('sale.order', 'search_read', [[]], { fields: ['id'] });
    expect(visible.map((x) => x.id)).toEqual([own]);
    expect((await r.ex('sale.order', 'read', [[admins], ['name']])).error?.data.name).toBe('odoo.exceptions.AccessError');
    const q = await r.ex('stock.quant', 'create', [{ product_id: product, location_id: stock(), inventory_quantity: 1 }], { context: { inventory_mode: true } });
    expect(q.error?.data.message).toContain("You are not allowed to create 'Quants' (stock.quant) records.");
    // 17: has_group is @api.model on the current user (real 17 takes ids given to it as the group: "External ID '[6]' must be fully qualified")
    expect(await r.ok('res.users', 'has_group', ['sales_team.group_sale_salesman'])).toBe(true);
    expect(await r.ok('res.users', 'has_group', ['account.group_account_invoice'])).toBe(false);
    const users = await r.ok<Row[]>('res.users', 'read', [[sim.restricted.uid], ['groups_id']]);
    expect(users[0]?.groups_id).toContain(sim.env.ref('sales_team.group_sale_salesman'));
  });

  it('a failed call changes nothing (the transaction is rolled back)', async () => {
    const before = await rpc.ok<number>('sale.order', 'search_count', [[]]);
    const r = await rpc.ex('sale.order', 'create', [{ partner_id: partner, order_line: [[0, 0, { product_id: 987654321 }]] }]);
    expect(r.error?.data.name).toBe('odoo.exceptions.MissingError');
    expect(await rpc.ok('sale.order', 'search_count', [[]])).toBe(before);
  });

  it('a company in EUR bills in EUR', async () => {
    const eur = await startOdooSimulator({ version: 17, currency: 'EUR' });
    try {
      const c = rpcClient(eur);
      const [company] = await c.ok<Row[]>('res.company', 'read', [[1], ['currency_id']]);
      expect(company?.currency_id).toEqual([126, 'EUR']);
      const p = await c.ok<number>('res.partner', 'create', [{ name: 'Eva' }]);
      const so = await c.ok<number>('sale.order', 'create', [{ partner_id: p }]);
      expect((await c.ok<Row[]>('sale.order', 'read', [[so], ['currency_id']]))[0]?.currency_id).toEqual([126, 'EUR']);
      expect(await c.ok<number>('res.currency', 'search_count', [[['name', 'in', ['EUR', 'USD']]]])).toBe(2);
    } finally {
      await eur.close();
    }
  });
});
