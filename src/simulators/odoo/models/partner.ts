/**
 * res.partner: companies, persons and their delivery/invoice addresses ("Parent, Child" names),
 * normalized emails, the "Contacts require a name" constraint.
 */
import type { ModelSpec, Env } from '../orm/types.js';
import type { Rec } from '../orm/table.js';
import { validationError } from '../orm/errors.js';

function normalizeEmail(v: unknown): string | false {
  if (typeof v !== 'string' || !v.trim()) return false;
  const m = /<([^>]+)>/.exec(v);
  const addr = (m ? m[1] : v)?.trim().toLowerCase() ?? '';
  return addr.includes('@') ? addr : false;
}

function completeName(env: Env, r: Rec): string {
  const name = typeof r.name === 'string' ? r.name : '';
  if (typeof r.parent_id === 'number' && !r.is_company) {
    const p = env.rec('res.partner', r.parent_id);
    const pname = p && typeof p.name === 'string' ? p.name : '';
    if (!name) {
      const label = r.type === 'invoice' ? 'Invoice Address' : r.type === 'delivery' ? 'Delivery Address' : r.type === 'other' ? 'Other Address' : '';
      return label ? `${pname}, ${label}` : pname;
    }
    return `${pname}, ${name}`;
  }
  return name;
}

function commercial(env: Env, r: Rec): number {
  let cur: Rec | undefined = r;
  const seen = new Set<number>();
  while (cur && !cur.is_company && typeof cur.parent_id === 'number' && !seen.has(cur.id)) {
    seen.add(cur.id);
    cur = env.rec('res.partner', cur.parent_id);
  }
  return cur?.id ?? r.id;
}

export const partnerModels: ModelSpec[] = [
  {
    name: 'res.partner',
    description: 'Contact',
    order: 'complete_name, id desc',
    indexes: ['parent_id', 'email_normalized', 'ref'],
    fields: {
      email_normalized: { type: 'char', string: 'Normalized Email', readonly: true },
      complete_name: { type: 'char', string: 'Complete Name', readonly: true },
      commercial_partner_id: { type: 'many2one', relation: 'res.partner', string: 'Commercial Entity', readonly: true },
      child_ids: { type: 'one2many', relation: 'res.partner', string: 'Contact', inverse: 'parent_id' },
    },
    defaults: (env) => ({ type: 'contact', active: true, is_company: false, customer_rank: 0, supplier_rank: 0, lang: env.context.lang ?? 'en_US', company_id: false }),
    compute: {
      complete_name: (env, r) => completeName(env, r),
      display_name: (env, r) => completeName(env, r),
      commercial_partner_id: (env, r) => commercial(env, r),
      company_type: (_env, r) => (r.is_company ? 'company' : 'person'),
      contact_address: (env, r) => [r.street, r.street2, [r.zip, r.city].filter(Boolean).join(' '), env.rec('res.country', r.country_id as number)?.name].filter(Boolean).join('\n'),
    },
    inverse: {
      company_type: (env, r, v) => env.write('res.partner', [r.id], { is_company: v === 'company' }),
    },
    displayName: (env, r) => completeName(env, r),
    beforeCreate: (env, vals) => {
      if ('email' in vals) vals.email_normalized = normalizeEmail(vals.email);
      if ((vals.type === 'contact' || vals.type === undefined) && (vals.name === undefined || vals.name === false || vals.name === '') && !vals.parent_id) {
        throw validationError('The operation cannot be completed: Contacts require a name');
      }
      if (typeof vals.parent_id === 'number' && !vals.lang) {
        const p = env.rec('res.partner', vals.parent_id);
        if (p?.lang) vals.lang = p.lang;
      }
    },
    beforeWrite: (_env, recs, vals) => {
      if ('email' in vals) vals.email_normalized = normalizeEmail(vals.email);
      if ('name' in vals && !vals.name && recs.some((r) => (r.type ?? 'contact') === 'contact' && !r.parent_id)) {
        throw validationError('The operation cannot be completed: Contacts require a name');
      }
    },
  },
];
