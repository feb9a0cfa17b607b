import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfigPath, loadConfig, parseConfig, type Env } from '../../src/config/load.js';
import { UsageError } from '../../src/shared/errors.js';

const ENV: Env = { ODOO_API_KEY: 'odoo-key-123456', WOO_KEY: 'ck_abcdef123456', WOO_SECRET: 'cs_secret_987654' };

/** A valid config; `extraFlow` lines are appended under flows. */
function yaml(parts: { flows?: string; erp?: string; top?: string } = {}): string {
  return `
${parts.top ?? ''}
systems:
  erp:
    type: odoo
    url: https://erp.example.com
    user: shop-bot
    apiKey: \${ODOO_API_KEY}
${parts.erp ?? ''}
  shop:
    type: woocommerce
    url: https://shop.example.com
    consumerKey: \${WOO_KEY}
    consumerSecret: \${WOO_SECRET}
flows:
  - entity: product
    direction: erp->shop
  - entity: stock
    direction: erp->shop
    schedule: "*/5 * * * *"
${parts.flows ?? ''}
`;
}

/** The lines of the UsageError thrown for `text`. */
function problems(text: string, env: Env = ENV, source = 'tandem.yaml'): string[] {
  try {
    parseConfig(text, env, source);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).exitCode).toBe(2);
    return (e as Error).message.split('\n');
  }
  throw new Error('expected the config to be rejected');
}

describe('parseConfig: valid config', () => {
  it('substitutes ${VAR}, applies defaults and collects the secrets', () => {
    const loaded = parseConfig(yaml(), ENV, '/srv/tandem/tandem.yaml');
    const erp = loaded.config.systems.erp;
    expect(erp?.type === 'odoo' && erp.apiKey).toBe('odoo-key-123456');
    expect(loaded.config.flows[0]?.schedule).toBe('15m');
    expect(loaded.config.flows[1]?.schedule).toBe('*/5 * * * *');
    expect(loaded.config.flows[0]?.errors.maxAttempts).toBe(8);
    expect(loaded.secrets.sort()).toEqual(['ck_abcdef123456', 'cs_secret_987654', 'odoo-key-123456']);
    expect(loaded.storeUrl).toBe('sqlite:/srv/tandem/.tandem/tandem.db');
    expect(loaded.path).toBe('/srv/tandem/tandem.yaml');
    expect(loaded.masterKey).toBeUndefined();
  });

  it('supports ${VAR:-default}, ${VAR-default} and the $${VAR} escape', () => {
    const text = yaml({ erp: '    db: ${ODOO_DB:-production}\n    lang: ${ODOO_LANG-de_DE}\n    warehouse: "$${NOT_A_VAR}"' });
    const erp = parseConfig(text, ENV).config.systems.erp;
    expect(erp?.type === 'odoo' && [erp.db, erp.lang, erp.warehouse]).toEqual(['production', 'de_DE', '${NOT_A_VAR}']);
    const erp2 = parseConfig(text, { ...ENV, ODOO_DB: '', ODOO_LANG: '' }).config.systems.erp;
    // ":-" falls back on empty, "-" only on unset
    expect(erp2?.type === 'odoo' && [erp2.db, erp2.lang]).toEqual(['production', '']);
  });

  it('treats inline credentials, URL passwords and TANDEM_MASTER_KEY as secrets', () => {
    const text = yaml({ top: 'alerts:\n  channels:\n    - { type: email, smtp: "smtp://ops:mail-pass-42@mail.example.com:587", from: a@example.com, to: [b@example.com] }' }).replace(
      '${ODOO_API_KEY}',
      'inline-odoo-key',
    );
    const loaded = parseConfig(text, { ...ENV, TANDEM_MASTER_KEY: 'master-key-0123456789' });
    expect(loaded.secrets).toContain('inline-odoo-key');
    expect(loaded.secrets).toContain('mail-pass-42');
    expect(loaded.secrets).toContain('master-key-0123456789');
    expect(loaded.masterKey).toBe('master-key-0123456789');
    expect(loaded.secrets).not.toContain('https://erp.example.com');
    expect(loaded.secrets).not.toContain('shop-bot');
  });

  it('resolves the store URL: TANDEM_DATABASE_URL wins, sqlite paths are relative to the config folder', () => {
    const pg = 'postgres://tandem:db-pass-777@db.internal:5432/tandem';
    const fromEnv = parseConfig(yaml({ top: 'store: { url: sqlite:state.db }' }), { ...ENV, TANDEM_DATABASE_URL: pg }, '/etc/tandem/tandem.yaml');
    expect(fromEnv.storeUrl).toBe(pg);
    expect(fromEnv.secrets).toContain('db-pass-777');
    expect(parseConfig(yaml({ top: 'store: { url: sqlite:state.db }' }), ENV, '/etc/tandem/tandem.yaml').storeUrl).toBe('sqlite:/etc/tandem/state.db');
    expect(parseConfig(yaml({ top: 'store: { url: "sqlite:///var/lib/t.db" }' }), ENV, '/etc/tandem/tandem.yaml').storeUrl).toBe('sqlite:/var/lib/t.db');
    expect(parseConfig(yaml({ top: 'store: { url: "sqlite::memory:" }' }), ENV).storeUrl).toBe('sqlite::memory:');
  });
});

describe('parseConfig: every problem as `path: message`', () => {
  it('names the exact path and the expectation for a bad schedule', () => {
    const lines = problems(yaml({ flows: '  - entity: order\n    direction: both\n    schedule: every 15 minute' }));
    expect(lines).toEqual(['flows[order].schedule: "every 15 minute" is neither a cron expression nor an interval like "15m"']);
  });

  it('names an owned field that the entity does not have', () => {
    const lines = problems(yaml({ flows: '  - entity: order\n    direction: both\n    owner: { fields: { "lines.prize": erp } }' }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^flows\[order\]\.owner\.fields\["lines\.prize"\]: is not a field of order \(fields: .*lines\.unitPrice/);
  });

  it.each(['"__proto__.x"', '"constructor"', '"variants.prototype"', '"lines[0].__proto__"'])('refuses the prototype key %s in fields and owner.fields', (key) => {
    const name = key.slice(1, -1);
    const lines = problems(yaml({ flows: `  - entity: order\n    direction: both\n    fields: { ${key}: "1" }\n    owner: { fields: { ${key}: erp } }` }));
    const bad = name.match(/__proto__|constructor|prototype/)![0];
    const at = /^[A-Za-z_]\w*$/.test(name) ? `.${name}` : `["${name}"]`;
    expect(lines).toEqual([
      `flows[2].fields${at}: "${bad}" is not allowed in a field path (it would change every object's prototype); use the field's real name`,
      `flows[2].owner.fields${at}: "${bad}" is not allowed in a field path (it would change every object's prototype); use the field's real name`,
    ]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('names the config path and the variable when an environment variable is missing', () => {
    const { ODOO_API_KEY: _unset, ...env } = ENV;
    expect(problems(yaml(), env)).toEqual(['systems.erp.apiKey: environment variable ODOO_API_KEY is not set']);
    expect(problems(yaml(), { ...ENV, ODOO_API_KEY: '' })).toEqual(['systems.erp.apiKey: environment variable ODOO_API_KEY is set but empty']);
  });

  it('rejects a malformed reference', () => {
    const lines = problems(yaml().replace('${ODOO_API_KEY}', '"${ODOO API KEY}"'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^systems\.erp\.apiKey: "\$\{ODOO API KEY\}" has a malformed reference/);
  });

  it('reports unknown keys with a suggestion, at every level', () => {
    const text = yaml({ flows: '  - entity: order\n    direction: both\n    shedule: 5m', erp: '    apikey: x', top: 'stor: {}\nfoo: 1' });
    const lines = problems(text);
    expect(lines).toContain('tandem.yaml: unknown key "stor" (did you mean "store"?)');
    expect(lines).toContain('tandem.yaml: unknown key "foo"');
    expect(lines).toContain('systems.erp: unknown key "apikey" (did you mean "apiKey"?)');
    expect(lines).toContain('flows[order]: unknown key "shedule" (did you mean "schedule"?)');
  });

  it('reports all issues at once, with what was expected and what was found', () => {
    const text = yaml({
      flows: '  - { entity: produkt, direction: erp-shop, batchSize: 0, priority: high }',
      top: 'server: { port: 99999 }',
    }).replace('type: woocommerce', 'type: woocomerce');
    const lines = problems(text);
    expect(lines).toEqual(
      expect.arrayContaining([
        'server.port: must be at most 65535, got 99999',
        'systems.shop.type: must be one of "odoo", "woocommerce", "rest-shop", got "woocomerce" (did you mean "woocommerce"?)',
        'flows[2].direction: must be one of "shop->erp", "erp->shop", "both", got "erp-shop" (did you mean "erp->shop"?)',
        'flows[2].batchSize: must be at least 1, got 0',
        'flows[2].priority: must be a number, got "high"',
      ]),
    );
    expect(lines.some((l) => l.startsWith('flows[2].entity: must be one of "category", ') && l.endsWith('got "produkt" (did you mean "product"?)'))).toBe(true);
    expect(lines).toHaveLength(6);
  });

  it('says what a missing required key is', () => {
    const lines = problems(yaml().replace('    user: shop-bot\n', ''));
    expect(lines).toEqual(['systems.erp.user: is required (login of the dedicated integration user, e.g. shop-bot)']);
  });

  it('quotes keys that are not plain words and reports invalid JSONata', () => {
    const lines = problems(yaml({ flows: '  - entity: order\n    direction: both\n    fields:\n      "variants.price": "$$round(("' }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^flows\[order\]\.fields\["variants\.price"\]: is not a valid JSONata expression/);
  });

  it('reports the cross-field rules of the schema', () => {
    const lines = problems(yaml({ flows: '  - entity: product\n    direction: both' }));
    expect(lines).toEqual(['flows[2].entity: "product" has a flow already; one flow per entity (use direction: both for two-way)']);
  });

  it('rejects a store URL that is neither sqlite nor postgres, without echoing its password', () => {
    expect(problems(yaml({ top: 'store: { url: "mysql://u:pw-1234@h/db" }' }))).toEqual([
      'store.url: "mysql://u:***@h/db" is not a store URL: use sqlite:<file> (e.g. sqlite:.tandem/tandem.db) or postgres://user@host:5432/database',
    ]);
    expect(problems(yaml(), { ...ENV, TANDEM_DATABASE_URL: 'postgres://' })[0]).toMatch(/^TANDEM_DATABASE_URL: /);
  });

  it('reports YAML syntax errors with line:col', () => {
    expect(problems('systems:\n  erp: [1, 2\nflows: 3\n', ENV, 'conf/tandem.yaml')).toEqual([
      'conf/tandem.yaml:3:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
    expect(problems('a: 1\na: 2\n')).toEqual(['tandem.yaml:2:1: YAML syntax error: Map keys must be unique']);
  });

  it('explains that ${VAR} must be quoted inside flow collections', () => {
    const lines = problems('systems:\n  erp: { type: odoo, apiKey: ${ODOO_API_KEY} }\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^tandem\.yaml:2:\d+: YAML syntax error: .*\(inside \{ \} or \[ \], quote \$\{VAR\} references: "\$\{VAR\}"\)$/);
  });

  it('rejects an empty file and a file that is not a mapping', () => {
    expect(problems('# nothing\n')[0]).toMatch(/^tandem\.yaml: the file is empty/);
    expect(problems('- a\n- b\n')).toEqual(['tandem.yaml: must be a mapping of keys like "systems:" and "flows:", got a list']);
  });

  it('does not let a __proto__ key change object prototypes', () => {
    const lines = problems(yaml({ top: '__proto__: { polluted: true }' }));
    expect(lines).toEqual(['tandem.yaml: unknown key "__proto__"']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-load-'));

  it('reads the file and anchors the store next to it', () => {
    const path = join(dir, 'tandem.yaml');
    writeFileSync(path, yaml());
    expect(loadConfig(path, ENV).storeUrl).toBe(`sqlite:${join(dir, '.tandem/tandem.db')}`);
  });

  it('says how to get a config when the file is missing', () => {
    const missing = join(dir, 'nope', 'tandem.yaml');
    expect(() => loadConfig(missing, ENV)).toThrow(
      new UsageError(`no tandem.yaml in ${join(dir, 'nope')}: run \`tandem init\` to write a starter config, or pass --config <file>`),
    );
  });

  it('says so when the path is a folder', () => {
    mkdirSync(join(dir, 'folder'), { recursive: true });
    expect(() => loadConfig(join(dir, 'folder'), ENV)).toThrow(/is a folder, not a config file/);
  });

  it('finds the default config path from TANDEM_CONFIG or the working directory', () => {
    expect(defaultConfigPath({}, '/work/x')).toBe('/work/x/tandem.yaml');
    expect(defaultConfigPath({ TANDEM_CONFIG: 'conf/t.yaml' }, '/work/x')).toBe('/work/x/conf/t.yaml');
    expect(defaultConfigPath({ TANDEM_CONFIG: '/etc/t.yaml' }, '/work/x')).toBe('/etc/t.yaml');
  });
});
