/**
 * The tandem.yaml of a sandbox: the starter config of `tandem init --shop <type>` (the one a new user
 * gets) with the simulators' addresses filled in, the sale tax and carrier the simulated Odoo has, and
 * server.publicUrl on this machine so the shop's webhooks reach `tandem serve`. Credentials stay
 * ${ENV} references; their values go to the .env file beside it.
 */
import { starterConfig, starterEnvVars, type StarterShop } from '../config/starter.js';
import { SANDBOX_TAX } from './catalog.js';

export const SANDBOX_MARK = '# written by `tandem sandbox`';

export interface SandboxAddresses {
  shop: StarterShop;
  shopUrl: string;
  odooUrl: string;
  odooDb: string;
  odooUser: string;
  serverPort: number;
}

function replaceOnce(text: string, from: string | RegExp, to: string): string {
  const next = text.replace(from, to);
  if (next === text) throw new Error(`sandbox config: the starter config has no ${String(from)}`);
  return next;
}

export function sandboxConfig(a: SandboxAddresses): string {
  let text = starterConfig(a.shop);
  text = replaceOnce(text, a.shop === 'rest-shop' ? 'url: https://shop.example.com/api/tandem' : 'url: https://shop.example.com ', a.shop === 'rest-shop' ? `url: ${a.shopUrl}` : `url: ${a.shopUrl} `);
  text = replaceOnce(text, 'url: https://erp.example.com ', `url: ${a.odooUrl} `);
  text = replaceOnce(text, 'db: production ', `db: ${a.odooDb} `);
  text = replaceOnce(text, 'user: shop-bot ', `user: ${a.odooUser} `);
  text = replaceOnce(text, /port: 8787\n {2}# Public URL[^\n]*\n {2}# publicUrl: [^\n]*\n/, `port: ${a.serverPort}\n  # Public URL the shop can reach for webhooks (here: this machine)\n  publicUrl: http://127.0.0.1:${a.serverPort}\n`);
  text = replaceOnce(text, /carriers: \{\}[^\n]*/, 'carriers: { standard: Standard delivery, "Flat rate": Standard delivery }');
  text = replaceOnce(text, /taxes: \[\][^\n]*/, `taxes: [{ rate: "20", erpTax: "${SANDBOX_TAX}" }]`);
  return `${SANDBOX_MARK} for the simulators it started; \`tandem sandbox --force\` writes it again.\n${text}`;
}

/** The .env text: every variable the config references, with the simulators' credentials. */
export function sandboxEnv(configText: string, values: Record<string, string>): string {
  const lines = starterEnvVars(configText).map((name) => {
    const v = values[name];
    if (v === undefined) throw new Error(`sandbox config: no value for ${name}`);
    return `${name}=${v}`;
  });
  return `${SANDBOX_MARK}: credentials of the simulators (not real secrets)\n${lines.join('\n')}\n`;
}
