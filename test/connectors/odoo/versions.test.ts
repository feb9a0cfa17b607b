/** The version table: what differs between Odoo 16, 17, 18 and 19 (PLATFORMS.md + recordings). */
import { recordingPath } from '../../helpers/recordings.js';
import { describe, it, expect } from 'vitest';
import { isSupportedMajor, parseMajor, storableDomain, traitsFor } from '../../../src/connectors/odoo/versions.js';
import { loadFlow, type Exchange17, type Exchange19 } from './recordings.js';

describe('odoo version table', () => {
  it.each([
    // major, protocol, storable vals, done field, picked, immediate wizard, return method
    [16, 'jsonrpc', { detailed_type: 'product' }, 'quantity_done', false, true, 'create_returns'],
    [17, 'jsonrpc', { detailed_type: 'product' }, 'quantity', true, false, 'create_returns'],
    [18, 'jsonrpc', { type: 'consu', is_storable: true }, 'quantity', true, false, 'action_create_returns'],
    [19, 'json2', { type: 'consu', is_storable: true }, 'quantity', true, false, 'action_create_returns'],
  ] as const)('%i: protocol %s, storable %j, %s, picked %s, immediate transfer %s, %s', (major, protocol, storable, done, picked, immediate, ret) => {
    const t = traitsFor(major);
    expect(t.major).toBe(major);
    expect(t.protocol).toBe(protocol);
    expect(t.storable).toEqual(storable);
    expect(t.moveDoneField).toBe(done);
    expect(t.usesPicked).toBe(picked);
    expect(t.immediateTransferWizard).toBe(immediate);
    expect(t.returnMethod).toBe(ret);
  });

  it.each([
    // major, line uom, line taxes, payment memo, payment done states, reversal field, cancel wizard, draft name, access check
    [16, 'product_uom', 'tax_id', 'ref', ['posted'], 'reversal_move_id', true, '/', 'check_access_rights'],
    [17, 'product_uom', 'tax_id', 'ref', ['posted'], 'reversal_move_id', true, '/', 'check_access_rights'],
    [18, 'product_uom', 'tax_id', 'memo', ['paid', 'in_process'], 'reversal_move_ids', true, false, 'has_access'],
    [19, 'product_uom_id', 'tax_ids', 'memo', ['paid', 'in_process'], 'reversal_move_ids', false, false, 'has_access'],
  ] as const)('%i: sale line %s/%s, payment %s %j, %s, cancel wizard %s, draft name %j, %s', (major, uom, tax, memo, states, rev, wizard, draft, access) => {
    const t = traitsFor(major);
    expect([t.saleLineUomField, t.saleLineTaxField, t.paymentMemoField, t.paymentDoneStates, t.reversalField, t.cancelWizard, t.draftInvoiceName, t.accessCheck]).toEqual([uom, tax, memo, states, rev, wizard, draft, access]);
  });

  it('19 drops res.partner.mobile, renames groups_id, compares write_date in seconds, deprecates /jsonrpc', () => {
    expect([traitsFor(17).partnerMobile, traitsFor(19).partnerMobile]).toEqual([true, false]);
    expect([traitsFor(17).userGroupsField, traitsFor(19).userGroupsField]).toEqual(['groups_id', 'group_ids']);
    expect([traitsFor(17).writeDatePrecision, traitsFor(19).writeDatePrecision]).toEqual(['microseconds', 'seconds']);
    expect([traitsFor(18).jsonrpcDeprecated, traitsFor(19).jsonrpcDeprecated]).toEqual([false, true]);
  });

  it('16 locks orders with state done (no locked field) and is not trusted to have stock.picking.return_id', () => {
    expect([traitsFor(16).lockedField, traitsFor(17).lockedField, traitsFor(19).lockedField]).toEqual([false, true, true]);
    expect([traitsFor(16).pickingReturnField, traitsFor(17).pickingReturnField]).toEqual([false, true]);
  });

  it('newer than 19 gets 19\'s traits; older than 16 is not supported', () => {
    expect(traitsFor(20)).toMatchObject({ major: 20, protocol: 'json2', returnMethod: 'action_create_returns' });
    expect(isSupportedMajor(15)).toBe(false);
    expect(isSupportedMajor(16)).toBe(true);
  });

  it('storable domain per version', () => {
    expect(storableDomain(traitsFor(17))).toEqual([['type', '=', 'product']]);
    expect(storableDomain(traitsFor(19))).toEqual([['is_storable', '=', true]]);
  });

  it('parses the version strings real servers send', () => {
    const v17 = (loadFlow<Exchange17>('odoo17', '01_login_version.jsonl')[0]!.response as { result: { server_version: string; server_version_info: unknown } }).result;
    const v19 = loadFlow<Exchange19>('odoo19', '01_login_version.jsonl')[0]!.response.body as { version_info: unknown; version: string };
    expect(parseMajor(v17.server_version_info)).toBe(17);
    expect(parseMajor(v17.server_version)).toBe(17);
    expect(parseMajor(v19.version_info)).toBe(19);
    expect(parseMajor('saas~17.2+e')).toBe(17);
    expect(parseMajor('nonsense')).toBeNull();
  });

  it('the fields the traits name exist in the recorded fields_get of 17 and 19', async () => {
    const { readFileSync } = await import('node:fs');
    const fields = (v: string, model: string) => (JSON.parse(readFileSync(recordingPath(v, 'fields', `${model}.json`), 'utf8')) as { fields: Record<string, unknown> }).fields;
    for (const [v, major] of [['odoo17', 17], ['odoo19', 19]] as const) {
      const t = traitsFor(major);
      expect(fields(v, 'sale.order.line')).toHaveProperty(t.saleLineTaxField);
      expect(fields(v, 'sale.order.line')).toHaveProperty(t.saleLineUomField);
      expect(fields(v, 'stock.move')).toHaveProperty(t.moveDoneField);
      expect(fields(v, 'account.payment')).toHaveProperty(t.paymentMemoField);
      expect(fields(v, 'account.move')).toHaveProperty(t.reversalField);
      for (const f of Object.keys(t.storable)) expect(fields(v, 'product.template')).toHaveProperty(f);
      expect('mobile' in fields(v, 'res.partner')).toBe(t.partnerMobile);
    }
  });
});
