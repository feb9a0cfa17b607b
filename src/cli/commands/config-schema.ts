/** `tandem config schema`: prints the JSON Schema of tandem.yaml (for editor completion). */
import type { Command } from 'commander';
import { configJsonSchema } from '../../config/json-schema.js';
import { act, group, type CliContext, type Session } from '../context.js';

export function register(program: Command, session: Session): void {
  group(program, 'config', 'work with tandem.yaml')
    .command('schema')
    .description('print the JSON Schema of tandem.yaml, e.g. `tandem config schema > tandem.schema.json`')
    .action(act(session, (_opts: object, ctx) => action(ctx)));
}

export async function action(ctx: CliContext): Promise<number> {
  ctx.out(JSON.stringify(configJsonSchema(), null, 2));
  return 0;
}
