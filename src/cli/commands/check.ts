/** `tandem check`: credentials, permissions and version of every configured system, per entity. */
import type { Command } from 'commander';
import { act, type CliContext, type Session } from '../context.js';
import { createConnector, roleOfType } from '../../connectors/registry.js';
import type { CheckReport } from '../../connectors/contract.js';
import { UsageError } from '../../shared/errors.js';
import { needsOf, resolvedConfig } from '../engine.js';

export interface CheckOptions {
  system?: string;
  json?: boolean;
}

export function register(program: Command, session: Session): void {
  program
    .command('check')
    .description('connect to every configured system and check credentials, permissions and version, per entity')
    .option('--system <name>', 'check only this system (a key under systems:)')
    .option('--json', 'print the reports as JSON')
    .action(act(session, (opts: CheckOptions, ctx) => action(opts, ctx)));
}

export async function action(opts: CheckOptions, ctx: CliContext): Promise<number> {
  const config = await resolvedConfig(ctx);
  const names = Object.keys(config.systems).filter((n) => !opts.system || n === opts.system);
  if (names.length === 0) throw new UsageError(`no system "${opts.system}" in ${ctx.configPath} (systems: ${Object.keys(config.systems).join(', ')})`);
  const reports: CheckReport[] = [];
  for (const name of names) {
    const settings = config.systems[name]!;
    const conn = createConnector(name, settings, { log: ctx.logger });
    try {
      reports.push(await conn.check(needsOf(config, roleOfType(settings.type))));
    } finally {
      await conn.close();
    }
  }
  if (ctx.json) ctx.out(JSON.stringify(reports, null, 2));
  else {
    for (const r of reports) {
      ctx.out(`${r.ok ? '✓' : '✗'} ${r.system}${r.version ? ` (${r.version})` : ''}`);
      for (const i of r.items) ctx.out(`  ${i.ok ? '✓' : '✗'} ${i.name}: ${i.message}${!i.ok && i.hint ? `\n      → ${i.hint}` : ''}`);
    }
  }
  return reports.every((r) => r.ok) ? 0 : 1;
}
