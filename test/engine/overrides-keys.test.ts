import { describe, expect, it } from 'vitest';
import { compileOverrides } from '../../src/engine/records/overrides.js';
import { decideMatch, naturalKeys } from '../../src/engine/records/natural-keys.js';
import { SyncError } from '../../src/shared/errors.js';

describe('field overrides (JSONata)', () => {
  it('computes canonical fields from the source record, with $canonical bound', async () => {
    const o = compileOverrides({ name: 'name_uk & " (" & $canonical.name & ")"', 'variants.weight': 'null' }, 'flows[0]');
    const out = await o.apply({ name: 'Sneaker', variants: [{ sku: 'A', weight: { value: '1', unit: 'kg' } }] }, { name_uk: 'Кросівки' }, { entity: 'product', record: 'A' });
    expect(out).toEqual({ name: 'Кросівки (Sneaker)', variants: [{ sku: 'A', weight: null }] });
  });
  it('rejects a bad expression at load with the config path', () => {
    expect(() => compileOverrides({ name: '$uppercase(' }, 'flows[2]')).toThrow(/flows\[2\]\.fields\.name/);
  });
  it.each(['__proto__.polluted', 'constructor.prototype.polluted', 'variants.__proto__'])('refuses the prototype path %s at compile time', (path) => {
    expect(() => compileOverrides({ [path]: '"yes"' }, 'flows[1]')).toThrowError(/flows\[1\]\.fields: ".*" is not allowed in a field path/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('a failing expression is a mapping error naming record and field', async () => {
    const o = compileOverrides({ name: '$error("boom")' }, 'flows[0]');
    await expect(o.apply({ name: 'x' }, {}, { entity: 'product', record: 'SKU-1' })).rejects.toSatisfy((e: unknown) => e instanceof SyncError && e.kind === 'mapping' && e.field === 'name' && e.record === 'SKU-1');
  });
});

describe('natural keys and matching', () => {
  const product = { name: 'S', description: '', categoryIds: [], attributes: [], active: true, tracksStock: true, variants: [
    { sku: 'S-42', barcode: '111', attributes: {}, price: { amount: '1', currency: 'EUR' }, salePrice: null, weight: null, active: true },
    { sku: 'S-43', barcode: null, attributes: {}, price: { amount: '1', currency: 'EUR' }, salePrice: null, weight: null, active: true },
  ] };
  it('products: SKUs first, then barcodes', () => {
    expect(naturalKeys('product', product)).toEqual([[{ type: 'sku', value: 'S-42' }, { type: 'sku', value: 'S-43' }], [{ type: 'barcode', value: '111' }]]);
  });
  it('customers: normalized email', () => {
    expect(naturalKeys('customer', { email: '  Anna@Example.COM ', firstName: '', lastName: '', company: null, phone: null, addresses: [] })).toEqual([[{ type: 'email', value: 'anna@example.com' }]]);
  });
  it.each([
    ['no hit', new Map(), { kind: 'none' }],
    ['one target for both SKUs', new Map([['sku:S-42', ['7']], ['sku:S-43', ['7']]]), { kind: 'one', id: '7', via: 'sku:S-42' }],
    ['SKUs on two targets: ambiguous', new Map([['sku:S-42', ['7']], ['sku:S-43', ['8']]]), { kind: 'ambiguous', ids: ['7', '8'], via: 'sku:S-42' }],
    ['a SKU carried twice (Odoo allows it): ambiguous', new Map([['sku:S-42', ['7', '9']]]), { kind: 'ambiguous', ids: ['7', '9'], via: 'sku:S-42' }],
    ['barcode when no SKU matches', new Map([['barcode:111', ['5']]]), { kind: 'one', id: '5', via: 'barcode:111' }],
  ] as const)('%s', (_t, found, expected) => {
    expect(decideMatch(naturalKeys('product', product), found as Map<string, string[]>)).toEqual(expected);
  });
});
