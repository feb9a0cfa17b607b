/**
 * What differs between the Odoo versions Tandem supports, in ONE table. Adapters never test the version
 * number themselves: they read the trait they need from here.
 *
 * Sources: recordings of a real 17.0 and 19.0 (../shared/recordings), PLATFORMS.md, and Odoo's source for
 * 16 and 18 (stock.immediate.transfer exists up to 16; account.payment got its own model and `memo` in 18;
 * `check_access_rights` is deprecated from 18 in favour of `has_access`).
 */
import type { Json } from '../contract.js';

export type OdooMajor = 16 | 17 | 18 | 19;
export const SUPPORTED_MAJORS: readonly OdooMajor[] = [16, 17, 18, 19];

export interface OdooTraits {
  major: number;
  /** Protocol used when settings say 'auto'. */
  protocol: 'jsonrpc' | 'json2';
  /** Values that make a product.template/product.product storable (stock-tracked). */
  storable: Record<string, Json>;
  /** Values for a goods product whose stock is not tracked. */
  consumable: Record<string, Json>;
  /** Fields to read to know the product type. */
  productTypeFields: string[];
  /** stock.move field holding the done quantity. */
  moveDoneField: 'quantity_done' | 'quantity';
  /** 17+: moves are marked `picked` before button_validate. */
  usesPicked: boolean;
  /** 16: button_validate with nothing done returns the stock.immediate.transfer wizard. */
  immediateTransferWizard: boolean;
  /** stock.return.picking method that creates the return picking. */
  returnMethod: 'create_returns' | 'action_create_returns';
  /** 19: return wizard lines default to 0 (17: to the delivered quantity). We always set them anyway. */
  returnLinesDefaultZero: boolean;
  saleLineUomField: 'product_uom' | 'product_uom_id';
  saleLineTaxField: 'tax_id' | 'tax_ids';
  /** account.payment field carrying the memo (transaction reference). */
  paymentMemoField: 'ref' | 'memo';
  /** account.payment states meaning the money is recorded. */
  paymentDoneStates: string[];
  /** account.move one2many from an invoice to its credit notes. */
  reversalField: 'reversal_move_id' | 'reversal_move_ids';
  /** sale.order.action_cancel on a confirmed order returns the sale.order.cancel wizard (17/18). */
  cancelWizard: boolean;
  /** Name of a draft invoice before posting: "/" (≤17) or false (18+). */
  draftInvoiceName: '/' | false;
  /** res.partner has `mobile` (removed in 19). */
  partnerMobile: boolean;
  /** res.users field listing the groups. */
  userGroupsField: 'groups_id' | 'group_ids';
  /** How to ask "may the user do X on model M" without trying it. */
  accessCheck: 'check_access_rights' | 'has_access';
  /** Precision of stored write_date: 17 keeps microseconds, 19 compares on whole seconds. */
  writeDatePrecision: 'microseconds' | 'seconds';
  /** sale.order.delivery_status exists (16+ sale_stock); state 'started' exists in 19. */
  deliveryStatusField: boolean;
  /** stock.picking.return_id exists (read only where we are sure: 17+). */
  pickingReturnField: boolean;
  /** sale.order.locked boolean (17+); 16 locks with state 'done'. */
  lockedField: boolean;
  /** /jsonrpc logs a deprecation warning per call (19+); prefer JSON-2. */
  jsonrpcDeprecated: boolean;
  /** BaseModel.web_save (web module, 17+): create a list and answer its web_read in the same call. */
  webSave: boolean;
  /**
   * The delivery module is installed (delivery.carrier, sale.order.carrier_id, sale.order.line.is_delivery,
   * stock.picking.carrier_tracking_ref). Not a version trait: the connector asks the database once
   * (fields_get) and sets it; without it shipping lines are plain lines and tracking goes in the picking note.
   */
  delivery: boolean;
}

const V17: OdooTraits = {
  major: 17,
  protocol: 'jsonrpc',
  storable: { detailed_type: 'product' },
  consumable: { detailed_type: 'consu' },
  productTypeFields: ['detailed_type', 'type'],
  moveDoneField: 'quantity',
  usesPicked: true,
  immediateTransferWizard: false,
  returnMethod: 'create_returns',
  returnLinesDefaultZero: false,
  saleLineUomField: 'product_uom',
  saleLineTaxField: 'tax_id',
  paymentMemoField: 'ref',
  paymentDoneStates: ['posted'],
  reversalField: 'reversal_move_id',
  cancelWizard: true,
  draftInvoiceName: '/',
  partnerMobile: true,
  userGroupsField: 'groups_id',
  accessCheck: 'check_access_rights',
  writeDatePrecision: 'microseconds',
  deliveryStatusField: true,
  pickingReturnField: true,
  lockedField: true,
  jsonrpcDeprecated: false,
  webSave: true,
  delivery: true,
};

const V16: OdooTraits = {
  ...V17,
  major: 16,
  moveDoneField: 'quantity_done',
  usesPicked: false,
  immediateTransferWizard: true,
  pickingReturnField: false,
  lockedField: false,
  webSave: false,
};

const V18: OdooTraits = {
  ...V17,
  major: 18,
  storable: { type: 'consu', is_storable: true },
  consumable: { type: 'consu', is_storable: false },
  productTypeFields: ['type', 'is_storable'],
  returnMethod: 'action_create_returns',
  paymentMemoField: 'memo',
  paymentDoneStates: ['paid', 'in_process'],
  reversalField: 'reversal_move_ids',
  draftInvoiceName: false,
  accessCheck: 'has_access',
};

const V19: OdooTraits = {
  ...V18,
  major: 19,
  protocol: 'json2',
  returnLinesDefaultZero: true,
  saleLineUomField: 'product_uom_id',
  saleLineTaxField: 'tax_ids',
  cancelWizard: false,
  partnerMobile: false,
  userGroupsField: 'group_ids',
  writeDatePrecision: 'seconds',
  jsonrpcDeprecated: true,
};

const TABLE: Record<OdooMajor, OdooTraits> = { 16: V16, 17: V17, 18: V18, 19: V19 };

/**
 * Traits of a major version. Versions after 19 get 19's traits (the newest we know), versions before 16
 * are refused by `check` but get 16's traits here so that reading still works as far as it can.
 */
export function traitsFor(major: number): OdooTraits {
  if (major >= 19) return { ...TABLE[19], major };
  if (major <= 16) return { ...TABLE[16], major };
  return TABLE[major as OdooMajor];
}

export function isSupportedMajor(major: number): boolean {
  return major >= 16;
}

/** "17.0-20240709" / "saas~17.2" / [17, 0, 0, "final", 0, ""] → 17. */
export function parseMajor(version: unknown): number | null {
  if (Array.isArray(version) && typeof version[0] === 'number') return version[0];
  if (typeof version === 'string') {
    const m = /(\d+)\.\d+/.exec(version);
    if (m) return Number(m[1]);
  }
  return null;
}

/** Domain selecting storable (stock-tracked) products, on product.template or product.product. */
export function storableDomain(traits: OdooTraits): Json[] {
  return 'is_storable' in traits.storable ? [['is_storable', '=', true]] : [['type', '=', 'product']];
}
