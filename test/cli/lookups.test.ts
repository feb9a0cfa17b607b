/**
 * Lookups people use (issue 14, point 5), against the sandbox (REST shop + Odoo 17): trace finds an order
 * by shop number, shop id, ERP name (S00001) and ERP id; trace, dlq list and the reports run without the
 * systems' credentials; stock report nets out orders imported after the figures were read and names an
 * unknown SKU; finance report refuses a reversed range.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { sandboxConfig, sandboxEnv } from '../../src/sandbox/config-text.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { writeState } from '../../src/sandbox/state-file.js';
import { tempDir } from '../helpers/db.js';
import { captureIO } from '../e2e/support/cli.js';

describe('lookups and store-only commands', () => {
  let sandbox: Sandbox;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let number = '';

  const cli = async (...args: string[]) => {
    const io = captureIO({ cwd: tmp.dir, env: {} });
    const code = await run(['node', 'tandem', '--log-format', 'json', ...args], io);
    return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
  };

  beforeAll(async () => {
    tmp = await tempDir('tandem-lookups-');
    const configPath = join(tmp.dir, 'tandem.yaml');
    sandbox = await startSandbox({ shop: 'rest-shop', odooVersion: 17, serverPort: 9 });
    const text = sandboxConfig({ shop: 'rest-shop', shopUrl: sandbox.state.shopUrl, odooUrl: sandbox.odoo.url, odooDb: sandbox.odoo.db, odooUser: sandbox.odoo.admin.login, serverPort: 9 });
    writeFileSync(configPath, text);
    writeFileSync(join(tmp.dir, '.env'), sandboxEnv(text, sandbox.env));
    writeState(configPath, sandbox.state);
    expect((await cli('sync', '--initial')).code).toBe(0);
    number = /placed order (\S+) /.exec((await cli('sandbox', 'order', '--sku', 'SNK-RUN-42', '--qty', '2')).stdout)![1]!;
    expect((await cli('sync', 'order')).code).toBe(0);
    rmSync(join(tmp.dir, '.env')); // from here on: no credentials at all
  });

  afterAll(async () => {
    await sandbox?.close();
    await tmp?.cleanup();
  });

  it('a command that talks to the systems still needs the credentials', async () => {
    const r = await cli('sync', 'order');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ODOO_API_KEY');
  });

  it('trace: by shop number, shop id, ERP name and ERP id — without credentials', async () => {
    const byNumber = await cli('trace', number, '--json');
    expect(byNumber.code, byNumber.stderr).toBe(0);
    const { order } = JSON.parse(byNumber.stdout) as { order: { shopId: string; erpId: string } };
    const [erp] = sandbox.odoo.env.read('sale.order', [Number(order.erpId)], ['name']);
    const erpName = String(erp!.name);
    expect(erpName).toMatch(/^S\d+$/);
    for (const ref of [order.shopId, erpName, erpName.toLowerCase(), order.erpId]) {
      const r = await cli('trace', ref);
      expect(r.code, `${ref}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toContain(`order ${number}:`);
    }
    const none = await cli('trace', 'S99999');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('ERP order name like S00002');
  });

  it('dlq list, stock report, finance report: without credentials', async () => {
    expect(await cli('dlq', 'list')).toMatchObject({ code: 0, stdout: 'no dead letters\n' });
    const stock = await cli('stock', 'report', '--sku', 'SNK-RUN-42');
    expect(stock.code, stock.stderr).toBe(0);
    // 12 read at the initial sync, 2 ordered since
    expect(stock.stdout).toMatch(/SNK-RUN-42\s+10\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+2\s+2/);
    const unknown = await cli('stock', 'report', '--sku', 'NOPE');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown SKU NOPE');
    expect((await cli('finance', 'report')).code).toBeLessThan(2);
    const reversed = await cli('finance', 'report', '--from', '2026-12-05', '--to', '2026-12-01');
    expect(reversed).toMatchObject({ code: 2, stdout: '' });
    expect(reversed.stderr).toContain('--from 2026-12-05 is after --to 2026-12-01');
  });
});
