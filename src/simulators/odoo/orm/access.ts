/**
 * Access rights of the two profiles: admin (everything) and "Sales / User: Own Documents Only"
 * (sales_team.group_sale_salesman): model ACLs plus the own-documents record rules.
 */
import { OdooError } from './errors.js';
import type { Env, Model } from './types.js';
import type { Rec } from './table.js';

export type Op = 'read' | 'write' | 'create' | 'unlink';

interface Acl {
  read: boolean;
  write: boolean;
  create: boolean;
  unlink: boolean;
  /** Group named in the error message. */
  group?: string;
}

const RO = (group: string): Acl => ({ read: true, write: false, create: false, unlink: false, group });
const RW: Acl = { read: true, write: true, create: true, unlink: true };
const RWC: Acl = { read: true, write: true, create: true, unlink: false };

/** Salesman ACLs (models not listed: read-only, "Administration/Settings"). */
const SALESMAN: Record<string, Acl> = {
  'sale.order': RW,
  'sale.order.line': RW,
  'res.partner': RWC,
  'sale.advance.payment.inv': RW,
  'sale.order.cancel': RW,
  'account.move': RO('Invoicing/Billing'),
  'account.move.line': RO('Invoicing/Billing'),
  'account.payment': RO('Invoicing/Billing'),
  'account.payment.register': { read: false, write: false, create: false, unlink: false, group: 'Invoicing/Billing' },
  'account.move.reversal': { read: false, write: false, create: false, unlink: false, group: 'Invoicing/Billing' },
  'stock.quant': RO('Inventory/User'),
  'stock.picking': RO('Inventory/User'),
  'stock.move': RO('Inventory/User'),
  'stock.move.line': RO('Inventory/User'),
  'stock.location': RO('Inventory/Administrator'),
  'stock.warehouse': RO('Inventory/Administrator'),
  'stock.return.picking': { read: false, write: false, create: false, unlink: false, group: 'Inventory/User' },
  'stock.return.picking.line': { read: false, write: false, create: false, unlink: false, group: 'Inventory/User' },
  'product.product': RO('Inventory/Administrator'),
  'product.template': RO('Inventory/Administrator'),
  'product.pricelist': RO('Sales/Administrator'),
  'product.pricelist.item': RO('Sales/Administrator'),
  'res.users': RO('Administration/Access Rights'),
  'res.users.apikeys': { read: false, write: false, create: false, unlink: false, group: 'Administration/Access Rights' },
  // real 17/19: refused to everyone outside "Administration / Access Rights" (lab, 2026-12-03)
  'ir.model.data': { read: false, write: false, create: false, unlink: false, group: 'Administration/Access Rights' },
  'ir.model': { read: false, write: false, create: false, unlink: false, group: 'Administration/Access Rights' },
  'ir.rule': { read: false, write: false, create: false, unlink: false, group: 'Administration/Access Rights' },
};

export function acl(env: Env, model: Model): Acl {
  if (env.privileged) return RW;
  return SALESMAN[model.name] ?? (model.spec.transient ? RW : RO('Administration/Settings'));
}

export function hasAccess(env: Env, model: Model, op: Op): boolean {
  return acl(env, model)[op];
}

const VERB: Record<Op, string> = { read: 'access', write: 'modify', create: 'create', unlink: 'delete' };

export function checkAcl(env: Env, model: Model, op: Op): void {
  const a = acl(env, model);
  if (a[op]) return;
  let group = a.group ?? 'Administration/Settings';
  if (env.traits.messages === 19) group = group.replace(/^Administration\//, '');
  const name = model.spec.aclName ?? model.spec.description;
  throw new OdooError(
    'odoo.exceptions.AccessError',
    `You are not allowed to ${VERB[op]} '${name}' (${model.name}) records.\n\nThis operation is allowed for the following groups:\n\t- ${group}\n\nContact your administrator to request access if necessary.`,
  );
}

/** Record rule of the salesman for a model, or null (no rule). */
export function ruleFilter(env: Env, model: Model): ((r: Rec) => boolean) | null {
  if (env.privileged) return null;
  const uid = env.uid;
  switch (model.name) {
    case 'sale.order':
      return (r) => r.user_id === uid || r.user_id === false || r.user_id === undefined;
    case 'sale.order.line': {
      const so = env.db.models.get('sale.order');
      return (r) => {
        const o = typeof r.order_id === 'number' ? so?.table.get(r.order_id) : undefined;
        return !!o && (o.user_id === uid || !o.user_id);
      };
    }
    case 'account.move':
      return (r) => r.invoice_user_id === uid;
    default:
      return null;
  }
}
