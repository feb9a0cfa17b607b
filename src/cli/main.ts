/**
 * `tandem`: bin/tandem.js calls `run(process.argv)` and exits with the number it returns.
 * Exit codes: 0 ok; 1 a sync error or a bug; 2 bad usage or config (one clear line, no stack trace
 * unless --verbose); 3 a command that is not built yet.
 */
import { Session, type CliIO } from './context.js';
import { buildProgram } from './program.js';
import { reportError } from './report-error.js';
import { packageVersion } from './version.js';

export type { CliIO } from './context.js';

/** `argv` as in process.argv: [node, script, ...args]. `io` defaults to the process's streams, env and cwd. */
export async function run(argv: string[], io: Partial<CliIO> = {}): Promise<number> {
  const session = new Session({
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    env: io.env ?? process.env,
    cwd: io.cwd ?? process.cwd(),
  });
  try {
    const program = buildProgram(session, packageVersion());
    await program.parseAsync(argv, { from: 'node' });
    return session.exitCode;
  } catch (e) {
    return reportError(e, session, argv.slice(2).includes('--verbose'));
  }
}
