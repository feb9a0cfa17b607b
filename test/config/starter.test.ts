import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../src/config/json-schema.js';
import { parseConfig } from '../../src/config/load.js';
import { STARTER_SHOPS, starterConfig, starterEnvVars } from '../../src/config/starter.js';

const root = new URL('../../', import.meta.url);

function envFor(text: string): Record<string, string> {
  return Object.fromEntries(starterEnvVars(text).map((v) => [v, `test-value-of-${v}`]));
}

describe('starter config', () => {
  it.each(STARTER_SHOPS)('the %s starter validates once its variables are set, and every credential is a reference', (shop) => {
    const text = starterConfig(shop);
    const loaded = parseConfig(text, envFor(text), '/srv/tandem/tandem.yaml');
    const { config } = loaded;
    expect(Object.values(config.systems).map((s) => s.type).sort()).toEqual([shop, 'odoo'].sort());
    expect(config.flows.map((f) => f.entity)).toEqual(['category', 'product', 'price', 'customer', 'stock', 'order']);
    // every value behind a ${VAR} is a secret here, and each of them is known to the logger
    expect([...loaded.secrets].sort()).toEqual(Object.values(envFor(text)).sort());
    // no credential is written inline
    for (const line of text.split('\n').filter((l) => !l.trim().startsWith('#'))) {
      if (/^\s*(apiKey|consumerKey|consumerSecret|webhookSecret|token|password|apiToken):/.test(line)) expect(line).toMatch(/\$\{[A-Z_]+\}/);
    }
  });

  it('names the variables to set, and fails without them', () => {
    const text = starterConfig('woocommerce');
    expect(starterEnvVars(text)).toEqual(['WOO_CONSUMER_KEY', 'WOO_CONSUMER_SECRET', 'WOO_WEBHOOK_SECRET', 'ODOO_API_KEY']);
    expect(() => parseConfig(text, {})).toThrow(/systems\.erp\.apiKey: environment variable ODOO_API_KEY is not set/);
  });

  it('explains its keys with comments', () => {
    const text = starterConfig('woocommerce');
    const lines = text.split('\n');
    expect(lines.filter((l) => l.includes('#')).length).toBeGreaterThan(40);
    for (const key of ['store:', 'server:', 'systems:', 'flows:', 'stock:', 'orders:', 'alerts:']) {
      const i = lines.findIndex((l) => l.startsWith(key));
      expect(lines[i - 1], `comment above ${key}`).toMatch(/^#|^\s*$/);
    }
  });

  it('tandem.example.yaml is the WooCommerce starter', () => {
    expect(readFileSync(new URL('tandem.example.yaml', root), 'utf8')).toBe(starterConfig('woocommerce'));
  });

  it.each(STARTER_SHOPS)('every key of the %s starter is known to the JSON Schema (editor completion)', (shop) => {
    const unknown: string[] = [];
    checkKeys(parse(starterConfig(shop)), configJsonSchema() as Schema, '', unknown);
    expect(unknown).toEqual([]);
  });
});

describe('docs/configuration.md', () => {
  it('documents every key of the config (systems: the keys the starters use)', () => {
    const doc = readFileSync(new URL('docs/configuration.md', root), 'utf8');
    const schema = configJsonSchema() as Schema;
    const { systems: _systems, ...rest } = (schema.properties ?? {}) as Record<string, Schema>;
    const keys = new Set<string>(Object.keys(schema.properties ?? {}));
    collectKeys({ properties: rest }, keys);
    for (const shop of STARTER_SHOPS) {
      const systems = (parse(starterConfig(shop)) as { systems: Record<string, Record<string, unknown>> }).systems;
      for (const s of Object.values(systems)) for (const k of Object.keys(s)) keys.add(k);
    }
    const missing = [...keys].filter((k) => !doc.includes(`\`${k}\``) && !doc.includes(`\`${k}.`) && !doc.includes(`.${k}\``));
    expect(missing).toEqual([]);
  });
});

type Schema = {
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  const?: unknown;
};

function collectKeys(s: Schema | boolean | undefined, keys: Set<string>): void {
  if (!s || typeof s !== 'object') return;
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    keys.add(k);
    collectKeys(v, keys);
  }
  collectKeys(s.additionalProperties, keys);
  collectKeys(s.items, keys);
  for (const o of [...(s.oneOf ?? []), ...(s.anyOf ?? [])]) collectKeys(o, keys);
}

/** Walks a YAML value and its JSON Schema; records keys the schema does not allow. */
function checkKeys(value: unknown, s: Schema, path: string, unknown: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => s.items && checkKeys(v, s.items, `${path}[${i}]`, unknown));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const obj = value as Record<string, unknown>;
  const options = [...(s.oneOf ?? []), ...(s.anyOf ?? [])];
  if (options.length > 0) {
    const match = options.find((o) => o.properties?.type?.const === obj.type) ?? options[0];
    if (match) checkKeys(value, match, path, unknown);
    return;
  }
  for (const [k, v] of Object.entries(obj)) {
    const sub = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
    if (!sub) unknown.push(`${path}.${k}`);
    else checkKeys(v, sub, `${path}.${k}`, unknown);
  }
}
