/**
 * `tandem check` for Odoo: reachable (and which version/protocol), database, login, then for every model
 * and operation the configured flows need, whether the integration user has the right — asked with
 * check_access_rights (≤17) / has_access (18+, falls back to check_access_rights), never by trying a write;
 * plus the standard record rules that hide records of a model it must read, by the user's groups (check-rules.ts).
 * Never throws: problems are items with ok:false and a hint naming the Odoo group to add.
 */
import type { CheckItem, CheckNeeds, CheckReport } from '../contract.js';
import type { EntityType } from '../../model/index.js';
import { toSyncError } from '../../shared/errors.js';
import type { OdooContext } from './context.js';
import { isSupportedMajor, traitsFor } from './versions.js';
import { readRestrictions, type Restriction } from './check-rules.js';

type Op = 'read' | 'write' | 'create' | 'unlink';
type Needs = Map<string, Set<Op>>;

/** The Odoo group that grants a model's write rights in a standard database (for hints). */
const GROUP: Array<[RegExp, string]> = [
  [/^product\.(template|product|attribute|attribute\.value|template\.attribute\.value|template\.attribute\.line|pricelist|pricelist\.item)$/, 'Sales / Administrator'],
  [/^product\.category$/, 'Inventory / Administrator'],
  [/^res\.partner$/, 'Extra Rights / Contact Creation'],
  [/^sale\.order(\.line)?$/, 'Sales / User: All Documents'],
  [/^stock\.quant$/, 'Inventory / Administrator'],
  [/^stock\./, 'Inventory / User'],
  [/^(account\.|sale\.advance\.payment\.inv)/, 'Invoicing / Billing'],
];

/** From Odoo 19 on, creating products takes the Products / Create group (product.group_product_manager); Sales / Administrator no longer implies it. */
const PRODUCT_MODELS_19 = /^product\.(template|product|attribute|attribute\.value|template\.attribute\.value|template\.attribute\.line)$/;

export function groupFor(model: string, major = 17): string {
  if (major >= 19 && PRODUCT_MODELS_19.test(model)) return 'Products / Create';
  return GROUP.find(([re]) => re.test(model))?.[1] ?? 'the group that owns this model';
}

const ENTITY_MODELS: Partial<Record<EntityType, { read: string[]; write: string[] }>> = {
  product: { read: ['product.template', 'product.product', 'product.template.attribute.value'], write: ['product.template', 'product.product', 'product.attribute', 'product.attribute.value', 'product.template.attribute.value'] },
  category: { read: ['product.category'], write: ['product.category'] },
  price: { read: ['product.product', 'product.pricelist.item'], write: ['product.template', 'product.template.attribute.value', 'product.pricelist.item'] },
  customer: { read: ['res.partner'], write: ['res.partner'] },
  order: { read: ['sale.order', 'sale.order.line'], write: ['sale.order', 'sale.order.line'] },
  stock: { read: ['stock.quant', 'stock.location', 'stock.warehouse'], write: ['stock.quant'] },
  invoice: { read: ['account.move'], write: ['account.move'] },
  shipment: { read: ['stock.picking', 'stock.move'], write: ['stock.picking', 'stock.move'] },
};

const ACTION_MODELS: Record<NonNullable<CheckNeeds['actions']>[number], Array<[string, Op[]]>> = {
  orders: [['sale.order', ['read', 'create', 'write']], ['sale.order.line', ['read', 'create', 'write']]],
  fulfilment: [['stock.picking', ['read', 'write']], ['stock.move', ['read', 'write']]],
  invoicing: [['account.move', ['read', 'create', 'write']], ['sale.advance.payment.inv', ['create']]],
  payments: [['account.payment', ['read', 'create']], ['account.payment.register', ['create']]],
  returns: [['stock.return.picking', ['create']], ['stock.picking', ['read', 'create', 'write']]],
  refunds: [['account.move.reversal', ['create']], ['account.move', ['read', 'create', 'write']]],
  cancellation: [['sale.order', ['write']]],
  stock: [['stock.quant', ['read', 'create', 'write']], ['stock.location', ['read']]],
};

/** Default when the caller does not say: the whole shop ↔ Odoo setup of the product (catalog, customers, orders, stock, finance). */
const DEFAULT_NEEDS: CheckNeeds = {
  entities: { product: ['read', 'write'], customer: ['read', 'write'], order: ['read'], stock: ['read'] },
  actions: ['orders', 'fulfilment', 'invoicing', 'payments', 'returns', 'refunds', 'cancellation', 'stock'],
};

export function neededRights(needs: CheckNeeds = DEFAULT_NEEDS): Needs {
  const out: Needs = new Map();
  const add = (model: string, ops: Op[]) => {
    const s = out.get(model) ?? new Set<Op>();
    ops.forEach((o) => s.add(o));
    out.set(model, s);
  };
  for (const [entity, modes] of Object.entries(needs.entities) as Array<[EntityType, Array<'read' | 'write'>]>) {
    const m = ENTITY_MODELS[entity];
    if (!m) continue;
    if (modes.includes('read')) m.read.forEach((x) => add(x, ['read']));
    if (modes.includes('write')) m.write.forEach((x) => add(x, ['read', 'create', 'write']));
  }
  for (const a of needs.actions ?? []) ACTION_MODELS[a].forEach(([model, ops]) => add(model, ops));
  return out;
}

async function hasRight(env: OdooContext, model: string, op: Op, how: 'check_access_rights' | 'has_access'): Promise<boolean> {
  if (how === 'has_access') {
    try {
      return (await env.t.call<boolean>(model, 'has_access', { ids: [], kwargs: { operation: op } })) === true;
    } catch (e) {
      if (toSyncError(e).kind !== 'config') throw e;
    }
  }
  return (await env.t.call<boolean>(model, 'check_access_rights', { kwargs: { operation: op, raise_exception: false } })) === true;
}

export async function checkOdoo(env: OdooContext, url: string, needs?: CheckNeeds): Promise<CheckReport> {
  const items: CheckItem[] = [];
  const report = (version?: string): CheckReport => ({ system: env.name, ok: items.length > 0 && items.every((i) => i.ok), version, items });
  const fail = (name: string, e: unknown): CheckReport => {
    const err = toSyncError(e);
    items.push({ name, ok: false, message: err.message, hint: err.hint ?? 'see the message' });
    return report();
  };

  let info;
  try {
    info = await env.t.server();
  } catch (e) {
    return fail('reachable', e);
  }
  const version = info.version;
  items.push({ name: 'reachable', ok: true, message: `Odoo ${version} at ${url} (${info.protocol === 'json2' ? 'JSON-2' : 'JSON-RPC'})` });
  const supported = isSupportedMajor(info.major);
  items.push({
    name: 'version',
    ok: supported,
    message: supported ? `version ${info.major} is supported${traitsFor(info.major).jsonrpcDeprecated && info.protocol === 'jsonrpc' ? ' (JSON-RPC is deprecated on this version: use protocol auto or json2)' : ''}` : `Odoo ${version} is older than 16`,
    ...(supported ? {} : { hint: 'Tandem supports Odoo 16, 17, 18 and 19' }),
  });
  let dbName: string | undefined;
  if (info.protocol === 'jsonrpc') {
    try {
      dbName = await env.t.db();
    } catch (e) {
      return fail('database', e);
    }
  }
  let uid: number;
  try {
    uid = await env.t.uid();
  } catch (e) {
    // a database that does not exist shows only at login: report it as the database, never "✓ database"
    const r = fail(/database "[^"]+" does not exist/.test((e as Error).message) ? 'database' : 'login', e);
    return { ...r, version };
  }
  if (dbName !== undefined) items.push({ name: 'database', ok: true, message: `database ${dbName}` });
  items.push({ name: 'login', ok: true, message: `logged in as ${env.t.user} (uid ${uid})` });

  const traits = traitsFor(info.major);
  const rights = neededRights(needs);
  let rules = new Map<string, Restriction>();
  try {
    rules = await readRestrictions(env, uid, [...rights].filter(([, ops]) => ops.has('read')).map(([m]) => m));
  } catch (e) {
    const err = toSyncError(e);
    items.push({ name: 'record rules', ok: false, message: `the groups of user ${env.t.user} could not be read: ${err.message}`, hint: 'make it an Internal User (Settings → Users & Companies → Users)' });
  }
  const checks = await Promise.all(
    [...rights].map(async ([model, ops]): Promise<CheckItem> => {
      try {
        const missing: Op[] = [];
        for (const op of ops) if (!(await hasRight(env, model, op, traits.accessCheck))) missing.push(op);
        const hidden = missing.includes('read') ? undefined : rules.get(model);
        if (missing.length === 0 && !hidden) return { name: `access ${model}`, ok: true, message: `${[...ops].join(', ')} allowed` };
        const lacks = missing.length ? `user ${env.t.user} lacks ${missing.join(', ')} on ${model}` : '';
        const ruleText = hidden ? `record rule "${hidden.rule}" limits user ${env.t.user} to some ${model} records (its own documents): records of others are invisible to Tandem` : '';
        const groups = [...new Set([...(missing.length ? [groupFor(model, info.major)] : []), ...(hidden ? [hidden.lift] : [])])];
        return {
          name: `access ${model}`,
          ok: false,
          message: [lacks, ruleText].filter(Boolean).join('; '),
          hint: `add user ${env.t.user} to the ${groups.join(' and ')} group${groups.length > 1 ? 's' : ''} (Settings → Users & Companies → Users)`,
        };
      } catch (e) {
        const err = toSyncError(e);
        return {
          name: `access ${model}`,
          ok: false,
          message: err.message,
          hint: err.kind === 'config' ? `model ${model} is missing: install the Odoo app it belongs to` : (err.hint ?? 'see the message'),
        };
      }
    }),
  );
  items.push(...checks);
  return report(version);
}
