import { describe, expect, it } from 'vitest';
import { REDACTED_VALUE as R, redactPersonal } from '../../src/shared/redact-personal.js';

describe('redactPersonal', () => {
  it.each([
    ['canonical customer', { email: 'jane@example.com', firstName: 'Jane', lastName: 'Doe', company: 'ACME', phone: '+49 1', addresses: [{ name: 'Jane Doe', street: 'Elbweg 5', city: 'Hamburg', zip: '20095', country: 'DE' }] }, { email: R, firstName: R, lastName: R, company: R, phone: R, addresses: [{ name: R, street: R, city: R, zip: R, country: 'DE' }] }],
    ['WooCommerce order billing/shipping', { id: 77, number: '1042', total: '89.00', billing: { first_name: 'Guest', last_name: 'Buyer', address_1: 'Elbweg 5', postcode: '20095', country: 'DE', email: 'g@example.com', phone: '' }, shipping: { first_name: 'Guest', company: '' }, line_items: [{ name: 'Sneaker 43', sku: 'SNK-43', quantity: 1 }] }, { id: 77, number: '1042', total: '89.00', billing: { first_name: R, last_name: R, address_1: R, postcode: R, country: 'DE', email: R, phone: '' }, shipping: { first_name: R, company: '' }, line_items: [{ name: 'Sneaker 43', sku: 'SNK-43', quantity: 1 }] }],
    ['a product keeps its name', { name: 'Sneaker', variants: [{ sku: 'SNK-43', price: '89.00' }] }, { name: 'Sneaker', variants: [{ sku: 'SNK-43', price: '89.00' }] }],
    ['Odoo partner and many2one to it', { partner: { id: 7, name: 'Jane Doe', vat: 'DE123' }, order: { name: 'S00042', partner_id: [7, 'Jane Doe'], partner_shipping_id: [8, 'Jane Doe, Hamburg'], state: 'sale' } }, { partner: { id: 7, name: R, vat: R }, order: { name: 'S00042', partner_id: [7, R], partner_shipping_id: [8, R], state: 'sale' } }],
    ['an e-mail inside a message', { message: 'customer jane.doe+x@example.co.uk was refused: VAT missing' }, { message: `customer ${R} was refused: VAT missing` }],
    ['canonical order customer and addresses', { number: '1', customer: { email: 'a@b.de', firstName: 'A', id: '5', phone: null }, shippingAddress: { name: 'A B', street: 'X 1', country: 'DE' }, lines: [{ sku: 'S', name: 'Shoe' }] }, { number: '1', customer: { email: R, firstName: R, id: '5', phone: null }, shippingAddress: { name: R, street: R, country: 'DE' }, lines: [{ sku: 'S', name: 'Shoe' }] }],
    ['scalars and null', null, null],
  ])('%s', (_what, input, expected) => {
    const before = JSON.stringify(input);
    expect(redactPersonal(input)).toEqual(expected);
    expect(JSON.stringify(input)).toBe(before); // the input is not changed
  });
});
