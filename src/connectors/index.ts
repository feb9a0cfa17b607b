/** Builds the connector of each system in tandem.yaml. The only place that knows every connector. */
import type { SystemConfig } from '../config/schema.js';
import { ROLE_OF_TYPE } from '../config/schema.js';
import type { Connector, ErpConnector, ShopConnector } from './contract.js';
import type { ConnectorDeps } from './deps.js';
import { createOdooConnector } from './odoo/index.js';
import { createWooCommerceConnector } from './woocommerce/index.js';
import { createRestShopConnector } from './rest-shop/index.js';

export function createConnector(name: string, settings: SystemConfig, deps: ConnectorDeps): Connector {
  switch (settings.type) {
    case 'odoo':
      return createOdooConnector(name, settings, deps);
    case 'woocommerce':
      return createWooCommerceConnector(name, settings, deps);
    case 'rest-shop':
      return createRestShopConnector(name, settings, deps);
  }
}

/** The shop and the ERP of a config (the schema guarantees at most one of each). */
export function createSystems(systems: Record<string, SystemConfig>, deps: ConnectorDeps): { shop: ShopConnector; erp: ErpConnector; names: { shop: string; erp: string } } {
  let shop: ShopConnector | undefined;
  let erp: ErpConnector | undefined;
  const names = { shop: '', erp: '' };
  const shopName = Object.entries(systems).find(([, s]) => ROLE_OF_TYPE[s.type] === 'shop')?.[0];
  for (const [name, settings] of Object.entries(systems)) {
    const c = createConnector(name, settings, { ...deps, ...(shopName && { shopName }), ...(deps.log && { log: deps.log.child({ system: name }) }) });
    if (ROLE_OF_TYPE[settings.type] === 'shop') {
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
