/**
 * The ERP customer of a shop order: through the customer link, else by normalized email, else created
 * (with the order's invoice and delivery addresses). An email carried by two ERP partners is an error.
 */
import type { Customer, Order } from '../../model/entities.js';
import { normalizeEmail } from '../../model/entities.js';
import { SyncError } from '../../shared/errors.js';
import type { Engine } from '../context.js';
import { customerLock, withLock } from '../lock.js';
import { writeBatches } from '../records/write-batches.js';

export function customerFromOrder(order: Order): Customer {
  const addresses: Customer['addresses'] = [];
  if (order.billingAddress) addresses.push({ ...order.billingAddress, type: 'invoice' });
  if (order.shippingAddress) addresses.push({ ...order.shippingAddress, type: 'delivery' });
  return {
    email: normalizeEmail(order.customer.email),
    firstName: order.customer.firstName,
    lastName: order.customer.lastName,
    company: order.billingAddress?.company ?? null,
    phone: order.customer.phone ?? order.billingAddress?.phone ?? null,
    addresses,
  };
}

/** What the ERP knows of an order's customer before anything is written: the linked or matching partner, or none. */
export interface CustomerLookup {
  partnerId: string | null;
  /** Found through the customer link (nothing left to store). */
  linked: boolean;
}

/** Reads only (the link, else one search by email), so it can run next to the order's other lookups. */
export async function lookupCustomer(engine: Engine, order: Order): Promise<CustomerLookup> {
  const shopCustomerId = order.customer.id;
  if (shopCustomerId) {
    const link = await engine.store.links.get('customer', 'shop', shopCustomerId);
    if (link) return { partnerId: link.erpId, linked: true };
  }
  const email = normalizeEmail(order.customer.email);
  const found = await engine.erp.findByNaturalKey('customer', [{ type: 'email', value: email }]);
  const ids = found.get(`email:${email}`) ?? [];
  if (ids.length > 1) {
    throw new SyncError('conflict', `customer email ${email} matches ${ids.length} ERP partners (${ids.join(', ')})`, { entity: 'order', record: order.number, field: 'customer.email', hint: 'merge the duplicate partners in the ERP, then replay' });
  }
  return { partnerId: ids[0] ?? null, linked: false };
}

export async function resolveCustomer(engine: Engine, order: Order, lookup?: CustomerLookup): Promise<{ partnerId: string; created: boolean }> {
  const found = lookup ?? (await lookupCustomer(engine, order));
  if (found.linked && found.partnerId) return { partnerId: found.partnerId, created: false };
  const shopCustomerId = order.customer.id;
  let partnerId = found.partnerId;
  let created = false;
  if (!partnerId) {
    const email = normalizeEmail(order.customer.email);
    // another order or the customer flow may be creating this customer right now: create under the email's
    // lease, where the connector's find-before-create sees what the other one made
    const create = { kind: 'create' as const, key: shopCustomerId ?? email, record: customerFromOrder(order) };
    const [res] = await withLock(engine, customerLock(email), () => writeBatches(engine.erp, 'customer', [create], { lookup: () => undefined }, 1), { wait: true });
    if (!res?.ok) throw (res?.error ?? new SyncError('invalid_data', 'customer create returned no result')).about({ entity: 'order', record: order.number, field: 'customer' });
    partnerId = res.id;
    created = true;
  }
  if (shopCustomerId) {
    const existing = await engine.store.links.get('customer', 'erp', partnerId);
    if (!existing) await engine.store.links.upsertMany([{ entity: 'customer', shopId: shopCustomerId, erpId: partnerId }]);
  }
  return { partnerId, created };
}
