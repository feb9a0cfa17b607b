/**
 * `tandem`: bin/tandem.js calls `run(process.argv)` and exits with the number it returns.
 * Exit codes: 0 ok; 1 a sync error or a bug; 2 bad usage or config (one clear line, no stack trace
 * unless --verbose); 3 a command that is not built yet.
 */
import { CommanderError } from 'commander';
import { SyncError, UsageError } from '../shared/errors.js';
import { Session, type CliIO } from './context.js';
import { buildProgram } from './program.js';
import { packageVersion } from './version.js';

export type { CliIO } from './context.js';

/** `argv` as in process.argv: [node, script, ...args]. `io` defaults to the process's. */
export async function run(argv: string[], io: Partial<CliIO> = {}): Promise<number> {
  const session = new Session({
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    env: io.env ?? process.env,
    cwd: io.cwd ?? process.cwd(),
  });
  const verbose = argv.slice(2).includes('--verbose');
  try {
    const program = buildProgram(session, packageVersion());
    await program.parseAsync(argv, { from: 'node' });
    return session.exitCode;
  } catch (e) {
    return report(e, session, verbose);
  }
}

function report(e: unknown, session: Session, verbose: boolean): number {
  if (e instanceof CommanderError) {
    // commander has printed the message (or the help / version) already
    return e.exitCode === 0 ? 0 : 2;
  }
  const stack = verbose && e instanceof Error && e.stack ? e.stack : undefined;
  if (e instanceof UsageError) {
    session.err(e.message);
    if (stack) session.err(stack);
    return e.exitCode;
  }
  if (e instanceof SyncError) {
    session.err(e.describe());
    if (stack) session.err(stack);
    return 1;
  }
  const message = e instanceof Error ? e.message : String(e);
  if (stack) {
    session.err(`tandem: unexpected error: ${message}`);
    session.err(stack);
  } else {
    session.err(`tandem: unexpected error: ${message} (run with --verbose for the stack trace)`);
  }
  return 1;
}
