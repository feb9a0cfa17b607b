/**
 * Every connector Tandem knows, composed from their modules. The only file that names them all: adding a
 * connector is its folder (with a `module.ts`) and one entry in `MODULES`. Config (the settings union, the
 * roles), `tandem init` (the starters) and the engine (building the systems) read them from here.
 */
import { z } from 'zod';
import type { SystemRole } from '../model/system-role.js';
import type { Connector, ErpConnector, ShopConnector } from './contract.js';
import type { ConnectorDeps } from './deps.js';
import type { ConnectorModule } from './module.js';
import { odooModule } from './odoo/module.js';
import { wooCommerceModule } from './woocommerce/module.js';
import { restShopModule } from './rest-shop/module.js';

/** The connectors, the shops in the order `tandem init --shop` offers them. */
export const MODULES = [odooModule, wooCommerceModule, restShopModule] as const;

type Settings<M> = M extends { settingsSchema: infer S } ? S : never;
type SchemasOf<T extends readonly unknown[]> = { [K in keyof T]: Settings<T[K]> };
type SettingsSchemas = SchemasOf<typeof MODULES>;

/** `systems.<name>` of tandem.yaml: the settings of one of the connectors, told apart by `type`. */
export const SystemConfig = z.discriminatedUnion('type', MODULES.map((m) => m.settingsSchema) as unknown as SettingsSchemas);
export type SystemConfig = z.infer<typeof SystemConfig>;
export type ConnectorType = SystemConfig['type'];

export function moduleOf(type: ConnectorType): ConnectorModule {
  const m = MODULES.find((x) => x.type === type);
  if (!m) throw new Error(`no connector of type "${type}" is registered (known: ${MODULES.map((x) => x.type).join(', ')})`);
  return m as unknown as ConnectorModule;
}

export function roleOfType(type: ConnectorType): SystemRole {
  return moduleOf(type).role;
}

/** The connectors of one role, in registry order. */
export function modulesOfRole(role: SystemRole): ConnectorModule[] {
  return MODULES.filter((m) => m.role === role) as unknown as ConnectorModule[];
}

export function createConnector(name: string, settings: SystemConfig, deps: ConnectorDeps): Connector {
  return moduleOf(settings.type).create(name, settings, deps);
}

/** The shop and the ERP of a config (the schema guarantees at most one of each). */
export function createSystems(systems: Record<string, SystemConfig>, deps: ConnectorDeps): { shop: ShopConnector; erp: ErpConnector; names: { shop: string; erp: string } } {
  let shop: ShopConnector | undefined;
  let erp: ErpConnector | undefined;
  const names = { shop: '', erp: '' };
  // the shop's name: an ERP connector's default namespace for shop order numbers
  const shopName = Object.entries(systems).find(([, s]) => roleOfType(s.type) === 'shop')?.[0];
  for (const [name, settings] of Object.entries(systems)) {
    const c = createConnector(name, settings, { ...deps, ...(shopName && { shopName }) });
    if (roleOfType(settings.type) === 'shop') {
      shop = c as ShopConnector;
      names.shop = name;
    } else {
      erp = c as ErpConnector;
      names.erp = name;
    }
  }
  if (!shop || !erp) throw new Error('tandem.yaml needs one shop system and one ERP system');
  return { shop, erp, names };
}
