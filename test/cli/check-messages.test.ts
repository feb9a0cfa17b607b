import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
/**
 * `tandem check` messages that point at the fix (issue 14, point 6), against the sandbox's WooCommerce
 * and Odoo simulators: a wrong consumer secret names the secret; an unreachable shop is one short line
 * (no OAuth query); a wrong Odoo database is a failed "database" item, never "✓ database" followed by
 * PostgreSQL's text.
 */
import { expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { sandboxConfig, sandboxEnv } from '../../src/sandbox/config-text.js';
import { startSandbox } from '../../src/sandbox/sandbox.js';
import { tempDir } from '../helpers/db.js';
import { captureIO } from '../e2e/support/cli.js';

it('wrong secret, unreachable shop, wrong database', async () => {
  const tmp = await tempDir('tandem-check-messages-');
  const sb = await startSandbox({ shop: 'woocommerce', odooVersion: 17, serverPort: 9 });
  const text = sandboxConfig({ shop: 'woocommerce', shopUrl: sb.state.shopUrl, odooUrl: sb.odoo.url, odooDb: sb.odoo.db, odooUser: sb.odoo.admin.login, serverPort: 9 });
  const check = async (t: string, env: Record<string, string>) => {
    writeFileSync(join(tmp.dir, 'tandem.yaml'), t);
    writeFileSync(join(tmp.dir, '.env'), sandboxEnv(t, env));
    const io = captureIO({ cwd: tmp.dir, env: {} });
    const code = await run(['node', 'tandem', '--log-format', 'json', 'check'], io);
    return { code, out: io.stdoutText() };
  };
  try {
    const secret = await check(text, { ...sb.env, WOO_CONSUMER_SECRET: 'cs_wrong' });
    expect(secret.code).toBe(1);
    expect(secret.out).toMatch(/✗ connection: Invalid signature[^\n]*\n\s+→ check consumerSecret in tandem.yaml/);

    const unreachable = await check(text.replace(sb.state.shopUrl, 'http://127.0.0.1:9'), sb.env);
    expect(unreachable.code).toBe(1);
    expect(unreachable.out).toContain('✗ connection: GET http://127.0.0.1:9/wp-json/wc/v3/system_status failed: connect ECONNREFUSED');
    expect(unreachable.out).not.toMatch(/oauth_|\?/);

    const db = await check(text.replace(`db: ${sb.odoo.db} `, 'db: nope '), sb.env);
    expect(db.code).toBe(1);
    expect(db.out).toContain('✗ database: database "nope" does not exist on this Odoo server');
    expect(db.out).not.toContain('✓ database');
    expect(db.out).not.toMatch(/FATAL|port 5432/);
  } finally {
    await sb.close();
    await tmp.cleanup();
  }
}, 120_000);
