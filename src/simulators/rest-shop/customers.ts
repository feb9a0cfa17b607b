/** The shop's customers, unique by email (case-insensitive, as MySQL's default collation compares). */
import { ChangeFeed, type MicroClock } from './feed.js';
import { notFound, Validator } from './validate.js';

export interface SimAddress {
  type: 'contact' | 'invoice' | 'delivery';
  name: string;
  company: string | null;
  street: string;
  street2: string | null;
  city: string;
  zip: string;
  state: string | null;
  country: string | null;
  phone: string | null;
  email: string | null;
}

export interface SimCustomer {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  company: string | null;
  phone: string | null;
  addresses: SimAddress[];
  createdAt: number;
  updatedAt: number;
}

type Item = Record<string, unknown>;

const str = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v));

export function toAddress(a: Item, fallback: SimAddress['type'] = 'contact'): SimAddress {
  const type = a.type === 'invoice' || a.type === 'delivery' || a.type === 'contact' ? a.type : fallback;
  return {
    type,
    name: String(a.name ?? ''),
    company: str(a.company),
    street: String(a.street ?? ''),
    street2: str(a.street2),
    city: String(a.city ?? ''),
    zip: String(a.zip ?? ''),
    state: str(a.state),
    country: str(a.country),
    phone: str(a.phone),
    email: str(a.email),
  };
}

export class Customers {
  readonly byId = new Map<number, SimCustomer>();
  readonly byEmail = new Map<string, number>();
  readonly feed = new ChangeFeed();
  private nextId = 200;

  constructor(private readonly clock: MicroClock) {}

  findByEmail(email: string): SimCustomer | undefined {
    const id = this.byEmail.get(email.trim().toLowerCase());
    return id === undefined ? undefined : this.byId.get(id);
  }

  upsert(item: Item): { status: 200 | 201; row: SimCustomer } {
    const v = new Validator();
    const existing = item.id !== undefined ? this.byId.get(Number(item.id)) : undefined;
    if (item.id !== undefined && !existing) throw notFound('Customer', item.id);
    if (!existing || 'email' in item) v.required('email', item.email);
    v.string('email', item.email);
    v.email('email', item.email);
    if (typeof item.email === 'string') {
      const other = this.findByEmail(item.email);
      if (other && other.id !== existing?.id) v.add('email', 'The email has already been taken.');
    }
    v.string('first_name', item.first_name);
    v.string('last_name', item.last_name);
    const addresses = Array.isArray(item.addresses) ? (item.addresses as Item[]) : [];
    addresses.forEach((a, i) => {
      if (a.country !== undefined && a.country !== null && !/^[A-Za-z]{2}$/.test(String(a.country))) v.add(`addresses.${i}.country`, `The addresses.${i}.country field must be 2 characters.`);
    });
    v.check();
    const now = this.clock.now();
    const c: SimCustomer = existing ?? { id: ++this.nextId, email: '', firstName: '', lastName: '', company: null, phone: null, addresses: [], createdAt: now, updatedAt: now };
    if (typeof item.email === 'string') {
      this.byEmail.delete(c.email.toLowerCase());
      c.email = item.email.trim();
      this.byEmail.set(c.email.toLowerCase(), c.id);
    }
    if (item.first_name !== undefined) c.firstName = String(item.first_name ?? '');
    if (item.last_name !== undefined) c.lastName = String(item.last_name ?? '');
    if (item.company !== undefined) c.company = str(item.company);
    if (item.phone !== undefined) c.phone = str(item.phone);
    if (Array.isArray(item.addresses)) c.addresses = addresses.map((a) => toAddress(a));
    c.updatedAt = this.clock.now();
    this.byId.set(c.id, c);
    this.feed.touch(c.id, c.updatedAt);
    return { status: existing ? 200 : 201, row: c };
  }
}
