/** `tandem secret` and ${secret:NAME}: a credential stored encrypted in the store and used by a command. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main.js';
import { startOdooSimulator, startRestShopSimulator, type OdooSimulator, type RestShopSimulator } from '../../src/simulators/index.js';

let dir: string;
let odoo: OdooSimulator;
let shop: RestShopSimulator;
const MASTER = 'f'.repeat(64);

async function cli(args: string[], env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const code = await run(['node', 'tandem', ...args], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, env: { TANDEM_MASTER_KEY: MASTER, SHOP_TOKEN: shop.token, ...env }, cwd: dir });
  return { code, out, err };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-secret-'));
  odoo = await startOdooSimulator({ version: 17 });
  shop = await startRestShopSimulator();
  writeFileSync(join(dir, 'tandem.yaml'), `store: { url: "sqlite:tandem.db" }
systems:
  shop: { type: rest-shop, url: "${shop.url}", auth: { type: bearer, token: "\${SHOP_TOKEN}" } }
  erp: { type: odoo, url: "${odoo.url}", db: "${odoo.db}", user: "${odoo.admin.login}", apiKey: "\${secret:odoo_key}" }
flows:
  - { entity: product, direction: shop->erp }
`);
});

afterAll(async () => {
  await odoo.close();
  await shop.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('stored secrets', () => {
  it('a missing stored secret is one clear line naming the config path', async () => {
    const r = await cli(['check', '--system', 'erp']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/systems\.erp\.apiKey: stored secret "odoo_key" does not exist — store it with `tandem secret set odoo_key`/);
  });

  it('set (from an env var), list, use it — the value is encrypted in the file and never printed', async () => {
    const set = await cli(['secret', 'set', 'odoo_key', '--from-env', 'ODOO_KEY_VALUE'], { ODOO_KEY_VALUE: odoo.admin.apiKey });
    expect(set.code).toBe(0);
    expect(set.out).toMatch(/stored secret odoo_key \(encrypted\)/);
    expect(readFileSync(join(dir, 'tandem.db')).includes(Buffer.from(odoo.admin.apiKey))).toBe(false);
    const list = await cli(['secret', 'list']);
    expect(list.out).toMatch(/^odoo_key {2}\(updated /);
    const check = await cli(['check', '--system', 'erp', '--verbose']);
    expect(check.code).toBe(0);
    expect(check.out).toMatch(/✓ erp/);
    expect(check.out + check.err).not.toContain(odoo.admin.apiKey);
  });

  it('without TANDEM_MASTER_KEY the command says how to get one', async () => {
    const r = await cli(['check', '--system', 'erp'], { TANDEM_MASTER_KEY: '' });
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/TANDEM_MASTER_KEY/);
  });

  it('delete refuses an unknown name', async () => {
    expect((await cli(['secret', 'delete', 'nope'])).code).toBe(2);
    expect((await cli(['secret', 'delete', 'odoo_key'])).code).toBe(0);
  });
});
