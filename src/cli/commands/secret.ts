/**
 * `tandem secret set|list|delete`: credentials stored encrypted (AES-256-GCM, key TANDEM_MASTER_KEY) in
 * Tandem's store, referenced in tandem.yaml as ${secret:NAME}. Values are read from stdin (or an
 * environment variable), never from the command line, where shells keep them in their history.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { act, type CliContext, type Session } from '../context.js';
import { openStore } from '../../store/index.js';
import { UsageError } from '../../shared/errors.js';

export interface SecretSetOptions {
  name: string;
  fromEnv?: string;
}

const NAME_RE = /^[A-Za-z0-9_.-]+$/;

async function withStore<T>(ctx: CliContext, fn: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
  const loaded = ctx.loadConfig();
  const store = await openStore(loaded.storeUrl, { ...(loaded.masterKey && { masterKey: loaded.masterKey }), log: ctx.logger, preparedStatements: loaded.config.store.preparedStatements });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function register(program: Command, session: Session): void {
  const secret = program.command('secret').description('credentials stored encrypted in Tandem\'s store (reference them as ${secret:NAME} in tandem.yaml)');
  secret
    .command('set')
    .description('store (or replace) a credential; the value is read from stdin')
    .argument('<name>', 'name to reference as ${secret:NAME}')
    .option('--from-env <VAR>', 'take the value from this environment variable instead of stdin')
    .action(act(session, (opts: Omit<SecretSetOptions, 'name'>, ctx, args) => set({ ...opts, name: args[0] as string }, ctx, session)));
  secret
    .command('list')
    .description('names of the stored credentials (never their values)')
    .action(act(session, (_opts: object, ctx) => list(ctx)));
  secret
    .command('delete')
    .description('remove a stored credential')
    .argument('<name>')
    .action(act(session, (_opts: object, ctx, args) => remove(args[0] as string, ctx)));
}

export async function set(opts: SecretSetOptions, ctx: CliContext, session: Session): Promise<number> {
  if (!NAME_RE.test(opts.name)) throw new UsageError(`secret name "${opts.name}" may only contain letters, digits, _ . -`);
  const value = (opts.fromEnv ? session.io.env[opts.fromEnv] : readFileSync(0, 'utf8'))?.replace(/\r?\n$/, '') ?? '';
  if (!value) throw new UsageError(opts.fromEnv ? `environment variable ${opts.fromEnv} is not set or empty` : 'no value on stdin: pipe it in, e.g. `printf %s "$KEY" | tandem secret set odoo_key`');
  ctx.addSecrets([value]);
  await withStore(ctx, (store) => store.secrets.put(opts.name, value));
  ctx.out(`stored secret ${opts.name} (encrypted); reference it as \${secret:${opts.name}}`);
  return 0;
}

export async function list(ctx: CliContext): Promise<number> {
  const names = await withStore(ctx, (store) => store.secrets.list());
  ctx.out(names.length ? names.map((n) => `${n.name}  (updated ${new Date(n.updatedAt).toISOString()})`).join('\n') : 'no stored secrets');
  return 0;
}

export async function remove(name: string, ctx: CliContext): Promise<number> {
  const deleted = await withStore(ctx, (store) => store.secrets.delete(name));
  if (!deleted) throw new UsageError(`no stored secret "${name}" (tandem secret list shows them)`);
  ctx.out(`deleted secret ${name}`);
  return 0;
}
