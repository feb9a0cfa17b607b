/**
 * tandem.yaml for the end-to-end tests: the two simulators, the catalog flows of the brief (product and
 * customer both ways, categories shop→ERP, stock ERP→shop) and two stock locations. Available as a parsed
 * Config (in-process engines) and as YAML text + env (the CLI, child processes).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { Config, type ConfigInput } from '../../../src/config/schema.js';
import { WEBHOOK_SECRET, type Sims } from './sims.js';

export type FlowInput = NonNullable<ConfigInput['flows']>[number];

export const CATALOG_FLOWS: FlowInput[] = [
  { entity: 'category', direction: 'shop->erp', schedule: '15m' },
  { entity: 'product', direction: 'both', schedule: '15m' },
  { entity: 'customer', direction: 'both', schedule: '15m' },
  { entity: 'stock', direction: 'erp->shop', schedule: '5m' },
];

export interface E2eConfigOptions {
  storeUrl: string;
  flows?: FlowInput[];
  /** Extra top-level sections (stock, alerts, server…), merged over the defaults. */
  extra?: Partial<ConfigInput>;
  /** Shop webhook secret configured (default true). */
  webhookSecret?: boolean;
  /** Settings of the Odoo system over the defaults (e.g. writeBatchSize, writeConcurrency, a proxy url). */
  erp?: { url?: string; writeBatchSize?: number; writeConcurrency?: number };
}

/** The config as written in YAML: secrets as ${ENV} references. */
export function configInput(sims: Sims, opts: E2eConfigOptions, secrets: 'inline' | 'env' = 'inline'): ConfigInput {
  const s = (name: string, value: string) => (secrets === 'env' ? `\${${name}}` : value);
  return {
    store: { url: opts.storeUrl },
    log: { level: 'warn' },
    systems: {
      shop: {
        type: 'rest-shop',
        url: sims.shopUrl,
        auth: { type: 'bearer', token: s('SHOP_TOKEN', sims.shop.token) },
        ...(opts.webhookSecret !== false && { webhookSecret: s('SHOP_WEBHOOK_SECRET', WEBHOOK_SECRET) }),
        currency: 'EUR',
      },
      erp: { type: 'odoo', url: sims.odoo.url, db: sims.odoo.db, user: sims.odoo.admin.login, apiKey: s('ODOO_API_KEY', sims.odoo.admin.apiKey), ...opts.erp },
    },
    flows: opts.flows ?? CATALOG_FLOWS,
    stock: { locations: [{ erp: sims.erpLocations[0], shop: 'berlin' }, { erp: sims.erpLocations[1], shop: 'kyiv' }] },
    ...opts.extra,
  };
}

export function e2eConfig(sims: Sims, opts: E2eConfigOptions): Config {
  return Config.parse(configInput(sims, opts));
}

/** The env holding the secrets of the YAML config. */
export function secretEnv(sims: Sims): Record<string, string> {
  return { SHOP_TOKEN: sims.shop.token, SHOP_WEBHOOK_SECRET: WEBHOOK_SECRET, ODOO_API_KEY: sims.odoo.admin.apiKey };
}

/** Writes tandem.yaml into `dir`; returns its path. */
export function writeConfigFile(dir: string, sims: Sims, opts: E2eConfigOptions): string {
  const path = join(dir, 'tandem.yaml');
  writeFileSync(path, stringify(configInput(sims, opts, 'env')));
  return path;
}
