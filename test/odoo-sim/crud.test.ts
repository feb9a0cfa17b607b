import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOdooSimulator, type OdooSimulator } from '../../src/simulators/index.js';
import { rpcClient } from './support/clients.js';

describe('odoo simulator: CRUD, envelope and domains (17, JSON-RPC)', () => {
  let sim: OdooSimulator;
  let rpc: ReturnType<typeof rpcClient>;
  beforeAll(async () => {
    sim = await startOdooSimulator({ version: 17 });
    rpc = rpcClient(sim);
  });
  afterAll(() => sim.close());

  it('create dict → int, list → list (also a list of one); one call shares write_date', async () => {
    const one = await rpc.ok('product.product', 'create', [{ name: 'Tee', default_code: 'TEE-1', detailed_type: 'product', list_price: 10.5 }]);
    expect(typeof one).toBe('number');
    const many = await rpc.ok<number[]>('product.product', 'create', [[{ name: 'A', default_code: 'A-1' }, { name: 'B', default_code: 'B-1' }]]);
    expect(many).toHaveLength(2);
    expect(await rpc.ok('product.product', 'create', [[{ name: 'C' }]])).toEqual([many[1]! + 1]);
    const rows = await rpc.ok<{ write_date: string; create_date: string }[]>('product.product', 'read', [many, ['write_date', 'create_date']]);
    expect(rows[0]!.write_date).toBe(rows[1]!.write_date);
    expect(rows[0]!.write_date).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  it('reads many2one as [id, name], empty as false, floats as numbers; missing ids dropped', async () => {
    const id = await rpc.ok<number>('product.product', 'create', [{ name: 'Cap', list_price: 7 }]);
    const [row] = await rpc.ok<Record<string, unknown>[]>('product.product', 'read', [[id, 987654321], ['name', 'default_code', 'barcode', 'categ_id', 'lst_price', 'uom_id']]);
    expect(row).toEqual({ id, name: 'Cap', default_code: false, barcode: false, categ_id: [1, 'All'], lst_price: 7, uom_id: [1, 'Units'] });
  });

  it('write/unlink of missing ids → MissingError; unknown field → ValueError', async () => {
    const w = await rpc.ex('res.partner', 'write', [[987654321], { name: 'x' }]);
    expect(w.error?.data.name).toBe('odoo.exceptions.MissingError');
    expect(w.error?.code).toBe(200);
    const f = await rpc.ex('product.product', 'search_read', [[]], { fields: ['bogus'] });
    expect(f.error?.data).toMatchObject({ name: 'builtins.ValueError', message: "Invalid field 'bogus' on model 'product.product'" });
  });

  it('duplicate barcode → ValidationError and nothing is created; duplicate default_code allowed', async () => {
    await rpc.ok('product.product', 'create', [{ name: 'First', barcode: '4000000000001', default_code: 'DUP' }]);
    const before = await rpc.ok<number>('product.product', 'search_count', [[]], { context: { active_test: false } });
    const dup = await rpc.ex('product.product', 'create', [{ name: 'Second', barcode: '4000000000001' }]);
    expect(dup.error?.data.name).toBe('odoo.exceptions.ValidationError');
    expect(dup.error?.data.message).toContain('Barcode(s) already assigned');
    expect(await rpc.ok('product.product', 'search_count', [[]], { context: { active_test: false } })).toBe(before);
    expect(typeof (await rpc.ok('product.product', 'create', [{ name: 'Third', default_code: 'DUP' }]))).toBe('number');
  });

  it('prefix domains: | takes the next two terms, =like / =ilike / ilike, in [] and active_test', async () => {
    const ids = await rpc.ok<number[]>('res.partner', 'create', [[{ name: 'Dom A', email: 'A@Dom.test', ref: 'R1' }, { name: 'Dom B', email: 'b@dom.test', ref: 'R2' }, { name: 'Dom C', email: 'c@dom.test', ref: 'R3', active: false }]]);
    const names = async (domain: unknown[], ctx = {}) => (await rpc.ok<{ name: string }[]>('res.partner', 'search_read', [domain], { fields: ['name'], order: 'name', context: ctx })).map((r) => r.name);
    expect(await names(['|', ['ref', '=', 'R1'], ['ref', '=', 'R2'], ['name', '=ilike', 'dom a']])).toEqual(['Dom A']);
    expect(await names([['email', '=', 'a@dom.test']])).toEqual([]);
    expect(await names([['email', '=ilike', 'a@dom.test']])).toEqual(['Dom A']);
    expect(await names([['email', 'ilike', '@dom.']])).toEqual(['Dom A', 'Dom B']);
    expect(await names([['email', '=like', '%@dom.test'], ['id', 'in', ids]], { active_test: false })).toEqual(['Dom B', 'Dom C']);
    expect(await names([['id', 'in', []]])).toEqual([]);
    expect(await names([['id', 'in', ids], ['active', 'in', [true, false]]])).toEqual(['Dom A', 'Dom B', 'Dom C']);
  });

  it('syntax errors carry Odoo messages', async () => {
    const bad = await rpc.ex('product.product', 'search_read', [['&', ['name', '=', 'x']]]);
    expect(bad.error?.data.message).toBe("Domain ['&', ['name', '=', 'x']] is syntactically not correct.");
    const leaf = await rpc.ex('product.product', 'search_read', [[['name', 'like']]]);
    expect(leaf.error?.data.message).toBe('not enough values to unpack (expected 3, got 2)');
    const notList = await rpc.ex('product.product', 'search_read', ['not a list']);
    expect(notList.error?.data.name).toBe('builtins.AssertionError');
  });

  it('res.users.context_get gives the uid of the credentials', async () => {
    const r = await rpc.call('object', 'execute_kw', [sim.db, 2, sim.admin.apiKey, 'res.users', 'context_get', [], {}]);
    expect(r.result).toEqual({ lang: 'en_US', tz: false, uid: 2 });
  });
});

describe('odoo simulator: x2many commands and indexes (17)', () => {
  let sim: OdooSimulator;
  let rpc: ReturnType<typeof rpcClient>;
  beforeAll(async () => {
    sim = await startOdooSimulator({ version: 17 });
    rpc = rpcClient(sim);
  });
  afterAll(() => sim.close());

  it('[1, id, vals] updates, [2, id] deletes, [4, id] links, [5] clears, [6, 0, ids] sets', async () => {
    const parent = await rpc.ok<number>('res.partner', 'create', [{ name: 'Parent', child_ids: [[0, 0, { name: 'A', type: 'delivery' }], [0, 0, { name: 'B', type: 'invoice' }]] }]);
    const kids = async () => (await rpc.ok<{ child_ids: number[] }[]>('res.partner', 'read', [[parent], ['child_ids']]))[0]!.child_ids;
    const [a, b] = await kids();
    const loose = await rpc.ok<number>('res.partner', 'create', [{ name: 'C' }]);
    await rpc.ok('res.partner', 'write', [[parent], { child_ids: [[1, a, { name: 'A2' }], [2, b], [4, loose]] }]);
    expect(await kids()).toEqual([a, loose]);
    expect((await rpc.ok<{ display_name: string }[]>('res.partner', 'read', [[a], ['display_name']]))[0]?.display_name).toBe('Parent, A2');
    expect(await rpc.ok('res.partner', 'read', [[b], ['name']])).toEqual([]);
    const tax = await rpc.ok<number>('account.tax', 'create', [{ name: '7%', amount: 7 }]);
    const p = await rpc.ok<number>('product.template', 'create', [{ name: 'Taxed', taxes_id: [[6, 0, [1, tax]]] }]);
    const taxes = async () => (await rpc.ok<{ taxes_id: number[] }[]>('product.template', 'read', [[p], ['taxes_id']]))[0]!.taxes_id;
    expect(await taxes()).toEqual([1, tax]);
    await rpc.ok('product.template', 'write', [[p], { taxes_id: [[5]] }]);
    expect(await taxes()).toEqual([]);
    await rpc.ok('product.template', 'write', [[p], { taxes_id: [[4, tax]] }]);
    expect(await taxes()).toEqual([tax]);
  });

  it('a write on several records applies [1]/[2] once (any id of the comodel) and [0] per record, as Odoo does', async () => {
    const [p1, p2] = await rpc.ok<number[]>('res.partner', 'create', [[{ name: 'P1', child_ids: [[0, 0, { name: 'A1' }], [0, 0, { name: 'B1' }]] }, { name: 'P2', child_ids: [[0, 0, { name: 'A2' }]] }]]);
    const kids = async (p: number) => (await rpc.ok<{ child_ids: number[] }[]>('res.partner', 'read', [[p], ['child_ids']]))[0]!.child_ids;
    const [a1, b1] = await kids(p1!);
    const [a2] = await kids(p2!);
    // [2, b1] twice over would be a MissingError; [1, a2] addresses a child of the second record
    await rpc.ok('res.partner', 'write', [[p1, p2], { child_ids: [[1, a1, { name: 'A1b' }], [1, a2, { name: 'A2b' }], [2, b1], [0, 0, { name: 'New' }]] }]);
    const names = async (p: number) => (await rpc.ok<{ name: string }[]>('res.partner', 'read', [await kids(p), ['name']])).map((r) => r.name);
    expect(await names(p1!)).toEqual(['A1b', 'New']);
    expect(await names(p2!)).toEqual(['A2b', 'New']);
  });

  it('variants follow the attribute lines: adding a value creates the missing combinations', async () => {
    const size = await rpc.ok<number>('product.attribute', 'create', [{ name: 'Size', value_ids: [[0, 0, { name: 'S' }], [0, 0, { name: 'M' }], [0, 0, { name: 'L' }]] }]);
    const [s, m, l] = await rpc.ok<number[]>('product.attribute.value', 'search', [[['attribute_id', '=', size]]]);
    const t = await rpc.ok<number>('product.template', 'create', [{ name: 'Shirt', list_price: 20, attribute_line_ids: [[0, 0, { attribute_id: size, value_ids: [[6, 0, [s, m]]] }]] }]);
    const variants = async () => (await rpc.ok<{ display_name: string }[]>('product.product', 'search_read', [[['product_tmpl_id', '=', t]]], { fields: ['display_name'], order: 'id' })).map((v) => v.display_name);
    expect(await variants()).toEqual(['Shirt (S)', 'Shirt (M)']);
    const [line] = await rpc.ok<number[]>('product.template.attribute.line', 'search', [[['product_tmpl_id', '=', t]]]);
    await rpc.ok('product.template.attribute.line', 'write', [[line], { value_ids: [[4, l!]] }]);
    expect(await variants()).toEqual(['Shirt (S)', 'Shirt (M)', 'Shirt (L)']);
    await rpc.ok('product.template.attribute.line', 'write', [[line], { value_ids: [[6, 0, [m, l]]] }]);
    expect(await variants()).toEqual(['Shirt (M)', 'Shirt (L)']);
    expect(await rpc.ok('product.product', 'search_count', [[['product_tmpl_id', '=', t]]], { context: { active_test: false } })).toBe(3);
  });

  it('searches by default_code / barcode / write_date cursor use indexes, not a scan of every product', () => {
    const ids = sim.env.createMany('product.product', Array.from({ length: 5000 }, (_, i) => ({ name: `Bulk ${i}`, default_code: `BULK-${i}`, barcode: `B-${i}` })));
    const scanned = (fn: () => unknown) => {
      const before = sim.env.rowsScanned();
      fn();
      return sim.env.rowsScanned() - before;
    };
    expect(scanned(() => expect(sim.env.search('product.product', [['default_code', '=', 'BULK-4321']])).toEqual([ids[4321]]))).toBeLessThan(5);
    expect(scanned(() => sim.env.search('product.product', [['barcode', 'in', ['B-1', 'B-2']]]))).toBeLessThan(5);
    const [last] = sim.env.read('product.product', [ids[4999]!], ['write_date']);
    expect(scanned(() => sim.env.search('product.product', [['write_date', '>=', last!.write_date]], { order: 'write_date asc, id asc', limit: 100 }))).toBeLessThan(200);
    expect(scanned(() => sim.env.search('product.product', [['name', '=', 'Bulk 7']]))).toBeGreaterThan(5000);
  });
});
