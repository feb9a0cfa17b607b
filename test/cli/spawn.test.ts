/**
 * The CLI as a separate process: bad input gives one clear line, exit code 2 and no stack trace.
 * (The in-process tests inject the streams; this proves nothing else reaches the real stderr.)
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { starterConfig, starterEnvVars } from '../../src/config/starter.js';

const fixture = fileURLToPath(new URL('./fixtures/run.ts', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const STACK_LINE = /^\s+at /m;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function tandem(args: string[], cwd: string, env: Record<string, string>): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', tsx, fixture, ...args],
      { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

const text = starterConfig('woocommerce');
const ENV = Object.fromEntries(starterEnvVars(text).map((v) => [v, `value-of-${v}-123`]));

function dirWith(config: string | null): string {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-spawn-'));
  if (config !== null) writeFileSync(join(dir, 'tandem.yaml'), config);
  return dir;
}

describe('tandem as a process', () => {
  it('reports bad input in one clear line, exit 2, without a stack trace', async () => {
    const { ODOO_API_KEY: _unset, ...envWithoutKey } = ENV;
    const missingDir = dirWith(null);
    const cases: Array<{ name: string; dir: string; env: Record<string, string>; expected: RegExp }> = [
      { name: 'broken YAML', dir: dirWith(text.replace('  erp:\n', '  erp: [\n')), env: ENV, expected: /^tandem\.yaml:\d+:\d+: YAML syntax error: .+\n$/ },
      { name: 'unknown key', dir: dirWith(text.replace('    webhooks: true\n', '    webhook: true\n')), env: ENV, expected: /^flows\[customer\]: unknown key "webhook" \(did you mean "webhooks"\?\)\n$/ },
      { name: 'missing env var', dir: dirWith(text), env: envWithoutKey, expected: /^systems\.erp\.apiKey: environment variable ODOO_API_KEY is not set\n$/ },
      {
        name: 'missing config file',
        dir: missingDir,
        env: ENV,
        expected: new RegExp(`^no tandem\\.yaml in ${missingDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: run \`tandem init\` to write a starter config, or pass --config <file>\\n$`),
      },
      {
        name: 'bad schedule',
        dir: dirWith(text.replace('schedule: 1h', 'schedule: every 15 minute')),
        env: ENV,
        expected: /^flows\[category\]\.schedule: "every 15 minute" is neither a cron expression nor an interval like "15m"\n$/,
      },
    ];
    const results = await Promise.all(cases.map((c) => tandem(['config', 'check'], c.dir, c.env)));
    cases.forEach((c, i) => {
      const r = results[i] as Result;
      expect(r.stderr, c.name).toMatch(c.expected);
      expect(r.stderr, c.name).not.toMatch(STACK_LINE);
      expect(r.code, c.name).toBe(2);
      expect(r.stdout, c.name).toBe('');
    });
  });

  it('shows the stack trace with --verbose, and says ok for a good config', async () => {
    const [verbose, ok] = await Promise.all([
      tandem(['config', 'check', '--verbose'], dirWith(text.replace('schedule: 1h', 'schedule: soon')), ENV),
      tandem(['config', 'check'], dirWith(text), ENV),
    ]);
    expect(verbose.code).toBe(2);
    expect(verbose.stderr).toMatch(/^flows\[category\]\.schedule: "soon" is neither/);
    expect(verbose.stderr).toMatch(STACK_LINE);
    expect(ok).toEqual({ code: 0, stdout: 'ok\n', stderr: '' });
  });
});
