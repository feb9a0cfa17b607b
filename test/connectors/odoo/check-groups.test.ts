import { describe, expect, it } from 'vitest';
import { groupFor } from '../../../src/connectors/odoo/check.js';

describe('the Odoo group a missing right points to', () => {
  it.each([
    ['product.template', 17, 'Sales / Administrator'],
    ['product.product', 18, 'Sales / Administrator'],
    ['product.template', 19, 'Products / Create'],
    ['product.attribute.value', 19, 'Products / Create'],
    ['product.pricelist.item', 19, 'Sales / Administrator'],
    ['product.category', 19, 'Inventory / Administrator'],
    ['sale.order', 19, 'Sales / User: All Documents'],
    ['stock.quant', 17, 'Inventory / Administrator'],
    ['account.move', 19, 'Invoicing / Billing'],
    ['x.unknown', 17, 'the group that owns this model'],
  ] as const)('%s on Odoo %i → %s', (model, major, group) => {
    expect(groupFor(model, major)).toBe(group);
  });
});
