/**
 * A password for `tandem user add|password`: from an environment variable named by --password-env, from
 * stdin when it is piped, or typed at the terminal without echo (twice). Never from the command line,
 * where shells keep it in their history and `ps` shows it to every user.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../shared/errors.js';
import type { Env } from '../config/load.js';

function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    process.stderr.write(question);
    let typed = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new UsageError('cancelled', 130));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

export async function readPassword(env: Env, opts: { fromEnv?: string; confirm: boolean }): Promise<string> {
  if (opts.fromEnv) {
    const value = env[opts.fromEnv];
    if (!value) throw new UsageError(`environment variable ${opts.fromEnv} is not set or empty`);
    return value;
  }
  if (!process.stdin.isTTY) {
    const value = readFileSync(0, 'utf8').split(/\r?\n/)[0] ?? '';
    if (!value) throw new UsageError('no password on stdin: pipe it in (printf %s "$PASSWORD" | tandem user add …), use --password-env VAR, or run in a terminal to be asked');
    return value;
  }
  const first = await promptHidden('Password: ');
  if (opts.confirm && (await promptHidden('Again: ')) !== first) throw new UsageError('the two passwords differ: nothing was changed');
  return first;
}
