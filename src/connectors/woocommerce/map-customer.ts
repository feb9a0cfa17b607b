/** Pure mappers: WooCommerce customers and addresses ↔ canonical Customer / Address. */
import type { Address, Customer } from '../../model/index.js';
import type { WooAddress, WooCustomer } from './wire.js';

function orNull(s: string | undefined | null): string | null {
  return s && s.trim() !== '' ? s : null;
}

export function isEmptyAddress(a: WooAddress | undefined): boolean {
  return !a || [a.address_1, a.address_2, a.city, a.postcode, a.country, a.company].every((x) => !x);
}

export function toAddress(a: WooAddress, type: Address['type']): Address {
  const name = [a.first_name, a.last_name].filter(Boolean).join(' ');
  const country = a.country && /^[A-Z]{2}$/.test(a.country) ? a.country : null;
  // Some shops store "DE-BE" for a state; the canonical form is the code within the country.
  const state = a.state ? (country && a.state.startsWith(`${country}-`) ? a.state.slice(country.length + 1) : a.state) : null;
  return {
    type,
    name,
    company: orNull(a.company),
    street: a.address_1 ?? '',
    street2: orNull(a.address_2),
    city: a.city ?? '',
    zip: a.postcode ?? '',
    state,
    country,
    phone: orNull(a.phone),
    email: orNull(a.email),
  };
}

export function toCustomer(c: WooCustomer): Customer {
  const addresses: Address[] = [];
  if (!isEmptyAddress(c.billing)) addresses.push(toAddress(c.billing, 'invoice'));
  if (!isEmptyAddress(c.shipping)) addresses.push(toAddress(c.shipping, 'delivery'));
  return {
    email: c.email,
    firstName: c.first_name ?? '',
    lastName: c.last_name ?? '',
    company: orNull(c.billing?.company),
    phone: orNull(c.billing?.phone),
    addresses,
  };
}

function splitName(name: string, fallback: { first: string; last: string }): { first: string; last: string } {
  const t = name.trim();
  if (!t) return fallback;
  const i = t.lastIndexOf(' ');
  return i < 0 ? { first: t, last: '' } : { first: t.slice(0, i), last: t.slice(i + 1) };
}

export function fromAddress(a: Address | undefined, person: { first: string; last: string }, extra: { email?: string; phone?: string | null; company?: string | null }): Record<string, string> {
  const n = a ? splitName(a.name, person) : person;
  const out: Record<string, string> = {
    first_name: n.first,
    last_name: n.last,
    company: a?.company ?? extra.company ?? '',
    address_1: a?.street ?? '',
    address_2: a?.street2 ?? '',
    city: a?.city ?? '',
    state: a?.state ?? '',
    postcode: a?.zip ?? '',
    country: a?.country ?? '',
    phone: a?.phone ?? extra.phone ?? '',
  };
  if (extra.email !== undefined) out.email = extra.email;
  return out;
}

/** Canonical customer → Woo customer body. The email is sent as given (Woo matches it case-insensitively). */
export function customerPayload(c: Customer, fields: string[] | undefined): Record<string, unknown> {
  const has = (f: string) => !fields || fields.some((x) => x === f || x.startsWith(`${f}.`));
  const person = { first: c.firstName, last: c.lastName };
  const invoice = c.addresses.find((a) => a.type === 'invoice') ?? c.addresses.find((a) => a.type === 'contact');
  const delivery = c.addresses.find((a) => a.type === 'delivery');
  const body: Record<string, unknown> = {};
  if (has('email')) body.email = c.email.trim();
  if (has('firstName')) body.first_name = c.firstName;
  if (has('lastName')) body.last_name = c.lastName;
  if (has('addresses') || has('phone') || has('company')) {
    body.billing = fromAddress(invoice ?? (delivery ? { ...delivery, type: 'invoice' } : undefined), person, { email: c.email.trim(), phone: c.phone, company: c.company });
    if (delivery) {
      const { phone: _phone, ...ship } = fromAddress(delivery, person, {});
      body.shipping = ship;
    }
  }
  return body;
}
