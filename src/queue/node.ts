/**
 * This process as a node of the store: it announces itself, beats every `beatMs` (default 5 s) with its
 * running job count, and reaps nodes not seen for `deadAfterMs` (default 15 s): their running jobs are
 * released to every node's next claim. No leader: every node reaps, the statements are idempotent.
 * A beat that fails (store unreachable) is only logged, once per outage; the worker stops claiming by
 * itself meanwhile and resumes when the store answers.
 */
import { hostname } from 'node:os';
import type { Logger } from '../shared/log.js';
import type { NodeRepo } from '../store/index.js';

export const NODE_BEAT_MS = 5_000;
export const NODE_DEAD_AFTER_MS = 15_000;

export interface NodeOptions {
  id: string;
  /** Jobs running on this node now. */
  runningJobs: () => number;
  beatMs?: number;
  deadAfterMs?: number;
  log?: Logger;
  now?: () => number;
}

export class Node {
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt: number;
  private failing = false;
  private beating: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly nodes: NodeRepo, private readonly opts: NodeOptions) {
    this.startedAt = (opts.now ?? Date.now)();
  }

  get id(): string {
    return this.opts.id;
  }

  /** Announces the node (first beat), then beats on a timer. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.beat();
    if (this.stopped) return;
    this.timer ??= setInterval(() => void this.beat(), this.opts.beatMs ?? NODE_BEAT_MS);
  }

  /** One beat and one reap; never throws. */
  beat(): Promise<void> {
    this.beating ??= this.beatOnce().finally(() => (this.beating = undefined));
    return this.beating;
  }

  /** Stops beating and leaves the list (call after the worker stopped: its jobs are finished or released). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.beating;
    await this.nodes.remove(this.opts.id).catch((err: unknown) => this.opts.log?.warn({ err }, 'could not remove this node from the node list'));
  }

  private async beatOnce(): Promise<void> {
    try {
      await this.nodes.beat({ id: this.opts.id, host: hostname(), pid: process.pid, startedAt: this.startedAt, runningJobs: this.opts.runningJobs() });
      const reaped = await this.nodes.reapDead(this.opts.deadAfterMs ?? NODE_DEAD_AFTER_MS);
      if (reaped.nodes.length > 0) this.opts.log?.warn({ nodes: reaped.nodes, jobs: reaped.jobs }, `nodes not seen for ${(this.opts.deadAfterMs ?? NODE_DEAD_AFTER_MS) / 1000} s are gone: their running jobs go to the others`);
      if (this.failing) this.opts.log?.info({ node: this.opts.id }, 'node heartbeat reaches the store again');
      this.failing = false;
    } catch (err) {
      if (!this.failing) this.opts.log?.error({ err: (err as Error).message, node: this.opts.id }, 'node heartbeat failed: the store does not answer');
      this.failing = true;
    }
  }
}
