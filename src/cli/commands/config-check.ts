/** `tandem config check`: validates tandem.yaml; prints "ok" or one `path: message` line per problem. */
import type { Command } from 'commander';
import { roleOfType } from '../../connectors/registry.js';
import { redactUrl } from '../../config/store-url.js';
import { act, group, type CliContext, type Session } from '../context.js';

export interface ConfigCheckOptions {
  json?: boolean;
}

export function register(program: Command, session: Session): void {
  group(program, 'config', 'work with tandem.yaml')
    .command('check')
    .description('validate tandem.yaml (syntax, keys, values, ${ENV} references) without contacting any system')
    .option('--json', 'print the result as JSON')
    .action(act(session, (opts: ConfigCheckOptions, ctx) => action(opts, ctx)));
}

export async function action(_opts: ConfigCheckOptions, ctx: CliContext): Promise<number> {
  // Invalid config throws a UsageError: run() prints its lines and exits 2.
  const { config, storeUrl, path } = ctx.loadConfig();
  if (ctx.json) {
    const systems = Object.fromEntries(Object.entries(config.systems).map(([name, s]) => [name, { type: s.type, role: roleOfType(s.type) }]));
    ctx.out(JSON.stringify({ ok: true, path, store: redactUrl(storeUrl), systems, flows: config.flows.map((f) => `${f.entity} ${f.direction}`) }));
    return 0;
  }
  ctx.out('ok');
  return 0;
}
