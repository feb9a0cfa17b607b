/**
 * Field metadata. The recorded fields_get of Odoo 17 and 19 (fields/odoo17.json, fields/odoo19.json, copied
 * from ../shared/recordings) are the base; 16 derives from 17 and 18 from 19 with the documented differences.
 * Models the recordings do not cover get their fields from the model definitions (models/*.ts).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OdooVersion } from '../types.js';

export type FieldType =
  | 'char'
  | 'text'
  | 'html'
  | 'integer'
  | 'float'
  | 'monetary'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'selection'
  | 'many2one'
  | 'one2many'
  | 'many2many'
  | 'binary'
  | 'json'
  | 'properties'
  | 'properties_definition'
  | 'reference'
  | 'many2one_reference';

export interface FieldDef {
  name: string;
  type: FieldType;
  string: string;
  required: boolean;
  readonly: boolean;
  store: boolean;
  relation?: string;
  selection?: [string, string][];
  /** one2many: the many2one on the comodel pointing back. */
  inverse?: string;
  searchable?: boolean;
}

/** Attributes fields_get reports, in the order Odoo lists them. */
export type FieldsGetAttrs = Omit<FieldDef, 'name' | 'inverse'>;

type RawFields = Record<string, Record<string, Omit<FieldDef, 'name'>>>;

const cache = new Map<17 | 19, RawFields>();

function loadRaw(base: 17 | 19): RawFields {
  let raw = cache.get(base);
  if (!raw) {
    const path = fileURLToPath(new URL(`../fields/odoo${base}.json`, import.meta.url));
    raw = JSON.parse(readFileSync(path, 'utf8')) as RawFields;
    cache.set(base, raw);
  }
  return raw;
}

type Patch = { model: string; drop?: string[]; add?: Record<string, Partial<FieldDef> & { type: FieldType }> };

/** 16 = 17 minus picked/quantity on moves and the locked flag; plus quantity_done. */
const PATCH_16: Patch[] = [
  {
    model: 'stock.move',
    drop: ['picked', 'quantity'],
    add: {
      quantity_done: { type: 'float', string: 'Quantity Done' },
      reserved_availability: { type: 'float', string: 'Quantity Reserved', readonly: true, store: false },
    },
  },
  { model: 'sale.order', drop: ['locked'] },
];

/** 18 = 19 with the 17 names that 19 renamed or removed. */
const PATCH_18: Patch[] = [
  {
    model: 'sale.order.line',
    drop: ['product_uom_id', 'tax_ids'],
    add: {
      product_uom: { type: 'many2one', relation: 'uom.uom', string: 'Unit of Measure' },
      tax_id: { type: 'many2many', relation: 'account.tax', string: 'Taxes' },
    },
  },
  { model: 'stock.picking', add: { move_ids_without_package: { type: 'one2many', relation: 'stock.move', string: 'Stock moves not in package', inverse: 'picking_id' } } },
  { model: 'stock.move', add: { name: { type: 'char', string: 'Description', required: true } } },
  { model: 'res.partner', add: { mobile: { type: 'char', string: 'Mobile' } } },
  { model: 'res.users', drop: ['group_ids'], add: { groups_id: { type: 'many2many', relation: 'res.groups', string: 'Groups' } } },
];

export function makeField(name: string, spec: Partial<FieldDef> & { type: FieldType }): FieldDef {
  return {
    name,
    type: spec.type,
    string: spec.string ?? name.replace(/_/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase()),
    required: spec.required ?? false,
    readonly: spec.readonly ?? false,
    store: spec.store ?? true,
    ...(spec.relation ? { relation: spec.relation } : {}),
    ...(spec.selection ? { selection: spec.selection } : {}),
    ...(spec.inverse ? { inverse: spec.inverse } : {}),
    ...(spec.searchable === false ? { searchable: false } : {}),
  };
}

/** Fields per model for one version (recorded models only). */
export function recordedFields(version: OdooVersion): Map<string, Map<string, FieldDef>> {
  const base = version <= 17 ? 17 : 19;
  const raw = loadRaw(base);
  const out = new Map<string, Map<string, FieldDef>>();
  for (const [model, fields] of Object.entries(raw)) {
    const m = new Map<string, FieldDef>();
    for (const [name, f] of Object.entries(fields)) m.set(name, { ...f, name, required: !!f.required, readonly: !!f.readonly, store: !!f.store });
    out.set(model, m);
  }
  const patches = version === 16 ? PATCH_16 : version === 18 ? PATCH_18 : [];
  for (const p of patches) {
    const m = out.get(p.model);
    if (!m) continue;
    for (const d of p.drop ?? []) m.delete(d);
    for (const [name, spec] of Object.entries(p.add ?? {})) m.set(name, makeField(name, spec));
  }
  return out;
}

export function fieldsGetAttrs(f: FieldDef, attributes: string[] | null): Record<string, unknown> {
  const all: Record<string, unknown> = {
    readonly: f.readonly,
    required: f.required,
    store: f.store,
    string: f.string,
    type: f.type,
  };
  if (f.relation) all.relation = f.relation;
  if (f.selection) all.selection = f.selection;
  if (f.searchable === false) all.searchable = false;
  if (f.type === 'one2many' && f.inverse) all.relation_field = f.inverse;
  if (!attributes || attributes.length === 0) {
    return { ...all, sortable: f.store, searchable: f.searchable ?? true, manual: false, depends: [], company_dependent: false, groupable: f.store };
  }
  const out: Record<string, unknown> = {};
  for (const a of attributes) if (a in all) out[a] = all[a];
  return out;
}
