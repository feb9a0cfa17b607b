/**
 * The database: models (spec + merged field metadata + table), xml ids, users and the clock.
 */
import type { OdooVersion } from '../types.js';
import type { VersionTraits } from '../versions.js';
import { type FieldDef, makeField, recordedFields } from './fields.js';
import type { Db, Model, ModelSpec, UserAuth } from './types.js';
import { Journal, Table } from './table.js';
import { SimClock } from './clock.js';

const BASE_FIELDS: Record<string, Partial<FieldDef> & { type: FieldDef['type'] }> = {
  id: { type: 'integer', string: 'ID', readonly: true },
  display_name: { type: 'char', string: 'Display Name', readonly: true, store: false },
  create_date: { type: 'datetime', string: 'Created on', readonly: true },
  create_uid: { type: 'many2one', relation: 'res.users', string: 'Created by', readonly: true },
  write_date: { type: 'datetime', string: 'Last Updated on', readonly: true },
  write_uid: { type: 'many2one', relation: 'res.users', string: 'Last Updated by', readonly: true },
};

/** one2many inverses the recorded metadata does not carry (relation_field was not requested). */
const INVERSES: Record<string, string> = {
  'res.partner.child_ids': 'parent_id',
  'product.template.product_variant_ids': 'product_tmpl_id',
  'product.template.attribute_line_ids': 'product_tmpl_id',
  'product.template.valid_product_template_attribute_line_ids': 'product_tmpl_id',
  'product.attribute.value_ids': 'attribute_id',
  'product.template.attribute.line.product_template_value_ids': 'attribute_line_id',
  'product.category.child_id': 'parent_id',
  'product.pricelist.item_ids': 'pricelist_id',
  'res.country.state_ids': 'country_id',
  'stock.location.child_ids': 'location_id',
  'stock.warehouse.route_ids': '',
  'sale.order.order_line': 'order_id',
  'stock.picking.move_ids': 'picking_id',
  'stock.picking.move_ids_without_package': 'picking_id',
  'stock.picking.move_line_ids': 'picking_id',
  'stock.move.move_line_ids': 'move_id',
  'account.move.line_ids': 'move_id',
  'account.move.invoice_line_ids': 'move_id',
  'stock.return.picking.product_return_moves': 'wizard_id',
  'res.users.apikeys_ids': 'user_id',
};

export class Database implements Db {
  readonly models = new Map<string, Model>();
  readonly xmlids = new Map<string, { model: string; id: number }>();
  readonly users = new Map<number, UserAuth>();
  readonly clock: SimClock;
  readonly journal = new Journal();
  /** Transaction timestamp (µs) of the call being served. */
  txUs = 0;
  /** Rows a search examined, in total (tests check that indexed searches stay off full scans). */
  rowsScanned = 0;

  constructor(
    readonly traits: VersionTraits,
    readonly dbName: string,
    specs: ModelSpec[],
    now?: () => Date,
  ) {
    this.clock = new SimClock(now);
    const recorded = recordedFields(traits.version);
    for (const spec of specs) {
      if (spec.versions && !spec.versions.includes(traits.version)) continue;
      this.models.set(spec.name, this.buildModel(spec, recorded.get(spec.name)));
    }
  }

  get version(): OdooVersion {
    return this.traits.version;
  }

  private buildModel(spec: ModelSpec, recorded: Map<string, FieldDef> | undefined): Model {
    const fields = new Map<string, FieldDef>();
    for (const [n, s] of Object.entries(BASE_FIELDS)) fields.set(n, makeField(n, s));
    if (recorded) for (const [n, f] of recorded) fields.set(n, { ...f });
    const extra = typeof spec.fields === 'function' ? spec.fields(this.traits.version) : (spec.fields ?? {});
    for (const [n, s] of Object.entries(extra)) {
      const prev = fields.get(n);
      // recorded metadata wins for attributes it has; specs only fill in what is missing
      fields.set(n, prev && recorded?.has(n) ? { ...makeField(n, s), ...prev, ...(s.inverse ? { inverse: s.inverse } : {}) } : makeField(n, s));
    }
    for (const [n, f] of fields) {
      if (f.type === 'one2many' && !f.inverse) {
        const inv = INVERSES[`${spec.name}.${n}`];
        if (inv) f.inverse = inv;
      }
    }
    const indexed = new Set(spec.indexes ?? []);
    return {
      name: spec.name,
      spec,
      fields,
      table: new Table(spec.name, [...indexed], spec.firstId ?? 1, this.journal),
      hasActive: fields.has('active'),
    };
  }

  /** Starts the transaction of one call: every record it stamps gets this time. */
  beginTx(): number {
    let us = this.clock.nowUs();
    if (!this.traits.writeDateMicroseconds) us = Math.floor(us / 1_000_000) * 1_000_000;
    this.txUs = us;
    return us;
  }

  private readonly sequences = new Map<string, number>();

  /** Next number of a named sequence (S, WH/OUT/, INV/2026/, …): 1, 2, 3… */
  nextSeq(key: string): number {
    const n = (this.sequences.get(key) ?? 0) + 1;
    this.sequences.set(key, n);
    return n;
  }

  setXmlid(xmlid: string, model: string, id: number): void {
    this.xmlids.set(xmlid, { model, id });
  }

  ref(xmlid: string): number {
    const r = this.xmlids.get(xmlid);
    if (!r) throw new Error(`simulator: unknown xml id ${xmlid}`);
    return r.id;
  }
}
