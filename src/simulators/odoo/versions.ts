/**
 * What the simulator does differently per Odoo version. 17 and 19 are observed (recordings); 16 and 18 are
 * read from Odoo's source and marked `assumed` where the source was not conclusive.
 *
 * | topic                         | 16                        | 17                       | 18                        | 19                        |
 * |-------------------------------|---------------------------|--------------------------|---------------------------|---------------------------|
 * | JSON-2 /json/2                | 404                       | 404                      | 404                       | yes                       |
 * | legacy error `code`           | 200                       | 200                      | 200                       | 0                         |
 * | storable product              | detailed_type='product'   | detailed_type='product'  | type='consu'+is_storable  | type='consu'+is_storable  |
 * | done quantities               | quantity_done (+immediate | quantity + picked        | quantity + picked         | quantity + picked         |
 * |                               | transfer wizard)          |                          |                           |                           |
 * | return wizard method          | create_returns            | create_returns           | action_create_returns     | action_create_returns     |
 * | return line default qty       | delivered                 | delivered                | delivered (assumed)       | 0                         |
 * | cancel confirmed order        | sale.order.cancel wizard  | wizard                   | wizard                    | direct; wizard model gone |
 * | account.payment state / ref   | posted / ref              | posted / ref             | paid / memo (assumed)     | paid / memo               |
 * | draft invoice name            | '/'                       | '/'                      | false (assumed)           | false                     |
 * | invoice reversal field        | reversal_move_id          | reversal_move_id         | reversal_move_ids         | reversal_move_ids         |
 * | write_date comparisons        | microseconds              | microseconds             | microseconds (assumed)    | whole seconds             |
 * | sale line uom / taxes         | product_uom / tax_id      | product_uom / tax_id     | product_uom / tax_id      | product_uom_id / tax_ids  |
 * | res.users groups              | groups_id                 | groups_id                | groups_id                 | group_ids                 |
 * | name_search filter argument   | args                      | args                     | domain                    | domain                    |
 * | sale.order locked             | state 'done'              | locked boolean           | locked boolean            | locked boolean            |
 */
import type { OdooVersion } from './types.js';

export interface VersionTraits {
  version: OdooVersion;
  serverVersion: string;
  serverSerie: string;
  json2: boolean;
  /** GET /web/version (18+) and /json/version (19). */
  webVersion: boolean;
  jsonVersion: boolean;
  jsonrpcErrorCode: number;
  /** 16/17: detailed_type; 18/19: type + is_storable. */
  storableByDetailedType: boolean;
  /** 16: stock.move.quantity_done + stock.immediate.transfer. */
  quantityDone: boolean;
  returnMethod: 'create_returns' | 'action_create_returns';
  returnLinesDefaultDelivered: boolean;
  cancelWizard: boolean;
  paymentState: 'posted' | 'paid';
  paymentMemoField: 'ref' | 'memo';
  draftInvoiceName: string | false;
  reversalField: 'reversal_move_id' | 'reversal_move_ids';
  writeDateMicroseconds: boolean;
  solUomField: 'product_uom' | 'product_uom_id';
  solTaxField: 'tax_id' | 'tax_ids';
  usersGroupsField: 'groups_id' | 'group_ids';
  nameSearchDomainArg: 'args' | 'domain';
  lockedField: boolean;
  /** Error message style of ORM errors (17 vs 19 wording). */
  messages: 17 | 19;
  /** res.company / warehouse naming of the default data. */
  rootCategoryName: string;
  /** Fields file used as the base (16 → 17's, 18 → 19's). */
  fieldsFrom: 17 | 19;
}

const V17: VersionTraits = {
  version: 17,
  serverVersion: '17.0-20240709',
  serverSerie: '17.0',
  json2: false,
  webVersion: false,
  jsonVersion: false,
  jsonrpcErrorCode: 200,
  storableByDetailedType: true,
  quantityDone: false,
  returnMethod: 'create_returns',
  returnLinesDefaultDelivered: true,
  cancelWizard: true,
  paymentState: 'posted',
  paymentMemoField: 'ref',
  draftInvoiceName: '/',
  reversalField: 'reversal_move_id',
  writeDateMicroseconds: true,
  solUomField: 'product_uom',
  solTaxField: 'tax_id',
  usersGroupsField: 'groups_id',
  nameSearchDomainArg: 'args',
  lockedField: true,
  messages: 17,
  rootCategoryName: 'All',
  fieldsFrom: 17,
};

const V16: VersionTraits = {
  ...V17,
  version: 16,
  serverVersion: '16.0-20240612',
  serverSerie: '16.0',
  quantityDone: true,
  lockedField: false,
};

const V18: VersionTraits = {
  ...V17,
  version: 18,
  serverVersion: '18.0-20250618',
  serverSerie: '18.0',
  webVersion: true,
  storableByDetailedType: false,
  returnMethod: 'action_create_returns',
  paymentState: 'paid',
  paymentMemoField: 'memo',
  draftInvoiceName: false,
  reversalField: 'reversal_move_ids',
  nameSearchDomainArg: 'domain',
  fieldsFrom: 19,
  rootCategoryName: 'All',
};

const V19: VersionTraits = {
  ...V18,
  version: 19,
  serverVersion: '19.0',
  serverSerie: '19.0',
  json2: true,
  jsonVersion: true,
  jsonrpcErrorCode: 0,
  returnLinesDefaultDelivered: false,
  cancelWizard: false,
  writeDateMicroseconds: false,
  solUomField: 'product_uom_id',
  solTaxField: 'tax_ids',
  usersGroupsField: 'group_ids',
  messages: 19,
  rootCategoryName: 'Deliveries',
};

export const VERSION_TRAITS: Record<OdooVersion, VersionTraits> = { 16: V16, 17: V17, 18: V18, 19: V19 };

export function serverVersionInfo(t: VersionTraits): [number, number, number, string, number, string] {
  return [t.version, 0, 0, 'final', 0, ''];
}
