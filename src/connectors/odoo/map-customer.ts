/**
 * res.partner (commercial partner + its delivery/invoice child addresses) ↔ canonical Customer. Pure:
 * country and state codes come in as maps (id → code) and go out as ids resolved by the caller.
 */
import type { Address, Customer } from '../../model/index.js';
import { normalizeEmail } from '../../model/index.js';
import type { Json } from '../contract.js';
import { m2oId, text, type OdooRecord } from './values.js';

export const PARTNER_FIELDS = ['name', 'email', 'phone', 'street', 'street2', 'city', 'zip', 'state_id', 'country_id', 'type', 'parent_id', 'child_ids', 'is_company', 'company_name', 'commercial_company_name', 'active', 'write_date', 'customer_rank'];

export interface GeoCodes {
  countries: Map<number, string>;
  states: Map<number, string>;
}

/** "Anna Maria Muster" → first "Anna Maria", last "Muster" (Odoo keeps one name field). */
export function splitName(name: string): { firstName: string; lastName: string } {
  const n = name.trim().replace(/\s+/g, ' ');
  const i = n.lastIndexOf(' ');
  return i < 0 ? { firstName: n, lastName: '' } : { firstName: n.slice(0, i), lastName: n.slice(i + 1) };
}

export function joinName(firstName: string, lastName: string): string {
  return `${firstName} ${lastName}`.trim();
}

export function addressFromPartner(p: OdooRecord, type: Address['type'], geo: GeoCodes): Address {
  const country = m2oId(p.country_id);
  const state = m2oId(p.state_id);
  return {
    type,
    name: text(p.name) ?? '',
    company: text(p.company_name) ?? null,
    street: text(p.street) ?? '',
    street2: text(p.street2),
    city: text(p.city) ?? '',
    zip: text(p.zip) ?? '',
    state: state !== null ? (geo.states.get(state) ?? null) : null,
    country: country !== null ? (geo.countries.get(country) ?? null) : null,
    phone: text(p.phone),
    email: text(p.email),
  };
}

function hasAddress(p: OdooRecord): boolean {
  return !!(text(p.street) || text(p.city) || text(p.zip) || m2oId(p.country_id) !== null);
}

/** Parent partner + children → canonical customer. Throws RangeError when the partner has no email. */
export function customerFromOdoo(parent: OdooRecord, children: OdooRecord[], geo: GeoCodes): Customer {
  const email = text(parent.email)?.trim();
  if (!email) throw new RangeError(`partner ${parent.id} "${text(parent.name) ?? ''}" has no email, so it cannot be matched to a shop customer`);
  const isCompany = parent.is_company === true;
  // partnerVals names a customer with neither name nor company after its email: that name is no first name
  const nameIsEmail = normalizeEmail(text(parent.name) ?? '') === normalizeEmail(email);
  const { firstName, lastName } = isCompany || nameIsEmail ? { firstName: '', lastName: '' } : splitName(text(parent.name) ?? '');
  const addresses: Address[] = [];
  const kids: Address[] = [];
  for (const c of [...children].sort((a, b) => a.id - b.id)) {
    if (c.active === false) continue;
    const t = text(c.type);
    if (t === 'delivery' || t === 'invoice') kids.push(addressFromPartner(c, t, geo));
  }
  // partnerVals copies the first invoice address onto the parent when there is no contact address: that copy
  // is not an address of its own (reading it as one would make every such customer differ after a round trip)
  const firstInvoice = kids.find((a) => a.type === 'invoice');
  if (hasAddress(parent)) {
    const own = addressFromPartner(parent, 'contact', geo);
    if (!firstInvoice || placeKey(own) !== placeKey(firstInvoice)) addresses.push(own);
  }
  addresses.push(...kids);
  return {
    email,
    firstName,
    lastName,
    company: isCompany ? (text(parent.name) ?? null) : (text(parent.company_name) ?? text(parent.commercial_company_name) ?? null),
    phone: text(parent.phone),
    addresses,
  };
}

/** Where an address is (not who or how to reach): street, street2, zip, city, state, country. */
function placeKey(a: Address): string {
  return [a.street, a.street2 ?? '', a.zip, a.city, a.state ?? '', a.country ?? ''].map((x) => x.trim().toLowerCase()).join('|');
}

export interface GeoIds {
  country: (code: string | null) => number | false;
  state: (countryCode: string | null, stateCode: string | null) => number | false;
}

function addressVals(a: Address, geo: GeoIds): Record<string, Json> {
  return {
    street: a.street || false,
    street2: a.street2 || false,
    city: a.city || false,
    zip: a.zip || false,
    country_id: geo.country(a.country),
    state_id: geo.state(a.country, a.state),
  };
}

/** Values of the parent partner. The main ('contact') address, else the first invoice address, goes on it. */
export function partnerVals(c: Customer, geo: GeoIds, mode: 'create' | 'update'): Record<string, Json> {
  const name = joinName(c.firstName, c.lastName) || c.company || c.email;
  const vals: Record<string, Json> = {
    name,
    email: c.email.trim(),
    phone: c.phone || false,
  };
  if (c.company && joinName(c.firstName, c.lastName)) vals.company_name = c.company;
  const main = c.addresses.find((a) => a.type === 'contact') ?? c.addresses.find((a) => a.type === 'invoice');
  if (main) Object.assign(vals, addressVals(main, geo));
  if (mode === 'create') {
    vals.customer_rank = 1;
    vals.type = 'contact';
  }
  return vals;
}

export function childVals(a: Address, geo: GeoIds, fallbackName: string): Record<string, Json> {
  return {
    type: a.type === 'contact' ? 'other' : a.type,
    name: a.name || fallbackName,
    phone: a.phone || false,
    email: a.email || false,
    ...addressVals(a, geo),
  };
}

/** Identity of an address for matching an existing child partner: type + name + street + zip + city + country. */
export function addressKey(a: { type: string; name: string; street: string; zip: string; city: string; country: string | null }): string {
  return [a.type, a.name, a.street, a.zip, a.city, a.country ?? ''].map((s) => s.trim().toLowerCase()).join('|');
}

/**
 * Child address commands for a write: [0,0,{…}] for addresses not yet present among the existing children,
 * and — for an update of the whole customer (`archiveMissing`) — [1,id,{active:false}] for invoice/delivery
 * children it no longer has (an address changed in the shop replaces the old one; archived, not deleted, so
 * past orders and invoices keep it). A create that found the partner by email archives nothing.
 */
export function childCommands(c: Customer, existing: OdooRecord[], geo: GeoIds, codes: GeoCodes, opts: { archiveMissing?: boolean } = {}): Json[] {
  const fallback = joinName(c.firstName, c.lastName) || c.company || c.email;
  const keyOf = (e: OdooRecord) => addressKey(addressFromPartner(e, (text(e.type) ?? 'contact') as Address['type'], codes));
  const active = existing.filter((e) => e.active !== false);
  const have = new Set(active.map(keyOf));
  const wanted = new Set<string>();
  const out: Json[] = [];
  for (const a of c.addresses) {
    if (a.type === 'contact') continue;
    const key = addressKey({ ...a, name: a.name || fallback });
    wanted.add(key);
    if (have.has(key)) continue;
    have.add(key);
    out.push([0, 0, childVals(a, geo, fallback)]);
  }
  if (!opts.archiveMissing) return out;
  for (const e of active) {
    const t = text(e.type);
    if ((t === 'invoice' || t === 'delivery') && !wanted.has(keyOf(e))) out.push([1, e.id, { active: false }]);
  }
  return out;
}

export function emailKey(email: string): string {
  return normalizeEmail(email);
}
