/** `tandem nodes`: the `tandem serve` processes sharing this store, with their heartbeat and running jobs. */
import type { Command } from 'commander';
import { act, type CliContext, type Session } from '../context.js';
import { withEngine } from '../engine.js';

export function register(program: Command, session: Session): void {
  program
    .command('nodes')
    .description('the tandem serve processes sharing this store: host, pid, last heartbeat and running jobs (a node not seen for 15 s is dead; its jobs go to the others)')
    .action(act(session, (_opts: Record<string, never>, ctx) => action(ctx)));
}

export async function action(ctx: CliContext): Promise<number> {
  return withEngine(ctx, async (engine) => {
    const list = await engine.store.nodes.list();
    const now = Date.now();
    if (ctx.json) {
      ctx.out(JSON.stringify(list.map((n) => ({ ...n, startedAt: new Date(n.startedAt).toISOString(), lastSeen: new Date(n.lastSeen).toISOString() })), null, 2));
      return 0;
    }
    if (list.length === 0) {
      ctx.out('no node is running (start one with `tandem serve`)');
      return 0;
    }
    for (const n of list) {
      ctx.out(`${n.id}  host ${n.host}  pid ${n.pid}  started ${new Date(n.startedAt).toISOString()}  seen ${((now - n.lastSeen) / 1000).toFixed(1)} s ago  running jobs ${n.runningJobs}`);
    }
    return 0;
  });
}
