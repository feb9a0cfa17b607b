/**
 * Output for people (issue 14, point 2): logs on stderr, pretty on a terminal and JSON otherwise
 * (--log-format overrides); results on stdout without a JSON line; an order run's summary counts what
 * happened to each order (created / failed), each failure listed once; `tandem plan` lists orders.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { chooseLogFormat, prettyLine } from '../../src/shared/log-pretty.js';
import { createTestStoreUrl, tempDir, type TestStoreUrl } from '../helpers/db.js';
import { startSims, type Sims } from '../e2e/support/sims.js';
import { CATALOG_FLOWS, secretEnv, writeConfigFile } from '../e2e/support/config.js';
import { captureIO } from '../e2e/support/cli.js';
import { DEMO_TAX } from '../../src/demo/seed.js';

const JSON_LINE = /^\s*\{.*"(level|msg)"/m;

describe('prettyLine / chooseLogFormat', () => {
  it.each([
    ['{"level":"warn","time":"2026-12-03T07:40:01.123Z","msg":"low stock","sku":"CAP-7","qty":2}', '07:40:01 WARN  low stock  sku=CAP-7 qty=2\n'],
    ['{"level":"info","time":"2026-12-03T07:40:01.123Z","msg":"store migrated","migrations":["001"]}', '07:40:01 INFO  store migrated  migrations=["001"]\n'],
    ['{"level":"error","msg":"job failed","err":"two words"}', 'ERROR job failed  err="two words"\n'],
    ['not json', 'not json\n'],
  ])('%s', (json, text) => expect(prettyLine(json)).toBe(text));

  it.each([
    [undefined, true, 'pretty'],
    [undefined, false, 'json'],
    ['json', true, 'json'],
    ['pretty', false, 'pretty'],
  ] as const)('option %s, tty %s → %s', (opt, tty, format) => expect(chooseLogFormat(opt, tty)).toBe(format));

  it('rejects an unknown format', () => expect(() => chooseLogFormat('xml', true)).toThrow('use pretty or json'));
});

describe('tandem sync / plan output (rest shop + Odoo simulators)', () => {
  let sims: Sims;
  let store: TestStoreUrl;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  const flows = [...CATALOG_FLOWS, { entity: 'order' as const, direction: 'both' as const, schedule: '5m' }];
  const orders = { taxes: [{ rate: '20', erpTax: DEMO_TAX }] };

  beforeAll(async () => {
    sims = await startSims();
    store = await createTestStoreUrl('sqlite');
    tmp = await tempDir('tandem-output-');
    sims.shop.seed.categories([{ name: 'Hats' }]);
    sims.shop.seed.products([{ name: 'Cap', variants: [{ sku: 'CAP-7', price: '19.90' }] }], { stock: 20, location: 'berlin' });
    sims.odoo.env.create('account.tax', { name: DEMO_TAX, amount: 20, amount_type: 'percent', type_tax_use: 'sale', price_include: true, description: '20% incl.' });
    writeConfigFile(tmp.dir, sims, { storeUrl: store.url, flows, extra: { orders } });
  });

  afterAll(async () => {
    await sims?.close();
    await store?.cleanup();
    await tmp?.cleanup();
  });

  const cli = async (args: string[], tty = false) => {
    const io = captureIO({ cwd: tmp.dir, env: secretEnv(sims), tty });
    const code = await run(['node', 'tandem', ...args], io);
    return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
  };

  it('logs: JSON lines on stderr when not a terminal, human lines with --log-format pretty; stdout never has one', async () => {
    const json = await cli(['sync', '--initial', '--log-format', 'json']);
    expect(json.stdout).not.toMatch(JSON_LINE);
    expect(json.stderr).toMatch(JSON_LINE); // "store migrated" at least
    const pretty = await cli(['plan'], true);
    expect(pretty.code).toBe(0);
    expect(pretty.stdout).not.toMatch(JSON_LINE);
    expect(pretty.stderr).not.toMatch(JSON_LINE);
  });

  it('an order run counts what happened: one created, one failed (listed once); plan lists both first', async () => {
    // a shop product that never reached the ERP: its order cannot be imported
    sims.shop.seed.products([{ name: 'Ghost', variants: [{ sku: 'GHOST-1', price: '5.00' }] }], { stock: 5, location: 'berlin' });
    await sims.shop.placeOrder({ email: 'good@example.com', firstName: 'G', lastName: 'Ood', lines: [{ sku: 'CAP-7', quantity: 1 }], paid: true });
    await sims.shop.placeOrder({ email: 'bad@example.com', firstName: 'B', lastName: 'Ad', lines: [{ sku: 'GHOST-1', quantity: 1 }], paid: true });

    const plan = await cli(['plan', 'order']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/order\s+shop->erp\s+2\s+1\s+0\s+0\s+0\s+0\s+1/);
    expect(plan.stdout).toMatch(/would fail: .*SKU GHOST-1 is unknown in the ERP/);

    const r = await cli(['sync', 'order']);
    expect(r.stdout).toMatch(/order\s+shop->erp\s+2\s+1\s+0\s+0\s+0\s+0\s+1/);
    expect(r.stdout.split('\n').filter((l) => l.includes('GHOST-1'))).toHaveLength(1);
    expect(r.stderr).not.toContain('GHOST-1'); // the failure is in the summary, not a second time as a log line
    expect(r.code).toBe(1);
  });
});
