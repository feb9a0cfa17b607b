/**
 * The nodes (`tandem serve` processes) sharing this store. Each beats every few seconds; any live node
 * reaps the dead ones: a node not seen for `deadAfterMs` is removed and the leases of its running jobs
 * end now, so the next claim of any node re-runs them at once (a lost run, not a failed attempt: queue/backoff.ts).
 * Schedule ticks: `claimTick` is true for exactly one caller per schedule and tick time.
 */
import type { Executor } from './schema.js';

export interface NodeInfo {
  id: string;
  host: string;
  pid: number;
  startedAt: number;
  lastSeen: number;
  runningJobs: number;
}

export class NodeRepo {
  constructor(private readonly db: Executor, private readonly now: () => number = Date.now) {}

  /** Announces the node, or records a beat: insert or update, one statement. */
  async beat(node: { id: string; host: string; pid: number; startedAt: number; runningJobs: number }, db: Executor = this.db): Promise<void> {
    const now = this.now();
    await db
      .insertInto('nodes')
      .values({ id: node.id, host: node.host, pid: node.pid, started_at: node.startedAt, last_seen: now, running_jobs: node.runningJobs })
      .onConflict((oc) => oc.column('id').doUpdateSet({ last_seen: now, running_jobs: node.runningJobs }))
      .execute();
  }

  /** A node leaving in order (its jobs were finished or released by its worker). */
  async remove(id: string, db: Executor = this.db): Promise<void> {
    await db.deleteFrom('nodes').where('id', '=', id).execute();
  }

  /** Removes nodes not seen for `deadAfterMs` and ends the leases of their running jobs; returns both. */
  async reapDead(deadAfterMs: number, db: Executor = this.db): Promise<{ nodes: string[]; jobs: number }> {
    const now = this.now();
    const dead = await db.deleteFrom('nodes').where('last_seen', '<', now - deadAfterMs).returning('id').execute();
    const ids = dead.map((r) => r.id);
    if (ids.length === 0) return { nodes: [], jobs: 0 };
    const res = await db.updateTable('jobs').set({ locked_until: 0, updated_at: now }).where('state', '=', 'running').where('locked_by', 'in', ids).executeTakeFirst();
    return { nodes: ids, jobs: Number(res.numUpdatedRows) };
  }

  /** In start order. */
  async list(db: Executor = this.db): Promise<NodeInfo[]> {
    const rows = await db.selectFrom('nodes').selectAll().orderBy('started_at').orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, host: r.host, pid: r.pid, startedAt: r.started_at, lastSeen: r.last_seen, runningJobs: r.running_jobs }));
  }

  /** True for the first node to claim this tick of `name`; false for every other one. */
  async claimTick(name: string, tickAt: number, nodeId: string, db: Executor = this.db): Promise<boolean> {
    const row = await db
      .insertInto('schedule_ticks')
      .values({ name, tick_at: tickAt, node_id: nodeId })
      .onConflict((oc) => oc.columns(['name', 'tick_at']).doNothing())
      .returning('node_id')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Deletes tick rows older than `before` (epoch ms). */
  async pruneTicks(before: number, db: Executor = this.db): Promise<number> {
    const res = await db.deleteFrom('schedule_ticks').where('tick_at', '<', before).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
