/** `tandem init`: writes a commented starter tandem.yaml (never over an existing file without --force). */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { Option, type Command } from 'commander';
import { STARTER_SHOPS, starterConfig, starterEnvVars, type StarterShop } from '../../config/starter.js';
import { UsageError } from '../../shared/errors.js';
import { act, type CliContext, type Session } from '../context.js';

export interface InitOptions {
  force?: boolean;
  shop?: StarterShop;
}

export function register(program: Command, session: Session): void {
  program
    .command('init')
    .description('write a commented starter tandem.yaml (a shop + Odoo, one flow per entity)')
    .addOption(new Option('--shop <type>', 'the shop to connect').choices(STARTER_SHOPS).default('woocommerce'))
    .option('--force', 'overwrite an existing config file')
    .action(act(session, (opts: InitOptions, ctx) => action(opts, ctx)));
}

export async function action(opts: InitOptions, ctx: CliContext): Promise<number> {
  const path = ctx.configPath;
  const shown = relative(ctx.cwd, path) || path;
  if (existsSync(path) && !opts.force) {
    throw new UsageError(`${shown} exists already: pass --force to overwrite it`);
  }
  const text = starterConfig(opts.shop ?? 'woocommerce');
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, { encoding: 'utf8', mode: 0o644 });
  } catch (e) {
    throw new UsageError(`cannot write ${shown}: ${(e as Error).message}`);
  }
  const vars = starterEnvVars(text);
  if (ctx.json) {
    ctx.out(JSON.stringify({ path, envVars: vars }));
    return 0;
  }
  ctx.out(`wrote ${shown}`);
  ctx.out(`next: edit the URLs in it, set ${vars.join(', ')} in the environment, then run \`tandem config check\``);
  return 0;
}
