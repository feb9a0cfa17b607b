/**
 * Every starter config (`tandem init --shop <type>`) runs end to end against the sandbox (issue 14, points
 * 1 and 7): the sandbox's simulators with the starter pointed at them; check → plan → sync --initial (exit
 * 0, no differences) → an order placed through the sandbox's control → sync order imports it → trace finds
 * it by its shop number; sandbox stock changes the ERP and the next stock sync carries it to the shop.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { sandboxConfig, sandboxEnv } from '../../src/sandbox/config-text.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { writeState } from '../../src/sandbox/state-file.js';
import { tempDir } from '../helpers/db.js';
import { captureIO } from '../e2e/support/cli.js';

const JSON_LINE = /^\s*\{.*"(level|msg)"/m;

describe.each([
  ['rest-shop', 17],
  ['woocommerce', 17],
  ['woocommerce', 19],
] as const)('the %s starter against the sandbox (Odoo %i)', (shop, odooVersion) => {
  let sandbox: Sandbox;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let configPath: string;

  beforeAll(async () => {
    tmp = await tempDir('tandem-starter-');
    configPath = join(tmp.dir, 'tandem.yaml');
    sandbox = await startSandbox({ shop, odooVersion, serverPort: 9 });
    const text = sandboxConfig({ shop, shopUrl: sandbox.state.shopUrl, odooUrl: sandbox.odoo.url, odooDb: sandbox.odoo.db, odooUser: sandbox.odoo.admin.login, serverPort: 9 });
    writeFileSync(configPath, text);
    writeFileSync(join(tmp.dir, '.env'), sandboxEnv(text, sandbox.env));
    writeState(configPath, sandbox.state);
  });

  afterAll(async () => {
    await sandbox?.close();
    await tmp?.cleanup();
  });

  const cli = async (...args: string[]) => {
    const io = captureIO({ cwd: tmp.dir, env: {} }); // credentials come from the .env beside tandem.yaml
    const code = await run(['node', 'tandem', '--log-format', 'json', ...args], io);
    return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
  };

  it('check, plan, sync --initial, order, trace, stock', async () => {
    const check = await cli('check');
    expect(check.code, check.stdout + check.stderr).toBe(0);

    const plan = await cli('plan');
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/product\s+erp->shop\s+5\s+5/);
    expect(plan.stdout).not.toContain('<name>');

    const initial = await cli('sync', '--initial');
    expect(initial.code, initial.stdout + initial.stderr).toBe(0);
    expect(initial.stdout).toContain('0 differences');
    expect(initial.stdout).not.toMatch(JSON_LINE);

    const order = await cli('sandbox', 'order', '--sku', 'SNK-RUN-42', '--qty', '2');
    expect(order.code, order.stderr).toBe(0);
    const number = /placed order (\S+) /.exec(order.stdout)![1]!;

    const sync = await cli('sync', 'order');
    expect(sync.code, sync.stdout + sync.stderr).toBe(0);
    expect(sync.stdout).toMatch(/order\s+shop->erp\s+1\s+1\s+0\s+0\s+0\s+0\s+0/);

    const trace = await cli('trace', number);
    expect(trace.code, trace.stdout + trace.stderr).toBe(0);
    expect(trace.stdout).toContain(number);

    expect((await cli('sandbox', 'stock', '--sku', 'CAP-1', '--qty', '0')).code).toBe(0);
    const stock = await cli('sync', 'stock');
    expect(stock.code, stock.stdout + stock.stderr).toBe(0);
    // CAP-1 (now 0) and SNK-RUN-42 (2 reserved by the order) change in the shop
    expect(stock.stdout).toMatch(/stock\s+erp->shop\s+5\s+0\s+2\s/);

    const unknown = await cli('sandbox', 'stock', '--sku', 'NOPE', '--qty', '1');
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toContain('unknown SKU NOPE in the ERP');
  });
});
