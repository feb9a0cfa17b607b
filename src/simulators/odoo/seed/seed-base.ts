/**
 * Default data of a fresh database like the recorded ones: company "My Company" (US), USD + active EUR,
 * countries with the ids Odoo gives them, a few states, admin + the restricted sales user, groups, units.
 */
import type { Env } from '../orm/types.js';
import type { Vals } from '../types.js';
import { COMPANY19 } from '../models/base.js';

/** Creates a record with a fixed id (seed data uses Odoo's usual ids). */
export function seedAt(env: Env, model: string, id: number, vals: Vals, xmlid?: string): number {
  const m = env.model(model);
  m.table.bumpSequence(id - 1);
  // seed data lists the union of the versions' fields: keep those this version has
  const got = env.createOne(m, Object.fromEntries(Object.entries(vals).filter(([k]) => m.fields.has(k))));
  if (got !== id) throw new Error(`simulator seed: ${model} got id ${got}, wanted ${id}`);
  if (xmlid) env.db.setXmlid(xmlid, model, id);
  return id;
}

export function seedXml(env: Env, model: string, vals: Vals, xmlid: string): number {
  const id = env.createOne(model, vals);
  env.db.setXmlid(xmlid, model, id);
  return id;
}

const CURRENCIES: [number, string, string, boolean][] = [
  [1, 'USD', '$', true],
  [6, 'CHF', 'CHF', false],
  [17, 'PLN', 'zł', false],
  [31, 'CAD', '$', false],
  [126, 'EUR', '€', true],
  [147, 'GBP', '£', false],
  [160, 'UAH', '₴', false],
];

/** [id, code, name, phone, currency, zipRequired, stateRequired] — DE and US ids as recorded. */
const COUNTRIES: [number, string, string, number, string, boolean, boolean][] = [
  [14, 'AT', 'Austria', 43, 'EUR', true, false],
  [38, 'CA', 'Canada', 1, 'CAD', true, true],
  [43, 'CH', 'Switzerland', 41, 'CHF', true, false],
  [57, 'DE', 'Germany', 49, 'EUR', true, false],
  [68, 'ES', 'Spain', 34, 'EUR', true, false],
  [75, 'FR', 'France', 33, 'EUR', true, false],
  [77, 'GB', 'United Kingdom', 44, 'GBP', true, false],
  [110, 'IT', 'Italy', 39, 'EUR', true, false],
  [166, 'NL', 'Netherlands', 31, 'EUR', true, false],
  [179, 'PL', 'Poland', 48, 'PLN', true, false],
  [231, 'UA', 'Ukraine', 380, 'UAH', true, false],
  [233, 'US', 'United States', 1, 'USD', true, true],
];

const STATES: [string, string, string][] = [
  ['US', 'CA', 'California'],
  ['US', 'FL', 'Florida'],
  ['US', 'NY', 'New York'],
  ['US', 'TX', 'Texas'],
  ['US', 'WA', 'Washington'],
  ['CA', 'BC', 'British Columbia'],
  ['CA', 'ON', 'Ontario'],
  ['CA', 'QC', 'Quebec'],
  // Germany's states carry the country in their code on real Odoo 17/19 (PLATFORMS.md); shops send "BY"
  ['DE', 'DE-BW', 'Baden-Württemberg'],
  ['DE', 'DE-BY', 'Bavaria'],
  ['DE', 'DE-BE', 'Berlin'],
  ['DE', 'DE-HH', 'Hamburg'],
  ['DE', 'DE-NW', 'North Rhine-Westphalia'],
];

export interface SeedUsers {
  admin: { login: string; password: string; apiKey: string };
  restricted: { login: string; password: string; apiKey: string };
}

export function seedBase(env: Env, companyCurrency: string, users: SeedUsers): { adminUid: number; restrictedUid: number } {
  const v = env.version;
  const curId = new Map<string, number>();
  for (const [id, name, symbol, active] of CURRENCIES) {
    seedAt(env, 'res.currency', id, { name, symbol, rounding: 0.01, active: active || name === companyCurrency, position: name === 'EUR' ? 'after' : 'before' }, `base.${name}`);
    curId.set(name, id);
  }
  const countryId = new Map<string, number>();
  for (const [id, code, name, phone, cur, zip, st] of COUNTRIES) {
    seedAt(env, 'res.country', id, { name, code, phone_code: phone, currency_id: curId.get(cur) ?? false, zip_required: zip, state_required: st }, `base.${code.toLowerCase()}`);
    countryId.set(code, id);
  }
  for (const [c, code, name] of STATES) env.createOne('res.country.state', { country_id: countryId.get(c), code, name });

  const companyCur = curId.get(companyCurrency) ?? 1;
  seedAt(env, 'res.partner', 1, { name: 'My Company', is_company: true, country_id: 233, email: 'info@yourcompany.com' }, 'base.main_partner');
  const own = new Set(['name', 'currency_id', 'country_id', 'partner_id', 'sequence', 'active', 'chart_template', 'email', 'phone', 'vat', 'street', 'city', 'zip', 'display_name', 'create_date', 'create_uid', 'write_date', 'write_uid']);
  const extra = v >= 19 ? Object.fromEntries(Object.entries(COMPANY19.values).filter(([k]) => !own.has(k))) : {};
  seedAt(env, 'res.company', 1, { ...extra, name: 'My Company', currency_id: companyCur, country_id: 233, partner_id: 1, sequence: 0, active: true, ...(v >= 17 ? { chart_template: 'generic_coa' } : {}), ...(v >= 19 ? { street: '', zip: '', city: '', phone: '' } : {}) }, 'base.main_company');
  env.model('res.company').table.update(env.must('res.company', 1), { create_uid: false });
  env.write('res.partner', [1], { company_id: 1 });
  seedAt(env, 'res.partner', 2, { name: 'OdooBot', active: false, email: 'odoobot@example.com' }, 'base.partner_root');
  seedAt(env, 'res.partner', 3, { name: 'Administrator', email: 'admin@yourcompany.example.com' }, 'base.partner_admin');

  // groups (ids as in a sale/stock/account database; the salesman group is 21 in the 17 recording)
  const groups: [number, string, string, string][] = [
    [1, 'base.group_user', 'Internal User', 'User types'],
    [2, 'base.group_erp_manager', 'Access Rights', 'Administration'],
    [3, 'base.group_system', 'Settings', 'Administration'],
    [21, 'sales_team.group_sale_salesman', 'User: Own Documents Only', 'Sales'],
    [22, 'sales_team.group_sale_salesman_all_leads', 'User: All Documents', 'Sales'],
    [23, 'sales_team.group_sale_manager', 'Administrator', 'Sales'],
    [30, 'stock.group_stock_user', 'User', 'Inventory'],
    [31, 'stock.group_stock_manager', 'Administrator', 'Inventory'],
    [40, 'account.group_account_invoice', 'Billing', 'Invoicing'],
    [41, 'account.group_account_manager', 'Administrator', 'Invoicing'],
  ];
  for (const [id, xmlid, name, cat] of groups) {
    seedAt(env, 'res.groups', id, { name, category_name: cat }, xmlid);
    const [module, xname] = xmlid.split('.') as [string, string];
    env.createOne('ir.model.data', { module, name: xname, model: 'res.groups', res_id: id, noupdate: true });
  }
  const gf = env.traits.usersGroupsField;
  const adminGroups = groups.filter(([, x]) => x !== 'sales_team.group_sale_salesman').map(([id]) => id);

  seedAt(env, 'res.users', 1, { name: 'OdooBot', login: '__system__', partner_id: 2, active: false, password: false }, 'base.user_root');
  seedAt(env, 'res.users', 2, { name: 'Administrator', login: users.admin.login, partner_id: 3, password: users.admin.password, [gf]: adminGroups, tz: false }, 'base.user_admin');
  const admin = env.db.users.get(2);
  if (admin) {
    admin.profile = 'admin';
    admin.apiKeys.push(users.admin.apiKey);
  }
  env.createOne('res.users.apikeys', { name: 'connector-test', user_id: 2, scope: false });
  env.createOne('ir.model.data', { module: 'base', name: 'user_admin', model: 'res.users', res_id: 2, noupdate: true });

  const restrictedUid = v === 19 ? 5 : 6;
  seedAt(env, 'res.users', restrictedUid, {
    name: 'Sales Only (restricted)',
    login: users.restricted.login,
    password: users.restricted.password,
    email: users.restricted.login,
    [gf]: [env.ref('base.group_user'), env.ref('sales_team.group_sale_salesman')],
  });
  const restricted = env.db.users.get(restrictedUid);
  if (restricted) {
    restricted.profile = 'salesman';
    restricted.apiKeys.push(users.restricted.apiKey);
  }
  env.createOne('res.users.apikeys', { name: 'restricted-test', user_id: restrictedUid, scope: false });

  // units
  if (v <= 17) seedAt(env, 'uom.category', 1, { name: 'Unit' }, 'uom.product_uom_categ_unit');
  const uom = (factor: number, type: string) => (v <= 17 ? { factor: 1 / factor, rounding: 0.01, uom_type: type, category_id: 1 } : { factor, relative_factor: factor });
  seedAt(env, 'uom.uom', 1, { name: 'Units', sequence: 1, active: true, ...uom(1, 'reference') }, 'uom.product_uom_unit');
  seedAt(env, 'uom.uom', 2, { name: 'Dozens', sequence: 2, active: true, ...uom(12, 'bigger') }, 'uom.product_uom_dozen');
  return { adminUid: 2, restrictedUid };
}

export function seedCatalog(env: Env): void {
  if (env.version <= 18) {
    seedAt(env, 'product.category', 1, { name: 'All' }, 'product.product_category_all');
    seedAt(env, 'product.category', 2, { name: 'Saleable', parent_id: 1 }, 'product.product_category_1');
    seedAt(env, 'product.category', 3, { name: 'Expenses', parent_id: 1 });
    seedAt(env, 'product.category', 4, { name: 'Deliveries', parent_id: 1 }, 'delivery.product_category_deliveries');
  } else {
    seedAt(env, 'product.category', 1, { name: 'Goods' }, 'product.product_category_goods');
    seedAt(env, 'product.category', 2, { name: 'Services' }, 'product.product_category_services');
    seedAt(env, 'product.category', 3, { name: 'Expenses' }, 'product.product_category_expenses');
    seedAt(env, 'product.category', 4, { name: 'Deliveries' }, 'delivery.product_category_deliveries');
    env.db.setXmlid('product.product_category_all', 'product.category', 1);
  }
}
