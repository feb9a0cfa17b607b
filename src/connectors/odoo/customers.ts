/**
 * Customers: res.partner (the commercial partner is the record) with delivery/invoice child addresses.
 * Emails are matched with `=ilike` (Odoo's `=` is case-sensitive: 05_customer), countries by code with
 * `=ilike`-equivalent cached lookups, states by code within the country.
 */
import { CustomerSchema, normalizeEmail, type Customer } from '../../model/index.js';
import type { Json, SourceRecord, WriteOp, WriteResult } from '../contract.js';
import { SyncError, toSyncError } from '../../shared/errors.js';
import { SYSTEM } from './errors.js';
import { createMany, groupIds, readMany, searchAll, type OdooContext } from './context.js';
import type { Feed } from './changes.js';
import { PARTNER_FIELDS, childCommands, childVals, customerFromOdoo, partnerVals, type GeoCodes, type GeoIds } from './map-customer.js';
import { asNumberId, chunks, m2oId, odooToIso, text, type OdooRecord } from './values.js';

async function geoCodes(env: OdooContext, partners: OdooRecord[]): Promise<GeoCodes> {
  const { byId } = await env.lookups.countries();
  const states = await env.lookups.stateCodes(partners.map((p) => m2oId(p.state_id)).filter((x): x is number => x !== null));
  return { countries: byId, states };
}

async function geoIds(env: OdooContext, customers: Customer[]): Promise<GeoIds> {
  const { byCode } = await env.lookups.countries();
  const stateMaps = new Map<number, Map<string, number>>();
  for (const c of customers) {
    for (const a of c.addresses) {
      const cid = a.country ? byCode.get(a.country.toUpperCase()) : undefined;
      if (cid !== undefined && a.state && !stateMaps.has(cid)) stateMaps.set(cid, await env.lookups.statesOf(cid));
    }
  }
  return {
    country: (code) => (code ? (byCode.get(code.toUpperCase()) ?? false) : false),
    state: (countryCode, stateCode) => {
      if (!countryCode || !stateCode) return false;
      const cid = byCode.get(countryCode.toUpperCase());
      return cid !== undefined ? (stateMaps.get(cid)?.get(stateCode.toUpperCase()) ?? false) : false;
    },
  };
}

/** A state Odoo does not have in the address's country: the address is saved without it, and said so. */
function warnUnknownStates(env: OdooContext, record: string, c: Customer, geo: GeoIds): void {
  for (const a of c.addresses) {
    if (!a.state || !a.country || geo.country(a.country) === false || geo.state(a.country, a.state) !== false) continue;
    env.log?.warn(
      { entity: 'customer', record, field: 'addresses.state', state: a.state, country: a.country },
      `customer ${record}: Odoo has no state "${a.state}" in ${a.country}; the ${a.type} address is saved without a state. Add the state in Odoo (Contacts → Configuration → States, code "${a.country}-${a.state}" or "${a.state}") or correct the address in the shop`,
    );
  }
}

export async function loadCustomers(env: OdooContext, partnerIds: number[]): Promise<SourceRecord<'customer'>[]> {
  const ctx = { active_test: false };
  const parents = await readMany(env, 'res.partner', partnerIds, PARTNER_FIELDS, ctx);
  const childIds = parents.flatMap((p) => (Array.isArray(p.child_ids) ? (p.child_ids as number[]) : []));
  const children = await readMany(env, 'res.partner', childIds, PARTNER_FIELDS, ctx);
  const byParent = groupIds(children, 'parent_id');
  const geo = await geoCodes(env, [...parents, ...children]);
  return parents.map((p) => {
    const kids = byParent.get(p.id) ?? [];
    const raw = { partner: p, children: kids };
    const base = { entity: 'customer' as const, id: String(p.id), updatedAt: odooToIso(p.write_date), raw, ...(p.active === false ? { deleted: true } : {}) };
    try {
      return { ...base, data: customerFromOdoo(p, kids, geo) };
    } catch (e) {
      return { ...base, error: new SyncError('mapping', (e as Error).message, { system: SYSTEM, entity: 'customer', record: String(p.id) }) };
    }
  });
}

/** Partner changes (also of child addresses) → the commercial partner, for customers only. */
export function customerFeeds(): Feed[] {
  return [
    {
      key: 'partner',
      spec: { model: 'res.partner', domain: ['|', ['customer_rank', '>', 0], ['parent_id.customer_rank', '>', 0]], fields: ['commercial_partner_id'], context: { active_test: false } },
      outIds: (rows) => rows.map((r) => m2oId(r.commercial_partner_id) ?? r.id).map(String),
    },
  ];
}

/**
 * email → commercial partner ids, case-insensitive (`=ilike`). `_`/`%` in an email act as wildcards in
 * `=ilike`, so hits are re-checked here for exact (case-folded) equality.
 */
export async function findCustomers(env: OdooContext, type: string, values: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (type !== 'email' && type !== 'name') return out;
  for (const part of chunks([...new Set(values)], 200)) {
    if (part.length === 0) continue;
    const field = type === 'email' ? 'email' : 'name';
    const op = type === 'email' ? '=ilike' : '=';
    const domain: Json[] = [...Array(part.length - 1).fill('|'), ...part.map((v) => [field, op, type === 'email' ? v.trim() : v])];
    const rows = await env.t.call<OdooRecord[]>('res.partner', 'search_read', { kwargs: { domain: [...domain, ['parent_id', '=', false]], fields: [field, 'commercial_partner_id'] } });
    for (const v of part) {
      const hits = rows.filter((r) => (type === 'email' ? normalizeEmail(text(r.email) ?? '') === normalizeEmail(v) : text(r.name) === v));
      if (hits.length) out.set(v, [...new Set(hits.map((r) => String(m2oId(r.commercial_partner_id) ?? r.id)))]);
    }
  }
  return out;
}

export async function writeCustomers(env: OdooContext, ops: WriteOp<'customer'>[]): Promise<WriteResult[]> {
  const results: Array<WriteResult | undefined> = new Array(ops.length);
  const valid: Array<{ i: number; op: WriteOp<'customer'>; c: Customer; target?: number }> = [];
  ops.forEach((op, i) => {
    if (op.kind === 'delete') {
      valid.push({ i, op, c: op.record, target: op.targetId ? asNumberId(op.targetId) : undefined });
      return;
    }
    const parsed = CustomerSchema.safeParse(op.record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      results[i] = { ok: false, key: op.key, error: new SyncError('invalid_data', `${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'}`, { system: SYSTEM, entity: 'customer', record: op.key, field: issue?.path.join('.') }) };
    } else valid.push({ i, op, c: parsed.data, target: op.targetId ? asNumberId(op.targetId) : undefined });
  });

  const deletes = valid.filter((v) => v.op.kind === 'delete' && v.target !== undefined);
  if (deletes.length) {
    await env.t.call('res.partner', 'write', { ids: deletes.map((d) => d.target!), kwargs: { vals: { active: false } } });
    for (const d of deletes) results[d.i] = { ok: true, key: d.op.key, id: String(d.target), created: false };
  }
  const rest = valid.filter((v) => v.op.kind !== 'delete');
  // find-before-create by email
  const creates = rest.filter((v) => v.target === undefined);
  if (creates.length) {
    const found = await findCustomers(env, 'email', creates.map((c) => c.c.email));
    for (const c of creates) {
      const ids = found.get(c.c.email) ?? found.get(c.c.email.trim());
      if (ids && ids.length) c.target = Number(ids[0]);
    }
  }
  const geo = await geoIds(env, rest.map((r) => r.c));
  for (const v of rest) warnUnknownStates(env, v.op.key, v.c, geo);
  const toCreate = rest.filter((v) => v.target === undefined);
  if (toCreate.length) {
    const vals = toCreate.map((v) => {
      const fallback = v.c.firstName || v.c.lastName ? `${v.c.firstName} ${v.c.lastName}`.trim() : (v.c.company ?? v.c.email);
      return { ...partnerVals(v.c, geo, 'create'), child_ids: v.c.addresses.filter((a) => a.type !== 'contact').map((a) => [0, 0, childVals(a, geo, fallback)] as Json) };
    });
    // all-or-nothing: a refused list throws, and the engine isolates the bad record (engine/records/write-batches.ts)
    const ids = await createMany(env, 'res.partner', vals);
    toCreate.forEach((v, k) => (results[v.i] = { ok: true, key: v.op.key, id: String(ids[k]), created: true }));
  }
  const toUpdate = rest.filter((v) => v.target !== undefined && !results[v.i]);
  if (toUpdate.length) {
    // the partners themselves come along (their customer_rank) with their child addresses: one read
    const targets = toUpdate.map((u) => u.target!);
    const rows = await searchAll(env, 'res.partner', ['|', ['id', 'in', targets], ['parent_id', 'in', targets]], ['type', 'name', 'street', 'zip', 'city', 'country_id', 'parent_id', 'active', 'customer_rank'], { active_test: false });
    const mine = new Set(targets);
    const children = rows.filter((r) => mine.has(m2oId(r.parent_id) ?? -1));
    // a partner found by email (made in Odoo, or by an invoice) has customer_rank 0: the customer feed would never read it
    const notCustomer = new Set(rows.filter((r) => mine.has(r.id) && !(Number(r.customer_rank) > 0)).map((r) => r.id));
    const byParent = groupIds(children, 'parent_id');
    const codes = await geoCodes(env, children);
    for (const u of toUpdate) {
      const vals: Record<string, Json> = partnerVals(u.c, geo, 'update');
      if (notCustomer.has(u.target!)) vals.customer_rank = 1;
      const cmds = childCommands(u.c, byParent.get(u.target!) ?? [], geo, codes, { archiveMissing: u.op.kind === 'update' });
      if (cmds.length) vals.child_ids = cmds;
      try {
        await env.t.call('res.partner', 'write', { ids: [u.target!], kwargs: { vals } });
        results[u.i] = { ok: true, key: u.op.key, id: String(u.target), created: false };
      } catch (e) {
        const err = toSyncError(e);
        if (err.retryable) throw err;
        results[u.i] = { ok: false, key: u.op.key, error: err.about({ entity: 'customer', record: u.op.key }) };
      }
    }
  }
  return results.map((r, i) => r ?? { ok: false, key: ops[i]!.key, error: new SyncError('invalid_data', 'not written', { system: SYSTEM }) });
}
