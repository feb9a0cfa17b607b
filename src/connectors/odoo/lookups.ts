/**
 * Static reference data, read once per connector instance and cached: company currency, countries and
 * states, warehouses and stock locations, product attributes, taxes, bank journal, pricelists, carriers.
 * A failed lookup is not cached (the next call tries again).
 */
import type { Json } from '../contract.js';
import { SyncError } from '../../shared/errors.js';
import type { OdooTransport } from './transport.js';
import { SYSTEM } from './errors.js';
import { m2oId, m2oName, text, type OdooRecord } from './values.js';

export interface Location {
  id: number;
  /** complete_name, e.g. "WH/Stock" — the location id Tandem uses. */
  name: string;
  warehouse: string | null;
}

export interface SaleTax {
  id: number;
  name: string;
  /** account.tax amount as Odoo returns it (15.0 → "15"). */
  amount: string;
  amountType: string;
  priceInclude: boolean;
  company: number | null;
}

export interface AttributeIds {
  id: number;
  values: Map<string, number>;
}

export class OdooLookups {
  private memo = new Map<string, Promise<unknown>>();
  readonly attributes = new Map<string, AttributeIds>();
  /** The attribute find-or-create in progress: calls run one after another (see ensureAttributes). */
  private attributesTail: Promise<unknown> = Promise.resolve();
  private readonly states = new Map<number, Map<string, number>>();

  constructor(
    private readonly t: OdooTransport,
    private readonly settings: { company?: number; warehouse?: string; stockLocations?: string[] },
  ) {}

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      this.memo.set(key, p);
      p.catch(() => this.memo.delete(key));
    }
    return p;
  }

  company(): Promise<{ id: number; currency: string; currencyId: number }> {
    return this.once('company', async () => {
      const domain: Json[] = this.settings.company ? [['id', '=', this.settings.company]] : [];
      const [c] = await this.t.call<OdooRecord[]>('res.company', 'search_read', { kwargs: { domain, fields: ['currency_id'], limit: 1, order: 'id asc' } });
      if (!c) throw new SyncError('config', 'no company visible to the integration user', { system: SYSTEM, hint: 'check `company` in tandem.yaml and the user\'s allowed companies' });
      return { id: c.id, currency: m2oName(c.currency_id) ?? 'USD', currencyId: m2oId(c.currency_id) ?? 0 };
    });
  }

  /** ISO code ↔ res.country id, all countries in one call. */
  countries(): Promise<{ byCode: Map<string, number>; byId: Map<number, string> }> {
    return this.once('countries', async () => {
      const rows = await this.t.call<OdooRecord[]>('res.country', 'search_read', { kwargs: { domain: [], fields: ['code'] } });
      const byCode = new Map<string, number>();
      const byId = new Map<number, string>();
      for (const r of rows) {
        const code = text(r.code)?.toUpperCase();
        if (!code) continue;
        byCode.set(code, r.id);
        byId.set(r.id, code);
      }
      return { byCode, byId };
    });
  }

  /**
   * State code → id within a country, case-insensitive. Odoo stores some countries' states with the
   * country in the code ("DE-BY" on 17/19) where shops send "BY": both forms are keys.
   */
  async statesOf(countryId: number): Promise<Map<string, number>> {
    const known = this.states.get(countryId);
    if (known) return known;
    const [rows, { byId }] = await Promise.all([
      this.t.call<OdooRecord[]>('res.country.state', 'search_read', { kwargs: { domain: [['country_id', '=', countryId]], fields: ['code'] } }),
      this.countries(),
    ]);
    const map = new Map<string, number>();
    for (const r of rows) {
      const code = text(r.code)?.toUpperCase();
      if (!code) continue;
      map.set(code, r.id);
      map.set(shopStateCode(code, byId.get(countryId)), r.id);
    }
    this.states.set(countryId, map);
    return map;
  }

  /** state id → code as shops use it ("DE-BY" → "BY"), for the given state ids (one call). */
  async stateCodes(stateIds: number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    const want = [...new Set(stateIds)];
    if (want.length === 0) return out;
    const [rows, { byId }] = await Promise.all([this.t.call<OdooRecord[]>('res.country.state', 'read', { ids: want, kwargs: { fields: ['code', 'country_id'] } }), this.countries()]);
    for (const r of rows) {
      const code = text(r.code)?.toUpperCase();
      const country = m2oId(r.country_id);
      if (code) out.set(r.id, shopStateCode(code, country === null ? undefined : byId.get(country)));
    }
    return out;
  }

  warehouses(): Promise<Array<{ id: number; code: string; name: string; stockLocation: number }>> {
    return this.once('warehouses', async () => {
      const rows = await this.t.call<OdooRecord[]>('stock.warehouse', 'search_read', { kwargs: { domain: [], fields: ['code', 'name', 'lot_stock_id'], order: 'id asc' } });
      return rows.map((r) => ({ id: r.id, code: text(r.code) ?? '', name: text(r.name) ?? '', stockLocation: m2oId(r.lot_stock_id) ?? 0 }));
    });
  }

  /** The warehouse for orders and stock: `warehouse` from settings (by code), else the first one. */
  async warehouse(): Promise<{ id: number; code: string; name: string; stockLocation: number }> {
    const all = await this.warehouses();
    const w = this.settings.warehouse ? all.find((x) => x.code === this.settings.warehouse) : all[0];
    if (!w) {
      throw new SyncError('config', this.settings.warehouse ? `no warehouse with code "${this.settings.warehouse}"` : 'Odoo has no warehouse', {
        system: SYSTEM,
        hint: `set warehouse in tandem.yaml to one of: ${all.map((x) => x.code).join(', ') || '(none: install Inventory)'}`,
      });
    }
    return w;
  }

  /** Internal locations (id, complete name, warehouse code). */
  internalLocations(): Promise<Location[]> {
    return this.once('locations', async () => {
      const [rows, whs] = await Promise.all([
        this.t.call<OdooRecord[]>('stock.location', 'search_read', { kwargs: { domain: [['usage', '=', 'internal']], fields: ['complete_name', 'warehouse_id'], order: 'complete_name asc' } }),
        this.warehouses(),
      ]);
      const codeOf = new Map(whs.map((w) => [w.id, w.code]));
      return rows.map((r) => ({ id: r.id, name: text(r.complete_name) ?? String(r.id), warehouse: codeOf.get(m2oId(r.warehouse_id) ?? -1) ?? null }));
    });
  }

  /**
   * Sellable stock locations: each warehouse's stock location, plus each configured internal location
   * (`stock.locations`) outside them, e.g. "WH/Overflow" beside "WH/Stock". Quantities are read per
   * location with its children (child_of), so a location inside one already read is not read again.
   */
  async stockLocations(): Promise<Location[]> {
    const [whs, all] = await Promise.all([this.warehouses(), this.internalLocations()]);
    const wanted = this.settings.warehouse ? whs.filter((w) => w.code === this.settings.warehouse) : whs;
    const out = wanted.map((w) => all.find((l) => l.id === w.stockLocation) ?? { id: w.stockLocation, name: `${w.code}/Stock`, warehouse: w.code });
    const inside = (name: string, l: Location) => name === l.name || name.startsWith(`${l.name}/`);
    for (const ref of this.settings.stockLocations ?? []) {
      // a warehouse code ("WH2") or an unknown name is not a location of its own
      const hit = all.find((l) => l.name === ref);
      if (hit && !out.some((l) => inside(hit.name, l))) out.push(hit);
    }
    return out;
  }

  /** A location given as complete name ("WH/Stock") or id ("8"). */
  async location(ref: string): Promise<Location> {
    const all = await this.internalLocations();
    const hit = all.find((l) => l.name === ref) ?? all.find((l) => String(l.id) === ref);
    if (!hit) {
      throw new SyncError('not_found', `no internal stock location "${ref}" in Odoo`, {
        system: SYSTEM,
        hint: `use one of: ${all.map((l) => l.name).join(', ')}`,
      });
    }
    return hit;
  }

  bankJournal(): Promise<number> {
    return this.once('bank', async () => {
      const [j] = await this.t.call<OdooRecord[]>('account.journal', 'search_read', { kwargs: { domain: [['type', '=', 'bank']], fields: ['name'], limit: 1, order: 'sequence asc, id asc' } });
      if (!j) throw new SyncError('config', 'Odoo has no bank journal to register payments in', { system: SYSTEM, hint: 'create a Bank journal in Invoicing → Configuration → Journals' });
      return j.id;
    });
  }

  /** Sale pricelist in a currency (orders in a currency other than the company's need one). */
  pricelistFor(currency: string): Promise<number> {
    return this.once(`pricelist:${currency}`, async () => {
      const [p] = await this.t.call<OdooRecord[]>('product.pricelist', 'search_read', { kwargs: { domain: [['currency_id.name', '=', currency]], fields: ['name'], limit: 1, order: 'id asc' } });
      if (!p) {
        throw new SyncError('config', `Odoo has no pricelist in ${currency}, so an order in ${currency} cannot be created`, {
          system: SYSTEM,
          hint: `activate ${currency} (Accounting → Configuration → Currencies) and create a pricelist in ${currency} (Sales → Products → Pricelists)`,
        });
      }
      return p.id;
    });
  }

  pricelistByName(name: string): Promise<number | null> {
    return this.once(`pricelist-name:${name}`, async () => {
      const [p] = await this.t.call<OdooRecord[]>('product.pricelist', 'search_read', { kwargs: { domain: [['name', '=', name]], fields: ['name'], limit: 1 } });
      return p?.id ?? null;
    });
  }

  /** Optional modules, asked once (fields_get of sale.order): delivery adds carrier_id. */
  modules(): Promise<{ delivery: boolean }> {
    return this.once('modules', async () => {
      const fields = await this.t.call<Record<string, Json>>('sale.order', 'fields_get', { kwargs: { attributes: ['type'] } });
      return { delivery: 'carrier_id' in fields };
    });
  }

  /** Delivery methods; none when the delivery module is not installed. */
  carriers(): Promise<Array<{ id: number; name: string; productId: number | null }>> {
    return this.once('carriers', async () => {
      if (!(await this.modules()).delivery) return [];
      const rows = await this.t.call<OdooRecord[]>('delivery.carrier', 'search_read', { kwargs: { domain: [], fields: ['name', 'product_id'] } });
      return rows.map((r) => ({ id: r.id, name: text(r.name) ?? '', productId: m2oId(r.product_id) }));
    });
  }

  /** Active sale taxes (all companies the user sees; `company` false when shared). */
  saleTaxes(): Promise<SaleTax[]> {
    return this.once('taxes', async () => {
      const rows = await this.t.call<OdooRecord[]>('account.tax', 'search_read', {
        kwargs: { domain: [['type_tax_use', '=', 'sale']], fields: ['name', 'amount', 'amount_type', 'price_include', 'company_id'], order: 'sequence asc, id asc' },
      });
      return rows.map((r) => ({ id: r.id, name: text(r.name) ?? '', amount: String(r.amount ?? 0), amountType: text(r.amount_type) ?? 'percent', priceInclude: r.price_include === true, company: m2oId(r.company_id) }));
    });
  }

  /**
   * Finds or creates product attributes and their values by name (two reads, at most two creates). The
   * result is cached in `attributes`.
   *
   * Calls run strictly one after another, so two write groups in flight that need the same new value
   * (Size = 42 in both) never both create it: the second finds it in the cache. This is what lets the
   * engine's pipeline write groups that share attribute values side by side (batch-pipeline.ts
   * `conflictKeys` leaves attribute values out); Odoo has no unique constraint on an attribute's name, so
   * two concurrent creates would leave two "Size" attributes.
   */
  ensureAttributes(wanted: Array<{ name: string; values: string[] }>): Promise<Map<string, AttributeIds>> {
    const run = this.attributesTail.then(() => this.findOrCreateAttributes(wanted));
    this.attributesTail = run.catch(() => undefined);
    return run;
  }

  private async findOrCreateAttributes(wanted: Array<{ name: string; values: string[] }>): Promise<Map<string, AttributeIds>> {
    const names = [...new Set(wanted.map((w) => w.name))].filter((n) => !this.attributes.has(n) || wanted.some((w) => w.name === n && w.values.some((v) => !this.attributes.get(n)?.values.has(v))));
    if (names.length > 0) {
      const found = await this.t.call<OdooRecord[]>('product.attribute', 'search_read', { kwargs: { domain: [['name', 'in', names]], fields: ['name'] } });
      const idOf = new Map(found.map((r) => [text(r.name) ?? '', r.id]));
      const missing = names.filter((n) => !idOf.has(n));
      if (missing.length > 0) {
        const created = await this.t.call<number[] | number>('product.attribute', 'create', {
          kwargs: { vals_list: missing.map((n) => ({ name: n, create_variant: 'always', display_type: 'radio' })) },
        });
        const list = Array.isArray(created) ? created : [created];
        missing.forEach((n, i) => idOf.set(n, list[i] as number));
      }
      const attrIds = [...idOf.values()];
      const values = await this.t.call<OdooRecord[]>('product.attribute.value', 'search_read', { kwargs: { domain: [['attribute_id', 'in', attrIds]], fields: ['name', 'attribute_id'] } });
      for (const [name, id] of idOf) this.attributes.set(name, { id, values: new Map() });
      const byId = new Map([...idOf].map(([n, id]) => [id, n]));
      for (const v of values) {
        const attr = this.attributes.get(byId.get(m2oId(v.attribute_id) ?? -1) ?? '');
        if (attr) attr.values.set(text(v.name) ?? '', v.id);
      }
      const toCreate: Array<{ attr: string; value: string }> = [];
      for (const w of wanted) {
        const attr = this.attributes.get(w.name);
        for (const v of w.values) if (attr && !attr.values.has(v) && !toCreate.some((x) => x.attr === w.name && x.value === v)) toCreate.push({ attr: w.name, value: v });
      }
      if (toCreate.length > 0) {
        const created = await this.t.call<number[] | number>('product.attribute.value', 'create', {
          kwargs: { vals_list: toCreate.map((x) => ({ name: x.value, attribute_id: this.attributes.get(x.attr)!.id })) },
        });
        const list = Array.isArray(created) ? created : [created];
        toCreate.forEach((x, i) => this.attributes.get(x.attr)!.values.set(x.value, list[i] as number));
      }
    }
    return this.attributes;
  }
}

/** "DE-BY" in DE → "BY"; a code without its country's prefix is already the shop's form. */
export function shopStateCode(code: string, country: string | undefined): string {
  return country && code.startsWith(`${country}-`) ? code.slice(country.length + 1) : code;
}
