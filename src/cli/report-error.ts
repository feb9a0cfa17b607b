/**
 * What the person at the terminal sees when a command fails: one clear line (several for a config
 * with several problems), secrets scrubbed, the stack trace only with --verbose. Returns the exit code.
 */
import { CommanderError } from 'commander';
import { SyncError, UsageError } from '../shared/errors.js';
import type { Session } from './context.js';

export function reportError(e: unknown, session: Session, verbose: boolean): number {
  if (e instanceof CommanderError) {
    // commander has printed its message (or the help / the version) already
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
