/** A configured API key never appears in the log output: in a message, an object, an error, a URL. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { createLogger, secretScrubber } from '../../src/shared/log.js';

const API_KEY = 'odoo_5f4dcc3b5aa765d61d8327deb882cf99';
const WOO_SECRET = 'cs_9b1/d+e"x\\y';

function config(): ReturnType<typeof parseConfig> {
  return parseConfig(
    `
systems:
  erp: { type: odoo, url: https://erp.example.com, user: bot, apiKey: "\${ODOO_API_KEY}" }
  shop: { type: woocommerce, url: https://shop.example.com, consumerKey: "\${WOO_KEY}", consumerSecret: "\${WOO_SECRET}" }
`,
    { ODOO_API_KEY: API_KEY, WOO_KEY: 'ck_1234567890abcdef', WOO_SECRET },
  );
}

function capture(secrets: readonly string[]) {
  const chunks: string[] = [];
  const log = createLogger({ level: 'trace', secrets, destination: { write: (s: string) => void chunks.push(s) } });
  return { log, output: () => chunks.join('') };
}

describe('log redaction', () => {
  it('never writes a configured secret, wherever it is logged', () => {
    const { secrets, config: cfg } = config();
    const { log, output } = capture(secrets);
    log.info(`calling Odoo with key ${API_KEY}`);
    log.info({ request: { body: { params: { args: ['db', 2, API_KEY, 'res.partner'] } } } }, 'rpc');
    log.error({ err: new Error(`authentication failed for key ${API_KEY}`) }, 'login failed');
    log.error(new Error(`nested cause: ${API_KEY}`, { cause: new Error(API_KEY) }));
    log.warn({ url: `https://erp.example.com/json/2/res.partner/search?api_key=${encodeURIComponent(API_KEY)}` }, 'slow call');
    log.warn({ url: `https://shop.example.com/wp-json/wc/v3/orders?consumer_secret=${encodeURIComponent(WOO_SECRET)}` }, 'slow call');
    log.debug({ settings: cfg.systems }, 'settings');
    log.child({ system: 'odoo', key: API_KEY }).info('child logger');
    log.info({ text: `quoted ${WOO_SECRET}` }, 'json-escaped secret');

    const out = output();
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(9);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    for (const s of secrets) {
      expect(out).not.toContain(s);
      expect(out).not.toContain(encodeURIComponent(s));
      expect(out).not.toContain(JSON.stringify(s).slice(1, -1));
    }
    expect(out).toContain('[REDACTED]');
    // what is not secret stays readable
    expect(out).toContain('https://erp.example.com/json/2/res.partner/search?api_key=[REDACTED]');
    expect(out).toContain('authentication failed for key [REDACTED]');
  });

  it('redacts credential fields by name even when the value is not a configured secret', () => {
    const { log, output } = capture([]);
    log.info({ apiKey: 'inline-1', headers: { authorization: 'Bearer abc' }, req: { headers: { authorization: 'Basic xyz', 'x-api-key': 'k-2' } }, nested: { config: { password: 'p-3' } } }, 'request');
    const line = JSON.parse(output()) as Record<string, unknown>;
    expect(line).toMatchObject({
      apiKey: '[REDACTED]',
      headers: { authorization: '[REDACTED]' },
      req: { headers: { authorization: '[REDACTED]', 'x-api-key': '[REDACTED]' } },
      nested: { config: { password: '[REDACTED]' } },
    });
  });

  it('leaves the output untouched when there are no secrets, and scrubs longest first', () => {
    const { log, output } = capture([]);
    log.info('plain message');
    expect(JSON.parse(output())).toMatchObject({ level: 'info', msg: 'plain message' });
    const scrub = secretScrubber(['abcd', 'abcdefgh']);
    expect(scrub('x abcdefgh y abcd z')).toBe('x [REDACTED] y [REDACTED] z');
    expect(scrub('a.b*c')).toBe('a.b*c');
  });
});
