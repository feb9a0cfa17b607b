/**
 * No silent polling-only mode (issue 14, point 4): without server.publicUrl Tandem registers no webhooks
 * with the shop, so /api/status (and the dashboard from it) says "polling only, every 5m" for the flows
 * the shop feeds, serve warns at start, and `tandem init` explains it or takes --public-url.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { pollingOnlyWarning } from '../../src/engine/webhook-state.js';
import { startTestServer } from '../server/support/test-server.js';

const WOO = { type: 'woocommerce', url: 'http://127.0.0.1:9', consumerKey: 'ck_x', consumerSecret: 'cs_x', webhookSecret: 'hook', currency: 'EUR' } as const;
const REST = { type: 'rest-shop', url: 'http://127.0.0.1:9/shop', auth: { type: 'bearer', token: 't' }, webhookSecret: 'hook', currency: 'EUR' } as const;
const ERP = { type: 'odoo', url: 'http://127.0.0.1:9', db: 'odoo', user: 'admin', apiKey: 'k' } as const;
const FLOWS: ConfigInput['flows'] = [
  { entity: 'order', direction: 'both', schedule: '5m', webhooks: true },
  { entity: 'customer', direction: 'shop->erp', schedule: '15m', webhooks: false },
  { entity: 'stock', direction: 'erp->shop', schedule: '5m' },
];

async function flowStates(extra: Partial<ConfigInput>): Promise<{ states: Record<string, string>; warning: string | undefined }> {
  const t = await startTestServer('sqlite::memory:', { flows: FLOWS, ...extra });
  try {
    const res = await fetch(`${t.url}/api/status`, { headers: { authorization: `Bearer ${t.tokens.viewer}` } });
    const body = (await res.json()) as { flows: Array<{ entity: string; webhookState: string }> };
    return { states: Object.fromEntries(body.flows.map((f) => [f.entity, f.webhookState])), warning: pollingOnlyWarning(t.engine) };
  } finally {
    await t.close();
  }
}

describe('webhook state', () => {
  it.each([
    ['WooCommerce without publicUrl', { systems: { shop: WOO, erp: ERP } }, { order: 'polling only, every 5m', customer: 'polling only, every 15m', stock: 'off' }, true],
    ['WooCommerce with publicUrl', { systems: { shop: WOO, erp: ERP }, server: { publicUrl: 'https://tandem.example.com' } }, { order: 'on', customer: 'polling only, every 15m', stock: 'off' }, false],
    ['REST shop (its admin points the webhooks at Tandem)', { systems: { shop: REST, erp: ERP } }, { order: 'on', customer: 'polling only, every 15m', stock: 'off' }, false],
  ] as const)('%s', async (_name, extra, states, warns) => {
    const got = await flowStates(extra as Partial<ConfigInput>);
    expect(got.states).toEqual(states);
    if (warns) expect(got.warning).toMatch(/^server.publicUrl is not set, so the shop's webhooks are not registered: polling only \(order every 5m\)/);
    else expect(got.warning).toBeUndefined();
  });
});

describe('tandem init and server.publicUrl', () => {
  const init = async (args: string[]) => {
    const cwd = mkdtempSync(join(tmpdir(), 'tandem-init-url-'));
    let stdout = '';
    let stderr = '';
    const code = await run(['node', 'tandem', 'init', ...args], { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: {}, cwd });
    return { code, stdout, stderr, yaml: code === 0 ? readFileSync(join(cwd, 'tandem.yaml'), 'utf8') : '' };
  };

  it('without --public-url: explains what polling only means', async () => {
    const r = await init([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('server.publicUrl is not set');
    expect(r.stdout).toContain('polling only, every 5m');
    expect(r.yaml).toContain('# publicUrl: https://tandem.example.com');
  });

  it('--public-url fills it in; a bad URL is refused', async () => {
    const r = await init(['--public-url', 'https://sync.myshop.example/']);
    expect(r.code).toBe(0);
    expect(r.yaml).toMatch(/^ {2}publicUrl: https:\/\/sync\.myshop\.example$/m);
    expect(r.stdout).not.toContain('server.publicUrl is not set');
    const bad = await init(['--public-url', 'sync.myshop']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--public-url "sync.myshop" is not a URL');
  });
});
