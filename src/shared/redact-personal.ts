/**
 * Personal data out of stored payloads: what a viewer sees of dead letters, traces and audit rows, and
 * what the retention purge leaves of old ones. Works on any JSON in any system's shape (canonical
 * records, WooCommerce billing/shipping, Odoo partners, REST-shop customers): a field is personal by its
 * name (email, phone, first/last name, street, zip…); `name`-like fields are personal inside an object
 * that describes a person or an address (it has a personal field, or sits under `billing`, `customer`,
 * `addresses`…), so a product's name stays; an Odoo many2one to a partner (`partner_id: [7, "Jane Doe"]`)
 * keeps its id and loses its display name; e-mail addresses inside any text are masked.
 * Pure: returns a copy, never changes its input.
 */

export const REDACTED_VALUE = '[redacted]';

type JsonLike = null | boolean | number | string | JsonLike[] | { [key: string]: JsonLike };

/** Field names (compared lower-case, without `_` and `-`) that hold personal data wherever they are. */
const PERSONAL_FIELDS = new Set([
  'email', 'emailaddress', 'billingemail', 'customeremail', 'phone', 'phonenumber', 'mobile', 'fax',
  'firstname', 'lastname', 'fullname', 'givenname', 'familyname', 'surname', 'middlename', 'username', 'login',
  'street', 'street1', 'street2', 'street3', 'address', 'address1', 'address2', 'addressline1', 'addressline2',
  'city', 'zip', 'postcode', 'postalcode', 'vat', 'taxid', 'birthdate', 'dateofbirth', 'iban', 'ip', 'ipaddress', 'customerip', 'customeripaddress',
  'customernote', 'note',
]);

/** In an object describing a person or an address, these are personal too. */
const NAME_FIELDS = new Set(['name', 'displayname', 'company', 'companyname', 'contactname', 'commercialcompanyname']);

/** Objects under these keys describe a person or an address. */
const PERSON_KEYS = new Set([
  'billing', 'shipping', 'customer', 'customers', 'partner', 'partners', 'contact', 'contacts', 'address', 'addresses',
  'billingaddress', 'shippingaddress', 'deliveryaddress', 'invoiceaddress', 'recipient', 'buyer', 'user',
]);

/** Odoo many2one fields pointing to a partner: `[id, "display name"]`. */
const PARTNER_REF = /^(commercial_)?partner(_[a-z]+)?_id$|^user_id$/;

const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

const norm = (key: string): string => key.toLowerCase().replace(/[_-]/g, '');

function maskText(text: string): string {
  return text.replace(EMAIL_IN_TEXT, REDACTED_VALUE);
}

function redactLeaf(value: JsonLike): JsonLike {
  if (value === null || value === '' || typeof value === 'boolean' || typeof value === 'number') return value;
  if (typeof value === 'string') return REDACTED_VALUE;
  if (Array.isArray(value)) return value.map(redactLeaf);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactLeaf(v)]));
}

function describesPerson(obj: Record<string, JsonLike>): boolean {
  return Object.keys(obj).some((k) => PERSONAL_FIELDS.has(norm(k)));
}

function walk(value: JsonLike, personContext: boolean): JsonLike {
  if (typeof value === 'string') return maskText(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => walk(v, personContext));
  const person = personContext || describesPerson(value);
  const out: Record<string, JsonLike> = {};
  for (const [key, v] of Object.entries(value)) {
    const k = norm(key);
    if (PERSONAL_FIELDS.has(k) || (person && NAME_FIELDS.has(k))) out[key] = redactLeaf(v);
    else if (PARTNER_REF.test(key) && Array.isArray(v) && v.length === 2 && typeof v[1] === 'string') out[key] = [v[0] as JsonLike, REDACTED_VALUE];
    else out[key] = walk(v, PERSON_KEYS.has(k));
  }
  return out;
}

/** A copy of `value` with personal fields replaced by "[redacted]" (ids, amounts, SKUs and states stay). */
export function redactPersonal<T>(value: T): T {
  if (value === undefined) return value;
  return walk(JSON.parse(JSON.stringify(value)) as JsonLike, false) as T;
}
