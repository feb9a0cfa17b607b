/**
 * The first hour of a new user (issue 14, point 10), through the installed command (`node bin/tandem.js`,
 * dist/ built by `npm ci`): a sandbox → `init` → `check` → `plan` → `sync --initial` → a user →
 * `serve` → an order placed in the sandbox shop arrives by webhook → `trace` shows it. Every command exits
 * as it should, and what it prints for people (stdout) has no JSON log line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/db.js';
import { until } from './support/spawn-tandem.js';

const BIN = fileURLToPath(new URL('../../bin/tandem.js', import.meta.url));
const JSON_LINE = /^\s*\{.*"(level|msg)"/m;

interface Proc {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

function start(args: string[], cwd: string, env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

async function tandem(cwd: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = start(args, cwd, { PW: 'a long enough password for admin' });
  const code = await p.exited;
  return { code, stdout: p.out(), stderr: p.err() };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe.skipIf(!existsSync(join(BIN, '../../dist/src/cli/main.js')))('a new user, sandbox to trace (node bin/tandem.js)', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let other: Awaited<ReturnType<typeof tempDir>>;
  let sandbox: Proc;
  let serve: Proc | undefined;

  beforeAll(async () => {
    tmp = await tempDir('tandem-new-user-');
    other = await tempDir('tandem-new-user-init-');
  });

  afterAll(async () => {
    for (const p of [serve, sandbox]) {
      if (p && p.child.exitCode === null) {
        p.child.kill('SIGKILL');
        await p.exited;
      }
    }
    await tmp?.cleanup();
    await other?.cleanup();
  });

  it('sandbox → init → check → plan → sync --initial → serve → order → trace', async () => {
    const port = await freePort();
    sandbox = start(['sandbox', '--shop', 'rest-shop', '--port', String(port)], tmp.dir);
    await until(() => sandbox.out().includes('stop with Ctrl-C'), { what: 'the sandbox to start', timeoutMs: 60_000 });
    expect(readFileSync(join(tmp.dir, 'tandem.yaml'), 'utf8')).toContain(`publicUrl: http://127.0.0.1:${port}`);

    const steps: Array<[string[], number]> = [
      [['check'], 0],
      [['plan'], 0],
      [['sync', '--initial'], 0],
      [['user', 'add', 'admin', '--role', 'admin', '--password-env', 'PW'], 0],
    ];
    const init = await tandem(other.dir, 'init', '--shop', 'rest-shop');
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).not.toMatch(JSON_LINE);
    for (const [args, code] of steps) {
      const r = await tandem(tmp.dir, ...args);
      expect(r.code, `tandem ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`).toBe(code);
      expect(r.stdout, `tandem ${args.join(' ')}`).not.toMatch(JSON_LINE);
    }

    serve = start(['serve'], tmp.dir);
    await until(() => serve!.out().includes('console: '), { what: 'tandem serve to start', timeoutMs: 60_000 });
    expect(serve.out()).toContain(`console: http://127.0.0.1:${port}/`);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

    const order = await tandem(tmp.dir, 'sandbox', 'order', '--sku', 'SNK-RUN-42', '--qty', '2');
    expect(order.code, order.stderr).toBe(0);
    const number = /placed order (\S+) /.exec(order.stdout)![1]!;
    // the shop's webhook reaches serve, the order job imports it
    let trace = { code: null as number | null, stdout: '', stderr: '' };
    await until(async () => {
      trace = await tandem(tmp.dir, 'trace', number);
      return trace.code === 0 && trace.stdout.includes('step:import');
    }, { what: `order ${number} to be imported`, timeoutMs: 60_000, intervalMs: 500 }).catch((e: Error) => {
      throw new Error(`${e.message}\n${trace.stdout}${trace.stderr}\nserve:\n${serve!.err().slice(-3000)}`);
    });
    expect(trace.stdout).toContain(`order ${number}:`);
    expect(trace.stdout).not.toMatch(JSON_LINE);

    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
    expect(serve.out()).not.toMatch(JSON_LINE);
    sandbox.child.kill('SIGTERM');
    expect(await sandbox.exited).toBe(0);
    expect(sandbox.out()).toContain('sandbox stopped');
  }, 240_000);
});
