/**
 * Record rules (ir.rule) in `tandem check`: an ACL may allow reading sale.order while a rule of the user's
 * groups ("Personal Orders" of "Sales / User: Own Documents Only") hides every order of other salespeople,
 * and Odoo's search_read filters them silently — Tandem would not find orders it must find.
 *
 * Read from ir.rule (an internal user may read it) rather than probed by reading another user's record: a
 * probe needs such a record to exist, so on a fresh database it would report "all visible" — wrong exactly
 * when the check matters most, before the first sync. Group rules are OR-ed by Odoo: one rule of the user's
 * groups that allows everything ([(1, '=', 1)], as "All Orders" of "User: All Documents") lifts the others.
 * Global rules (multi-company) are not reported: they restrict to the user's companies, which is intended.
 */
import type { OdooEnv } from './env.js';
import { m2oId, text, type OdooRecord } from './values.js';

export interface RuleRow {
  name: string;
  domain: string | null;
}

/** A rule domain that lets every record through. */
export function allowsAll(domain: string | null): boolean {
  const d = (domain ?? '').replace(/\s+/g, '').replace(/"/g, "'");
  return d === '' || d === '[]' || d === "[(1,'=',1)]" || d === "[(1,'=',1),]";
}

/** Names of the rules restricting the user on a model (empty: it sees every record the ACL allows). Pure. */
export function restrictingRules(rules: RuleRow[]): string[] {
  if (rules.length === 0 || rules.some((r) => allowsAll(r.domain))) return [];
  return rules.map((r) => r.name);
}

/** model → names of the read rules of the user's groups that hide records from it (3 calls). */
export async function readRestrictions(env: OdooEnv, uid: number, models: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (models.length === 0) return out;
  const traits = await env.traits();
  const [user] = await env.t.call<OdooRecord[]>('res.users', 'read', { ids: [uid], kwargs: { fields: [traits.userGroupsField] } });
  const groups = (user?.[traits.userGroupsField] as number[] | undefined) ?? [];
  const irModels = await env.t.call<OdooRecord[]>('ir.model', 'search_read', { kwargs: { domain: [['model', 'in', models]], fields: ['model'] } });
  const modelOf = new Map(irModels.map((m) => [m.id, text(m.model) ?? '']));
  if (groups.length === 0 || modelOf.size === 0) return out;
  const rules = await env.t.call<OdooRecord[]>('ir.rule', 'search_read', {
    kwargs: { domain: [['model_id', 'in', [...modelOf.keys()]], ['perm_read', '=', true], ['groups', 'in', groups]], fields: ['name', 'model_id', 'domain_force'] },
  });
  const byModel = new Map<string, RuleRow[]>();
  for (const r of rules) {
    const model = modelOf.get(m2oId(r.model_id) ?? -1);
    if (model) byModel.set(model, [...(byModel.get(model) ?? []), { name: text(r.name) ?? `rule ${r.id}`, domain: text(r.domain_force) }]);
  }
  for (const [model, list] of byModel) {
    const names = restrictingRules(list);
    if (names.length) out.set(model, names);
  }
  return out;
}
