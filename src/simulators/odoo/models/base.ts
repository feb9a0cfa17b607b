/**
 * Base models: company, currencies, countries and states, users and groups (+ API keys), xml ids, units.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FieldSpec, ModelSpec } from '../orm/types.js';
import type { Vals } from '../types.js';
import { validationError } from '../orm/errors.js';

const char = (string?: string) => ({ type: 'char' as const, ...(string ? { string } : {}) });

/** Odoo 19's res.company has ~170 fields (recorded by the "JSON array body" exchange); the ones the
 * simulator does not model are read-only json values seeded with the recorded data. */
export const COMPANY19 = JSON.parse(readFileSync(fileURLToPath(new URL('../fields/res.company.odoo19.json', import.meta.url)), 'utf8')) as { fields: Record<string, string>; values: Record<string, unknown> };

function company19Fields(): Record<string, FieldSpec> {
  const out: Record<string, FieldSpec> = {};
  const modelled = new Set(['name', 'currency_id', 'country_id', 'partner_id', 'sequence', 'active', 'chart_template', 'email', 'phone', 'vat', 'street', 'city', 'zip']);
  for (const k of Object.keys(COMPANY19.fields)) if (!modelled.has(k)) out[k] = { type: 'json', readonly: true };
  return out;
}

export const baseModels: ModelSpec[] = [
  {
    name: 'res.company',
    description: 'Companies',
    order: 'sequence, name',
    fields: (v) => ({
      ...(v >= 19 ? company19Fields() : {}),
      name: { type: 'char', string: 'Company Name', required: true },
      sequence: { type: 'integer' },
      active: { type: 'boolean' },
      currency_id: { type: 'many2one', relation: 'res.currency', string: 'Currency', required: true },
      country_id: { type: 'many2one', relation: 'res.country', string: 'Country' },
      partner_id: { type: 'many2one', relation: 'res.partner', string: 'Partner', required: true },
      email: char('Email'),
      phone: char('Phone'),
      vat: char('Tax ID'),
      street: char('Street'),
      city: char('City'),
      zip: char('Zip'),
      ...(v >= 17 ? { chart_template: { type: 'selection' as const, selection: [['generic_coa', 'Generic Chart Template']] as [string, string][] } } : {}),
    }),
  },
  {
    name: 'res.currency',
    description: 'Currency',
    order: 'active desc, name',
    indexes: ['name'],
    fields: {
      name: { type: 'char', string: 'Currency', required: true },
      full_name: char('Name'),
      symbol: { type: 'char', string: 'Symbol', required: true },
      rate: { type: 'float', string: 'Current Rate', store: false },
      rounding: { type: 'float', string: 'Rounding Factor' },
      decimal_places: { type: 'integer', string: 'Decimal Places', store: false },
      active: { type: 'boolean', string: 'Active' },
      position: { type: 'selection', selection: [['after', 'After Amount'], ['before', 'Before Amount']] },
    },
  },
  {
    name: 'res.country',
    description: 'Country',
    order: 'name',
    indexes: ['code'],
    fields: {
      name: { type: 'char', string: 'Country Name', required: true },
      code: { type: 'char', string: 'Country Code', required: true },
      phone_code: { type: 'integer', string: 'Country Calling Code' },
      currency_id: { type: 'many2one', relation: 'res.currency', string: 'Currency' },
      state_ids: { type: 'one2many', relation: 'res.country.state', string: 'States', inverse: 'country_id' },
      state_required: { type: 'boolean' },
      zip_required: { type: 'boolean' },
      address_format: { type: 'text', string: 'Layout in Reports' },
      vat_label: char('Vat Label'),
    },
  },
  {
    name: 'res.country.state',
    description: 'Country state',
    order: 'code',
    indexes: ['country_id'],
    fields: {
      name: { type: 'char', string: 'State Name', required: true },
      code: { type: 'char', string: 'State Code', required: true },
      country_id: { type: 'many2one', relation: 'res.country', string: 'Country', required: true },
    },
    displayName: (env, r) => `${String(r.name)} (${String(env.rec('res.country', r.country_id as number)?.code ?? '')})`,
  },
  {
    name: 'res.groups',
    description: 'Access Groups',
    order: 'name',
    fields: (v) => ({
      name: { type: 'char', string: 'Name', required: true },
      category_name: char('Application'),
      full_name: { type: 'char', string: 'Group Name', store: false },
      users: { type: 'many2many', relation: 'res.users', string: 'Users' },
      ...(v === 19 ? { user_ids: { type: 'many2many' as const, relation: 'res.users', string: 'Users' } } : {}),
    }),
    compute: { full_name: (_env, r) => (r.category_name ? `${String(r.category_name)} / ${String(r.name)}` : String(r.name)) },
    displayName: (_env, r) => (r.category_name ? `${String(r.category_name)} / ${String(r.name)}` : String(r.name)),
  },
  {
    name: 'ir.model.data',
    description: 'Model Data',
    order: 'module, model, name',
    fields: {
      name: { type: 'char', string: 'External Identifier', required: true },
      module: { type: 'char', string: 'Module', required: true },
      model: { type: 'char', string: 'Model Name', required: true },
      res_id: { type: 'many2one_reference', string: 'Record ID' },
      complete_name: { type: 'char', string: 'Complete ID', store: false },
      noupdate: { type: 'boolean' },
    },
    compute: { complete_name: (_env, r) => `${String(r.module)}.${String(r.name)}` },
    displayName: (_env, r) => `${String(r.module)}.${String(r.name)}`,
  },
  {
    name: 'res.users',
    description: 'User',
    order: 'name, login',
    indexes: ['login'],
    required: ['name', 'login'],
    fields: (v) => ({
      name: { type: 'char', string: 'Name', required: true },
      login: { type: 'char', string: 'Login', required: true },
      password: { type: 'char', string: 'Password' },
      partner_id: { type: 'many2one', relation: 'res.partner', string: 'Related Partner', required: true },
      company_id: { type: 'many2one', relation: 'res.company', string: 'Company', required: true },
      company_ids: { type: 'many2many', relation: 'res.company', string: 'Companies' },
      tz: { type: 'selection', string: 'Timezone', selection: [['UTC', 'UTC'], ['Europe/Berlin', 'Europe/Berlin'], ['America/New_York', 'America/New_York']] },
      lang: { type: 'selection', string: 'Language', selection: [['en_US', 'English (US)'], ['de_DE', 'German / Deutsch']] },
      active: { type: 'boolean', string: 'Active' },
      share: { type: 'boolean', string: 'Share User', readonly: true },
      email: char('Email'),
      [v === 19 ? 'group_ids' : 'groups_id']: { type: 'many2many', relation: 'res.groups', string: 'Groups' },
    }),
    defaults: (env) => ({ company_id: 1, company_ids: [1], lang: 'en_US', tz: false, share: false, [env.traits.usersGroupsField]: [env.ref('base.group_user')] }),
    beforeCreate: (env, vals: Vals) => {
      if (vals.partner_id === undefined) {
        vals.partner_id = env.sudo().createOne('res.partner', { name: vals.name ?? vals.login, email: vals.email ?? (String(vals.login).includes('@') ? vals.login : false) });
      }
      if (env.db.users.size && [...env.db.users.values()].some((u) => u.login === vals.login)) {
        throw validationError('You can not have two users with the same login!');
      }
    },
    afterCreate: (env, recs) => {
      for (const r of recs) {
        const groups = (r[env.traits.usersGroupsField] as number[] | undefined) ?? [];
        const adminGroup = env.db.xmlids.get('base.group_system')?.id;
        const salesmanGroup = env.db.xmlids.get('sales_team.group_sale_salesman')?.id;
        const profile = adminGroup && groups.includes(adminGroup) ? 'admin' : salesmanGroup && groups.includes(salesmanGroup) ? 'salesman' : 'salesman';
        env.db.users.set(r.id, { uid: r.id, login: String(r.login), password: typeof r.password === 'string' ? r.password : '', apiKeys: [], profile });
        env.db.models.get('res.users')?.table.update(r, { password: false });
      }
    },
    afterWrite: (env, recs, vals) => {
      for (const r of recs) {
        const u = env.db.users.get(r.id);
        if (!u) continue;
        if (typeof vals.password === 'string') {
          u.password = vals.password;
          env.db.models.get('res.users')?.table.update(r, { password: false });
        }
        if (typeof vals.login === 'string') u.login = vals.login;
      }
    },
    methods: {
      has_group: {
        // 17: @api.model on the current user (ids would be taken as the group); 18+: a method of the user record
        model: (v) => v < 18,
        params: [{ name: 'group_ext_id', required: true }],
        qualname: 'Users.has_group',
        fn: (env, ids, a) => {
          const g = env.db.xmlids.get(String(a.group_ext_id));
          const user = env.rec('res.users', ids[0] ?? env.uid);
          if (!g || !user) return false;
          const groups = (user[env.traits.usersGroupsField] as number[] | undefined) ?? [];
          if (groups.includes(g.id)) return true;
          // implied groups: admins have every group, the sales manager implies the salesman
          return groups.includes(env.db.xmlids.get('base.group_system')?.id ?? -1);
        },
      },
      context_get: {
        model: true,
        params: [],
        qualname: 'Users.context_get',
        fn: (env) => {
          const u = env.rec('res.users', env.uid);
          return { lang: u?.lang ?? 'en_US', tz: u?.tz ?? false, uid: env.uid };
        },
      },
    },
  },
  {
    name: 'res.users.apikeys',
    description: 'Users API Keys',
    order: 'id',
    fields: {
      name: { type: 'char', string: 'Description', required: true },
      user_id: { type: 'many2one', relation: 'res.users', string: 'User', required: true },
      scope: char('Scope'),
      expiration_date: { type: 'datetime', string: 'Expiration Date' },
    },
  },
  {
    name: 'uom.category',
    description: 'Product UoM Categories',
    versions: [16, 17],
    fields: { name: { type: 'char', string: 'Unit of Measure Category', required: true } },
  },
  {
    name: 'uom.uom',
    description: 'Product Unit of Measure',
    order: 'sequence, id',
    // fields from the recordings: 17 has category_id/uom_type, 19 relative_factor/relative_uom_id
  },
];
