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
  publicUrl?: string;
}

export function register(program: Command, session: Session): void {
  program
    .command('init')
    .description('write a commented starter tandem.yaml (a shop + Odoo, one flow per entity)')
    .addOption(new Option('--shop <type>', 'the shop to connect').choices(STARTER_SHOPS).default('woocommerce'))
    .option('--public-url <url>', "the URL your shop can reach Tandem at (server.publicUrl), for its webhooks; without it orders arrive by polling only")
    .option('--force', 'overwrite an existing config file')
    .action(act(session, (opts: InitOptions, ctx) => action(opts, ctx)));
}

function withPublicUrl(text: string, url: string | undefined): string {
  if (url === undefined) return text;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--public-url "${url}" is not a URL: give one like https://tandem.example.com`);
  }
  if (!['http:', 'https:'].includes(parsed.protocol)) throw new UsageError(`--public-url "${url}" must start with https:// (or http:// on a test machine)`);
  return text.replace('  # publicUrl: https://tandem.example.com', `  publicUrl: ${url.replace(/\/$/, '')}`);
}

export async function action(opts: InitOptions, ctx: CliContext): Promise<number> {
  const path = ctx.configPath;
  const shown = relative(ctx.cwd, path) || path;
  if (existsSync(path) && !opts.force) {
    throw new UsageError(`${shown} exists already: pass --force to overwrite it`);
  }
  const text = withPublicUrl(starterConfig(opts.shop ?? 'woocommerce'), opts.publicUrl);
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
  if (!opts.publicUrl) {
    ctx.out('note: server.publicUrl is not set. It is the address your shop sends webhooks to (e.g. https://tandem.example.com,');
    ctx.out('      behind a TLS proxy); without it Tandem registers no webhooks and orders arrive by polling only, every 5m.');
    ctx.out('      Set it in the file, or run `tandem init --force --public-url <url>`.');
  }
  return 0;
}
