/**
 * The simulator's per-version behaviour (versions.ts table): one order flow over /jsonrpc on 16, 17, 18 and
 * 19, asserting each documented difference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOdooSimulator, VERSION_TRAITS, type OdooSimulator, type OdooVersion } from '../../src/simulators/index.js';
import { json2Client, post, rpcClient } from './support/clients.js';

type Row = Record<string, unknown>;

for (const version of [16, 17, 18, 19] as OdooVersion[]) {
  const t = VERSION_TRAITS[version];
  describe(`Odoo ${version} differences`, () => {
    let sim: OdooSimulator;
    let rpc: ReturnType<typeof rpcClient>;
    let productId: number;
    let partnerId: number;
    beforeAll(async () => {
      sim = await startOdooSimulator({ version });
      rpc = rpcClient(sim);
      const type = version <= 17 ? { detailed_type: 'product' } : { type: 'consu', is_storable: true };
      productId = await rpc.ok<number>('product.product', 'create', [{ name: 'Runner', default_code: 'RUN-1', list_price: 100, invoice_policy: 'delivery', ...type }]);
      sim.env.setStock(productId, 10);
      partnerId = await rpc.ok<number>('res.partner', 'create', [{ name: 'Anna', email: 'anna@example.com' }]);
    });
    afterAll(() => sim.close());

    const order = async (qty = 2) => {
      const id = await rpc.ok<number>('sale.order', 'create', [{ partner_id: partnerId, order_line: [[0, 0, { product_id: productId, product_uom_qty: qty }]] }]);
      expect(await rpc.ok('sale.order', 'action_confirm', [[id]])).toBe(true);
      const [so] = await rpc.ok<Row[]>('sale.order', 'read', [[id], ['picking_ids']]);
      return { id, picking: (so?.picking_ids as number[])[0] as number };
    };

    const deliver = async (picking: number) => {
      const moves = await rpc.ok<Row[]>('stock.move', 'search_read', [[['picking_id', '=', picking]]], { fields: ['product_uom_qty'] });
      if (t.quantityDone) {
        const action = await rpc.ok<Row>('stock.picking', 'button_validate', [[picking]]);
        expect(action.res_model).toBe('stock.immediate.transfer');
        const ctx = action.context as Row;
        const wiz = await rpc.ok<number>('stock.immediate.transfer', 'create', [{}], { context: ctx });
        expect(await rpc.ok('stock.immediate.transfer', 'process', [[wiz]], { context: ctx })).toBe(true);
      } else {
        for (const m of moves) await rpc.ok('stock.move', 'write', [[m.id], { quantity: m.product_uom_qty, picked: true }]);
        expect(await rpc.ok('stock.picking', 'button_validate', [[picking]])).toBe(true);
      }
      const [p] = await rpc.ok<Row[]>('stock.picking', 'read', [[picking], ['state']]);
      expect(p?.state).toBe('done');
    };

    it('product type fields', async () => {
      const fields = await rpc.ok<Row>('product.product', 'fields_get', [], { attributes: ['type'] });
      expect('detailed_type' in fields).toBe(version <= 17);
      expect('is_storable' in fields).toBe(version >= 18);
      const [p] = await rpc.ok<Row[]>('product.product', 'read', [[productId], ['type', 'qty_available']]);
      expect(p).toMatchObject({ type: version <= 17 ? 'product' : 'consu', qty_available: 10 });
    });

    it('sale line, picking, partner and user field names', async () => {
      const sol = await rpc.ok<Row>('sale.order.line', 'fields_get', [], { attributes: ['type'] });
      expect(Object.keys(sol)).toEqual(expect.arrayContaining([t.solUomField, t.solTaxField]));
      expect(sol[version === 19 ? 'tax_id' : 'tax_ids']).toBeUndefined();
      const users = await rpc.ok<Row[]>('res.users', 'read', [[sim.admin.uid], [t.usersGroupsField]]);
      expect((users[0]?.[t.usersGroupsField] as number[]).length).toBeGreaterThan(0);
      const picking = await rpc.ok<Row>('stock.picking', 'fields_get', [], { attributes: ['type'] });
      expect('move_ids_without_package' in picking).toBe(version !== 19);
      const move = await rpc.ok<Row>('stock.move', 'fields_get', [], { attributes: ['type'] });
      expect('quantity_done' in move).toBe(version === 16);
      expect('picked' in move).toBe(version !== 16);
    });

    it('done quantities: 16 immediate-transfer wizard, 17+ quantity + picked; stock leaves on validate', async () => {
      const { picking } = await order(2);
      const [before] = await rpc.ok<Row[]>('product.product', 'read', [[productId], ['qty_available', 'free_qty', 'outgoing_qty']]);
      expect(before).toMatchObject({ free_qty: 8, outgoing_qty: 2 });
      await deliver(picking);
      const [after] = await rpc.ok<Row[]>('product.product', 'read', [[productId], ['qty_available', 'free_qty']]);
      expect(after).toMatchObject({ qty_available: Number(before?.qty_available) - 2, free_qty: Number(before?.qty_available) - 2 });
    });

    it('invoice: draft name, posted INV/<year>/<5 digits>, payment state and memo field, reversal field', async () => {
      const { id, picking } = await order(1);
      await deliver(picking);
      const ctx = { active_model: 'sale.order', active_ids: [id], active_id: id };
      const wiz = await rpc.ok<number>('sale.advance.payment.inv', 'create', [{ advance_payment_method: 'delivered' }], { context: ctx });
      const action = await rpc.ok<Row>('sale.advance.payment.inv', 'create_invoices', [[wiz]], { context: ctx });
      const inv = action.res_id as number;
      const [draft] = await rpc.ok<Row[]>('account.move', 'read', [[inv], ['name', 'state', 'amount_total', t.reversalField]]);
      expect(draft).toMatchObject({ name: t.draftInvoiceName, state: 'draft', amount_total: 115, [t.reversalField]: [] });
      expect(await rpc.ex('account.move', 'action_post', [[inv]])).toMatchObject({ result: false });
      const [posted] = await rpc.ok<Row[]>('account.move', 'read', [[inv], ['name', 'payment_state']]);
      expect(posted?.name).toMatch(/^INV\/\d{4}\/\d{5}$/);
      const pctx = { active_model: 'account.move', active_ids: [inv] };
      const reg = await rpc.ok<number>('account.payment.register', 'create', [{ communication: 'paid' }], { context: pctx });
      const pay = await rpc.ok<Row>('account.payment.register', 'action_create_payments', [[reg]], { context: pctx });
      const [payment] = await rpc.ok<Row[]>('account.payment', 'read', [[pay.res_id], ['state', t.paymentMemoField]]);
      expect(payment).toMatchObject({ state: t.paymentState, [t.paymentMemoField]: 'paid' });
      const rev = await rpc.ok<number>('account.move.reversal', 'create', [{ reason: 'return' }], { context: pctx });
      const refund = await rpc.ok<Row>('account.move.reversal', 'refund_moves', [[rev]], { context: pctx });
      const [orig] = await rpc.ok<Row[]>('account.move', 'read', [[inv], [t.reversalField, 'payment_state']]);
      expect(orig).toMatchObject({ [t.reversalField]: [refund.res_id], payment_state: 'paid' });
    });

    it('returns: create_returns ≤17, action_create_returns 18+; lines default to the delivered quantity except on 19', async () => {
      const { picking } = await order(3);
      await deliver(picking);
      const ctx = { active_model: 'stock.picking', active_ids: [picking], active_id: picking };
      const wiz = await rpc.ok<number>('stock.return.picking', 'create', [{ picking_id: picking }], { context: ctx });
      const lines = await rpc.ok<Row[]>('stock.return.picking.line', 'search_read', [[['wizard_id', '=', wiz]]], { fields: ['quantity'] });
      expect(lines[0]?.quantity).toBe(t.returnLinesDefaultDelivered ? 3 : 0);
      await rpc.ok('stock.return.picking.line', 'write', [[lines[0]?.id], { quantity: 1 }]);
      const other = t.returnMethod === 'create_returns' ? 'action_create_returns' : 'create_returns';
      expect((await rpc.ex('stock.return.picking', other, [[wiz]], { context: ctx })).error?.data.name).toBe('builtins.AttributeError');
      const action = await rpc.ok<Row>('stock.return.picking', t.returnMethod, [[wiz]], { context: ctx });
      const [ret] = await rpc.ok<Row[]>('stock.picking', 'read', [[action.res_id], ['picking_type_code', 'return_id', 'state']]);
      expect(ret).toMatchObject({ picking_type_code: 'incoming', return_id: [picking, expect.any(String)] });
    });

    it('cancel of a confirmed order: wizard action on 16–18, direct on 19', async () => {
      const { id } = await order(1);
      const r = await rpc.ok<unknown>('sale.order', 'action_cancel', [[id]]);
      const [so] = await rpc.ok<Row[]>('sale.order', 'read', [[id], ['state']]);
      if (t.cancelWizard) {
        expect(r).toMatchObject({ res_model: 'sale.order.cancel', type: 'ir.actions.act_window' });
        expect(so?.state).toBe('sale');
        const w = await rpc.ok<number>('sale.order.cancel', 'create', [{ order_id: id }]);
        expect(await rpc.ok('sale.order.cancel', 'action_cancel', [[w]])).toBe(true);
      } else {
        expect(r).toBe(true);
        expect(so?.state).toBe('cancel');
        expect((await rpc.ex('sale.order.cancel', 'create', [{ order_id: id }])).error?.data).toMatchObject({ name: 'odoo.exceptions.UserError', message: "Object sale.order.cancel doesn't exist" });
      }
      const [after] = await rpc.ok<Row[]>('sale.order', 'read', [[id], ['state']]);
      expect(after?.state).toBe('cancel');
    });

    it('write_date: microseconds on ≤18 (= displayed matches 0 rows, > matches itself), whole seconds on 19', async () => {
      const [p] = await rpc.ok<Row[]>('product.product', 'read', [[productId], ['write_date']]);
      const eq = await rpc.ok<number>('product.product', 'search_count', [[['id', '=', productId], ['write_date', '=', p?.write_date]]]);
      const gt = await rpc.ok<number>('product.product', 'search_count', [[['id', '=', productId], ['write_date', '>', p?.write_date]]]);
      expect([eq, gt]).toEqual(t.writeDateMicroseconds ? [0, 1] : [1, 0]);
    });

    it('JSON-2 only on 19; /web/version from 18; legacy error code 200 (0 on 19)', async () => {
      const j = await json2Client(sim)('res.partner', 'search_read', { domain: [['id', '=', partnerId]], fields: ['name'] });
      if (version === 19) expect(j).toMatchObject({ status: 200, json: [{ id: partnerId, name: 'Anna' }] });
      else expect(j.status).toBe(404);
      expect((await post(`${sim.url}/web/version`, '', {}, 'GET')).status).toBe(version >= 18 ? 200 : 404);
      expect((await rpc.ex('res.partner', 'write', [[987654321], { name: 'x' }])).error?.code).toBe(version === 19 ? 0 : 200);
    });
  });
}
