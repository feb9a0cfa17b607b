/** In-process CLI runs: `run(argv, io)` with captured output and an explicit env and working directory. */
import type { CliIO } from '../../../src/cli/main.js';

export interface CapturedIO extends CliIO {
  stdoutText(): string;
  stderrText(): string;
}

export function captureIO(opts: { cwd: string; env: Record<string, string>; tty?: boolean }): CapturedIO {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: { write: (t: string) => out.push(t), isTTY: Boolean(opts.tty) },
    stderr: { write: (t: string) => err.push(t), isTTY: Boolean(opts.tty) },
    env: { PATH: process.env.PATH ?? '', ...opts.env },
    cwd: opts.cwd,
    stdoutText: () => out.join(''),
    stderrText: () => err.join(''),
  };
}
