/**
 * The record rules of a sale/account database (Odoo 17/19 `sale` module's security XML): the salesman
 * ("Sales / User: Own Documents Only") sees its own orders, order lines and invoices; "User: All
 * Documents" sees all; "Invoicing / Billing" sees every entry; one global multi-company rule per model. ir.model rows for every simulated model.
 */
import type { Env } from '../orm/types.js';
import { seedAt } from './seed-base.js';

const OWN_ORDERS = "['|', ('user_id', '=', user.id), ('user_id', '=', False)]";
const ALL = "[(1, '=', 1)]";
const COMPANY = "[('company_id', 'in', company_ids)]";

export function seedRules(env: Env): void {
  const modelId = new Map<string, number>();
  for (const m of env.db.models.values()) modelId.set(m.name, env.createOne('ir.model', { name: m.spec.description ?? m.name, model: m.name }));
  const salesman = env.ref('sales_team.group_sale_salesman');
  const allDocs = env.ref('sales_team.group_sale_salesman_all_leads');
  const rules: Array<[string, string, string, string, number[]]> = [
    ['sale.sale_order_comp_rule', 'Sales Order multi-company', 'sale.order', COMPANY, []],
    ['sale.sale_order_personal_rule', 'Personal Orders', 'sale.order', OWN_ORDERS, [salesman]],
    ['sale.sale_order_see_all', 'All Orders', 'sale.order', ALL, [allDocs]],
    ['sale.sale_order_line_comp_rule', 'Sales Order Line multi-company', 'sale.order.line', COMPANY, []],
    ['sale.sale_order_line_personal_rule', 'Personal Order Lines', 'sale.order.line', "['|', ('order_id.user_id', '=', user.id), ('order_id.user_id', '=', False)]", [salesman]],
    ['sale.sale_order_line_see_all', 'All Orders Lines', 'sale.order.line', ALL, [allDocs]],
    ['sale.account_invoice_rule_see_personal', 'Personal Invoices', 'account.move', "[('move_type', 'in', ('out_invoice', 'out_refund')), ('invoice_user_id', '=', user.id)]", [salesman]],
    ['sale.account_invoice_rule_see_all', 'All Invoices', 'account.move', "[('move_type', 'in', ('out_invoice', 'out_refund'))]", [allDocs]],
    ['account.account_move_comp_rule', 'Account Entry', 'account.move', COMPANY, []],
    ['account.account_move_rule_group_invoice', 'Invoice Move', 'account.move', ALL, [env.ref('account.group_account_invoice')]],
  ];
  let id = 100;
  for (const [xmlid, name, model, domain, groups] of rules) {
    const mid = modelId.get(model);
    if (mid === undefined) continue;
    seedAt(env, 'ir.rule', id++, { name, model_id: mid, domain_force: domain, groups, global: groups.length === 0 }, xmlid);
  }
}
