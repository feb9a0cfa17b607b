import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { Session, createContext } from '../../src/cli/context.js';
import { reportError } from '../../src/cli/report-error.js';
import { starterConfig, starterEnvVars } from '../../src/config/starter.js';
import { SyncError, UsageError } from '../../src/shared/errors.js';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const code = await run(['node', 'tandem', ...args], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: opts.env ?? {},
    cwd: opts.cwd ?? tempDir(),
  });
  return { code, stdout, stderr };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'tandem-cli-'));
}

const STACK_LINE = /\n\s+at .+\(.*:\d+:\d+\)|\n\s+at .+:\d+:\d+/;
const WOO_ENV = Object.fromEntries(starterEnvVars(starterConfig('woocommerce')).map((v) => [v, `secret-value-${v.toLowerCase()}`]));

describe('tandem init', () => {
  it('writes a starter tandem.yaml that `config check` accepts once the variables are set', async () => {
    const cwd = tempDir();
    const init = await cli(['init'], { cwd });
    expect(init).toMatchObject({ code: 0, stderr: '' });
    expect(init.stdout).toContain('wrote tandem.yaml');
    expect(init.stdout).toContain('ODOO_API_KEY');
    expect(readFileSync(join(cwd, 'tandem.yaml'), 'utf8')).toBe(starterConfig('woocommerce'));
    expect(await cli(['config', 'check'], { cwd, env: WOO_ENV })).toEqual({ code: 0, stdout: 'ok\n', stderr: '' });
  });

  it('refuses to overwrite an existing file unless --force', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'tandem.yaml'), 'mine: true\n');
    const again = await cli(['init'], { cwd });
    expect(again).toEqual({ code: 2, stdout: '', stderr: 'tandem.yaml exists already: pass --force to overwrite it\n' });
    expect(readFileSync(join(cwd, 'tandem.yaml'), 'utf8')).toBe('mine: true\n');
    expect((await cli(['init', '--force', '--shop', 'rest-shop'], { cwd })).code).toBe(0);
    expect(readFileSync(join(cwd, 'tandem.yaml'), 'utf8')).toBe(starterConfig('rest-shop'));
  });

  it('writes where --config points, creating the folder', async () => {
    const cwd = tempDir();
    expect((await cli(['init', '-c', 'conf/shop-a.yaml'], { cwd })).code).toBe(0);
    expect(existsSync(join(cwd, 'conf/shop-a.yaml'))).toBe(true);
  });

  it('refuses an unknown shop type', async () => {
    const r = await cli(['init', '--shop', 'magento']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("argument 'magento' is invalid. Allowed choices are woocommerce, rest-shop");
  });
});

describe('tandem config check / schema', () => {
  it('says how to get a config when there is none', async () => {
    const cwd = tempDir();
    expect(await cli(['config', 'check'], { cwd })).toEqual({
      code: 2,
      stdout: '',
      stderr: `no tandem.yaml in ${cwd}: run \`tandem init\` to write a starter config, or pass --config <file>\n`,
    });
  });

  it('prints every problem as `path: message`, exit 2, no stack trace; --verbose adds it', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'tandem.yaml'), starterConfig('woocommerce').replace('schedule: 1h', 'schedule: every 15 minute').replace('priority: 60', 'priorty: 60'));
    const { ODOO_API_KEY: _missing, ...env } = WOO_ENV;
    const r = await cli(['config', 'check'], { cwd, env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n').sort()).toEqual(
      [
        'systems.erp.apiKey: environment variable ODOO_API_KEY is not set',
        'flows[category].schedule: "every 15 minute" is neither a cron expression nor an interval like "15m"',
        'flows[category]: unknown key "priorty" (did you mean "priority"?)',
      ].sort(),
    );
    expect(r.stderr).not.toMatch(STACK_LINE);
    const verbose = await cli(['config', 'check', '--verbose'], { cwd, env });
    expect(verbose.code).toBe(2);
    expect(verbose.stderr).toMatch(STACK_LINE);
  });

  it('reads TANDEM_CONFIG, and --json reports the systems without secrets', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'other.yaml'), starterConfig('woocommerce'));
    const env = { ...WOO_ENV, TANDEM_CONFIG: 'other.yaml', TANDEM_DATABASE_URL: 'postgres://tandem:pg-secret-pw@db:5432/tandem' };
    const r = await cli(['config', 'check', '--json'], { cwd, env });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      ok: true,
      path: join(cwd, 'other.yaml'),
      store: 'postgres://tandem:***@db:5432/tandem',
      systems: { shop: { type: 'woocommerce', role: 'shop' }, erp: { type: 'odoo', role: 'erp' } },
    });
    expect(r.stdout).not.toContain('pg-secret-pw');
  });

  it('prints the JSON Schema', async () => {
    const r = await cli(['config', 'schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as { title: string; properties: Record<string, unknown> };
    expect(schema.title).toBe('tandem.yaml');
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['systems', 'flows', 'store']));
  });
});

describe('engine commands need a config', () => {
  const cases: string[][] = [
    ['check'],
    ['check', '--system', 'erp', '--json'],
    ['plan', 'product'],
    ['sync', '--initial', 'order'],
    ['reconcile', '--fix'],
    ['serve', '--port', '0', '--no-scheduler'],
    ['dlq', 'list', '--entity', 'order'],
    ['dlq', 'show', '42'],
    ['dlq', 'replay', '--all'],
    ['dlq', 'discard', '42', '43', '--reason', 'test data'],
    ['trace', '1042'],
    ['stock', 'report', '--low'],
    ['finance', 'report', '--from', '2026-01-01'],
  ];
  it.each(cases)('tandem %j without tandem.yaml says how to get one and exits 2', async (...args) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^no tandem\.yaml in .+: run `tandem init`/);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('still validates their arguments', async () => {
    expect((await cli(['dlq', 'show'])).code).toBe(2);
    expect((await cli(['trace'])).code).toBe(2);
    expect((await cli(['sync', '--bogus'])).code).toBe(2);
  });
});

describe('help and usage errors', () => {
  it('lists every command', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['init', 'config', 'check', 'plan', 'sync', 'reconcile', 'serve', 'dlq', 'trace', 'demo', 'stock', 'finance']) {
      expect(r.stdout).toMatch(new RegExp(`\\n  ${c}\\b`));
    }
    const dlq = await cli(['dlq', '--help']);
    for (const c of ['list', 'show', 'replay', 'discard']) expect(dlq.stdout).toMatch(new RegExp(`\\n  ${c}\\b`));
  });

  it('exits 2 on an unknown command, with a suggestion', async () => {
    const r = await cli(['snyc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'snyc'");
    expect(r.stderr).toContain('sync');
  });

  it('prints the version', async () => {
    const r = await cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('reportError', () => {
  function session() {
    let err = '';
    const s = new Session({ stdout: { write: () => true }, stderr: { write: (t: string) => (err += t) }, env: {}, cwd: '/' });
    return { s, err: () => err };
  }

  it('UsageError: its message, its exit code', () => {
    const { s, err } = session();
    expect(reportError(new UsageError('bad flag'), s, false)).toBe(2);
    expect(err()).toBe('bad flag\n');
  });

  it('SyncError: describe(), exit 1; the stack only with --verbose', () => {
    const e = new SyncError('permission', 'access denied to account.move', { system: 'odoo', entity: 'invoice', record: 'INV/1', hint: 'give the user the Billing group' });
    const quiet = session();
    expect(reportError(e, quiet.s, false)).toBe(1);
    expect(quiet.err()).toBe('[odoo] invoice INV/1: access denied to account.move — give the user the Billing group\n');
    const loud = session();
    reportError(e, loud.s, true);
    expect(loud.err()).toMatch(STACK_LINE);
  });

  it('anything else: one line that says how to see the stack', () => {
    const { s, err } = session();
    expect(reportError(new TypeError("Cannot read properties of undefined (reading 'id')"), s, false)).toBe(1);
    expect(err()).toBe("tandem: unexpected error: Cannot read properties of undefined (reading 'id') (run with --verbose for the stack trace)\n");
    const loud = session();
    reportError(new TypeError('boom'), loud.s, true);
    expect(loud.err()).toMatch(/^tandem: unexpected error: boom\nTypeError: boom/);
    expect(loud.err()).toMatch(STACK_LINE);
  });

  it('never prints a known secret', () => {
    const { s, err } = session();
    s.addSecrets(['odoo-key-0123456789']);
    reportError(new SyncError('auth', 'login refused for key odoo-key-0123456789'), s, false);
    expect(err()).toBe('login refused for key [REDACTED]\n');
  });
});

describe('CliContext', () => {
  it('loads the config once, and its logger writes JSON to stderr without the secrets, even if created first', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'tandem.yaml'), starterConfig('woocommerce'));
    let err = '';
    const s = new Session({ stdout: { write: () => true }, stderr: { write: (t: string) => (err += t) }, env: WOO_ENV, cwd });
    const ctx = createContext(s, { verbose: true });
    const log = ctx.logger;
    const loaded = ctx.loadConfig();
    expect(ctx.loadConfig()).toBe(loaded);
    log.debug({ key: WOO_ENV.ODOO_API_KEY }, `calling with ${WOO_ENV.WOO_CONSUMER_SECRET}`);
    const line = JSON.parse(err) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'debug', key: '[REDACTED]', msg: 'calling with [REDACTED]' });
    expect(ctx.configPath).toBe(join(cwd, 'tandem.yaml'));
  });
});
