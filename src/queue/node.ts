/**
 * This process as a node of the store: it announces itself, beats every `beatMs` (default 5 s) with its
 * running job count, and reaps nodes not seen for `deadAfterMs` (default 15 s): their running jobs are
 * released to every node's next claim. No leader: every node reaps, the statements are idempotent.
 * A beat that fails (store unreachable) is only logged, once per outage; the worker stops claiming by
 * itself meanwhile and resumes when the store answers.
 * Fencing: a node whose last successful beat is older than `fenceAfterMs` (default 2/3 of deadAfterMs)
 * may be declared dead by the others, who then run its jobs: it is `fenced()` — its worker claims
 * nothing and aborts its running jobs (they make no further ERP write) until a beat succeeds again.
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
  /** Fenced when the last successful beat is older than this (default 2/3 of deadAfterMs: 10 s). */
  fenceAfterMs?: number;
  log?: Logger;
  now?: () => number;
}

export class Node {
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt: number;
  private failing = false;
  private beating: Promise<void> | undefined;
  private stopped = false;
  /** When the last successful beat was sent (its last_seen is at least this); undefined before the first. */
  private lastBeatAt: number | undefined;

  constructor(private readonly nodes: NodeRepo, private readonly opts: NodeOptions) {
    this.startedAt = (opts.now ?? Date.now)();
  }

  get id(): string {
    return this.opts.id;
  }

  /**
   * True when others may have declared this node dead (its last successful beat is older than
   * fenceAfterMs): it must not claim nor start writes of its running jobs. False before the first beat
   * (a node not yet listed is never reaped).
   */
  fenced(): boolean {
    if (this.lastBeatAt === undefined) return false;
    const fenceAfter = this.opts.fenceAfterMs ?? Math.floor(((this.opts.deadAfterMs ?? NODE_DEAD_AFTER_MS) * 2) / 3);
    return (this.opts.now ?? Date.now)() - this.lastBeatAt > fenceAfter;
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
    const sentAt = (this.opts.now ?? Date.now)();
    try {
      await this.nodes.beat({ id: this.opts.id, host: hostname(), pid: process.pid, startedAt: this.startedAt, runningJobs: this.opts.runningJobs() });
      this.lastBeatAt = sentAt;
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
