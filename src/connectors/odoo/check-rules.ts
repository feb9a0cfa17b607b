/**
 * Record rules in `tandem check`: an ACL may allow reading sale.order while a rule of the user's groups
 * ("Personal Orders" of "Sales / User: Own Documents Only") hides every order of other salespeople, and
 * Odoo's search_read filters them silently — Tandem would not find orders it must find.
 *
 * How it is seen: by the user's groups (res.users.has_group, which any user may ask about itself) against
 * the record rules a standard Odoo 17/19 installs. Not by reading ir.rule: real Odoo 17 and 19 refuse
 * ir.rule, ir.model and ir.model.data to everyone outside "Administration / Access Rights" (found on the
 * lab systems), and an integration user must not need that. Not by a probe read of another salesperson's
 * record either: on a fresh database there is none, so a probe would say "all visible" exactly when the
 * check matters most, before the first sync.
 */
import type { OdooContext } from './context.js';

interface StandardRule {
  models: string[];
  /** The rule's name in Odoo. */
  rule: string;
  /** The group whose rule restricts… */
  restrictedBy: string;
  /** …unless the user also has one of these (their rules allow every record; Odoo OR-s group rules). */
  liftedBy: string[];
  /** The group to add, for the hint. */
  lift: string;
}

/** The record rules of a standard sale/account database that hide records Tandem reads (sale, account modules). */
export const STANDARD_RULES: StandardRule[] = [
  { models: ['sale.order'], rule: 'Personal Orders', restrictedBy: 'sales_team.group_sale_salesman', liftedBy: ['sales_team.group_sale_salesman_all_leads'], lift: 'Sales / User: All Documents' },
  { models: ['sale.order.line'], rule: 'Personal Order Lines', restrictedBy: 'sales_team.group_sale_salesman', liftedBy: ['sales_team.group_sale_salesman_all_leads'], lift: 'Sales / User: All Documents' },
  { models: ['account.move'], rule: 'Personal Invoices', restrictedBy: 'sales_team.group_sale_salesman', liftedBy: ['sales_team.group_sale_salesman_all_leads', 'account.group_account_invoice', 'account.group_account_readonly'], lift: 'Invoicing / Billing' },
];

export interface Restriction {
  rule: string;
  lift: string;
}

/** model → the rule hiding records from a user with these groups (xml ids). Pure. */
export function restrictions(has: ReadonlySet<string>, models: string[]): Map<string, Restriction> {
  const out = new Map<string, Restriction>();
  for (const r of STANDARD_RULES) {
    if (!has.has(r.restrictedBy) || r.liftedBy.some((g) => has.has(g))) continue;
    for (const m of r.models) if (models.includes(m)) out.set(m, { rule: r.rule, lift: r.lift });
  }
  return out;
}

/** The groups of STANDARD_RULES the user has, one has_group call each (the user asks about itself). */
async function groupsOf(env: OdooContext, uid: number, models: string[]): Promise<Set<string>> {
  const traits = await env.traits();
  const wanted = [...new Set(STANDARD_RULES.filter((r) => r.models.some((m) => models.includes(m))).flatMap((r) => [r.restrictedBy, ...r.liftedBy]))];
  // 17: has_group is a model method on the current user; 18+: a method of the user record
  const asks = await Promise.all(wanted.map((g) => env.t.call<boolean>('res.users', 'has_group', { ...(traits.major >= 18 && { ids: [uid] }), kwargs: { group_ext_id: g } })));
  return new Set(wanted.filter((_, i) => asks[i] === true));
}

export async function readRestrictions(env: OdooContext, uid: number, models: string[]): Promise<Map<string, Restriction>> {
  if (!STANDARD_RULES.some((r) => r.models.some((m) => models.includes(m)))) return new Map();
  return restrictions(await groupsOf(env, uid, models), models);
}
