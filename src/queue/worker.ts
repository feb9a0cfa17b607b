/**
 * Runs job handlers with bounded concurrency: claims as many jobs as it has free slots, renews their
 * leases while they run (a job whose lease could not be renewed is aborted: another worker may have it),
 * completes or fails them, and on stop waits for the running ones, then releases what is left.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { SyncError, toSyncError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import type { Executor } from '../store/index.js';
import { CompletionBatch } from './completion-batch.js';
import type { CompletionBatchOptions } from './completion-batch.js';
import type { Queue } from './queue.js';
import { MAX_LOST_RUNS, lostRuns } from './backoff.js';
import type { Job } from './types.js';

const MAX_FAILURE_WAIT_MS = 5_000;

export interface JobContext {
  signal: AbortSignal;
  /** Completes the job inside the handler's own transaction (with its effects). False: the claim was lost — throw to roll back. */
  complete(db: Executor): Promise<boolean>;
}

export type JobHandler = (job: Job, ctx: JobContext) => Promise<void>;

export interface WorkerOptions {
  concurrency: number;
  leaseMs: number;
  /** How often to look for jobs when idle (default 1000 ms). */
  pollIntervalMs?: number;
  workerId?: string;
  log?: Logger;
  onIdle?: () => void;
  /**
   * Latency-critical jobs first: while a job of priority >= `priority` runs here, jobs of lower priority
   * take at most `maxShare` of the slots (at least one). They still run, only fewer at a time, so they
   * do not take the CPU and the remote's time from the urgent ones in a burst.
   */
  urgent?: { priority: number; maxShare: number };
  /**
   * Outages (the engine's circuit breakers): no claims while `isOpen()`; a job whose failure `onFailure`
   * calls 'defer' goes back to the queue without counting the attempt.
   */
  breaker?: { isOpen(): boolean; onFailure(job: Job, err: SyncError): 'defer' | 'fail'; onSuccess?(): void };
  /** Complete jobs whose handler did not complete them itself in batches (completion-batch.ts); default one by one. */
  completeBatch?: CompletionBatchOptions;
  /**
   * This worker's node may have been declared dead by the others (node.ts `fenced()`): while `fenced()`
   * is true it claims nothing, and its running jobs are aborted (checked every `checkMs`, default 500 ms)
   * and released without counting the attempt — the others re-run them.
   */
  fence?: { fenced(): boolean; checkMs?: number };
}

interface Running {
  job: Job;
  controller: AbortController;
  completed: boolean;
  /** Aborted because the node was fenced or its lease may have run out: released, not failed. */
  fenced: boolean;
  /**
   * When the job's lease surely still holds: the claim's or the last successful renewal's start + 2/3 of
   * leaseMs (renewals that fail — the pool busy, the store slow — do not extend it). Past it, another
   * worker may claim the job: it is aborted before its next write.
   */
  safeUntil: number;
  done: Promise<void>;
}

export class Worker {
  readonly workerId: string;
  private readonly running = new Map<string, Running>();
  private readonly pollIntervalMs: number;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private nudged = false;
  private unsubscribe: (() => void) | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private fenceTimer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  private wasIdle = false;
  /** Claims that failed in a row (the store does not answer): the worker waits longer each time. */
  private claimFailures = 0;
  private readonly batch: CompletionBatch | undefined;

  constructor(
    private readonly queue: Queue,
    private readonly handlers: Record<string, JobHandler>,
    private readonly opts: WorkerOptions,
  ) {
    this.workerId = opts.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.pollIntervalMs = opts.pollIntervalMs ?? 1000;
    this.batch = opts.completeBatch && new CompletionBatch(queue, opts.completeBatch);
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.unsubscribe = this.queue.onNotify(() => this.nudge());
    this.loop = this.run();
    const every = Math.max(10, Math.floor(this.opts.leaseMs / 3));
    this.heartbeatTimer = setInterval(() => void this.renewLeases(), every);
    this.fenceTimer = setInterval(() => this.checkFence(), this.opts.fence?.checkMs ?? Math.min(500, Math.max(10, Math.floor(this.opts.leaseMs / 10))));
  }

  /**
   * True while this worker's node is fenced (WorkerOptions.fence); aborts the running jobs then, and any
   * job whose lease may have run out (renewals failing): another worker may claim it.
   */
  private checkFence(): boolean {
    const fenced = this.opts.fence?.fenced() === true;
    const now = Date.now();
    for (const r of this.running.values()) {
      if (r.completed || r.controller.signal.aborted || (!fenced && now <= r.safeUntil)) continue;
      r.fenced = true;
      const why = fenced ? "this node's heartbeat is too old, the other nodes may run the job" : 'its lease could not be renewed in time, another worker may claim it';
      r.controller.abort(new SyncError('unavailable', `job ${r.job.id} stopped: ${why}`));
    }
    return fenced;
  }

  private safeLeaseMs(): number {
    return Math.floor((this.opts.leaseMs * 2) / 3);
  }

  /** Claim now (jobs were just enqueued) instead of at the next poll. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  /** Resolves once no job can be claimed and none runs (starts the worker if needed). */
  drain(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.start();
    this.wake?.();
    return idle;
  }

  /** Stops claiming, waits up to `timeoutMs` (default 30 s) for running jobs, then aborts and releases the rest. */
  async stop(opts: { timeoutMs?: number } = {}): Promise<void> {
    if (!this.loop) return;
    this.stopping = true;
    this.wake?.();
    await this.loop;
    const pending = [...this.running.values()];
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), opts.timeoutMs ?? 30_000)));
    const outcome = await Promise.race([Promise.allSettled(pending.map((r) => r.done)), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      for (const r of this.running.values()) {
        r.controller.abort(new SyncError('unavailable', 'worker stopping'));
        await this.queue.release(r.job).catch((err: unknown) => this.opts.log?.warn({ err, jobId: r.job.id }, 'could not release job'));
      }
    }
    clearInterval(this.heartbeatTimer);
    clearInterval(this.fenceTimer);
    this.unsubscribe?.();
    this.loop = undefined;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async run(): Promise<void> {
    const kinds = Object.keys(this.handlers);
    while (!this.stopping) {
      const free = this.opts.concurrency - this.running.size;
      let claimed = 0;
      const fenced = this.checkFence();
      if (free > 0 && !fenced && !this.opts.breaker?.isOpen()) {
        try {
          const claimedAt = Date.now();
          const jobs = await this.claim(free, kinds);
          claimed = jobs.length;
          this.storeAnswers();
          for (const job of jobs) this.execute(job, claimedAt);
        } catch (err) {
          this.storeFails(err);
        }
      }
      // an open breaker holds work back: that is waiting, not idle
      if (claimed === 0 && this.running.size === 0 && !fenced && !this.opts.breaker?.isOpen()) this.idle();
      else this.wasIdle = false;
      if (this.stopping) break;
      if (claimed > 0 && claimed === free) continue;
      if (this.nudged) {
        this.nudged = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.waitMs());
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** Up to `free` jobs; with `urgent`, lower-priority jobs only within their share while urgent ones run. */
  private async claim(free: number, kinds: string[]): Promise<Job[]> {
    const base = { leaseMs: this.opts.leaseMs, kinds };
    const urgent = this.opts.urgent;
    if (!urgent) return this.queue.claim(this.workerId, { ...base, limit: free });
    const jobs = await this.queue.claim(this.workerId, { ...base, limit: free, minPriority: urgent.priority });
    const left = free - jobs.length;
    if (left <= 0) return jobs;
    // no urgent job waits now; while urgent ones run, the others get their share of the slots (counted
    // after the claim: jobs may have finished meanwhile)
    let low = 0;
    for (const r of this.running.values()) if (r.job.priority < urgent.priority) low += 1;
    const urgentRunning = this.running.size - low + jobs.length > 0;
    const share = Math.max(1, Math.floor(this.opts.concurrency * urgent.maxShare));
    const allowed = urgentRunning ? Math.min(left, share - low) : left;
    if (allowed <= 0) return jobs;
    return [...jobs, ...(await this.queue.claim(this.workerId, { ...base, limit: allowed }))];
  }

  /** Jobs running in this worker now. */
  get runningCount(): number {
    return this.running.size;
  }

  /** True while the store does not answer: the worker takes no work and retries every few seconds. */
  get storeLost(): boolean {
    return this.claimFailures > 0;
  }

  private waitMs(): number {
    if (this.claimFailures === 0) return this.pollIntervalMs;
    return Math.min(MAX_FAILURE_WAIT_MS, this.pollIntervalMs * 2 ** Math.min(this.claimFailures, 10));
  }

  private storeFails(err: unknown): void {
    this.claimFailures += 1;
    // once per outage, not once per retry
    if (this.claimFailures === 1) this.opts.log?.error({ err: toSyncError(err).describe() }, 'claiming jobs failed: taking no work until the store answers again');
  }

  private storeAnswers(): void {
    if (this.claimFailures === 0) return;
    this.opts.log?.info({ failedClaims: this.claimFailures }, 'the store answers again: taking work');
    this.claimFailures = 0;
  }

  private idle(): void {
    for (const resolve of this.idleWaiters.splice(0)) resolve();
    if (!this.wasIdle) this.opts.onIdle?.();
    this.wasIdle = true;
  }

  private execute(job: Job, claimedAt: number): void {
    const controller = new AbortController();
    const entry: Running = { job, controller, completed: false, fenced: false, safeUntil: claimedAt + this.safeLeaseMs(), done: Promise.resolve() };
    this.running.set(job.id, entry);
    entry.done = this.handle(entry).finally(() => {
      this.running.delete(job.id);
      this.wake?.();
    });
  }

  private async handle(entry: Running): Promise<void> {
    const { job, controller } = entry;
    const log = this.opts.log?.child({ jobId: job.id, kind: job.kind, attempt: job.attempts });
    try {
      const lost = lostRuns(job);
      if (lost >= MAX_LOST_RUNS) {
        // Its worker stopped under it again and again (node killed, lease ended): it likely kills its worker.
        // queue.fail sends it to the dead letters with this reason (backoff.ts afterFailure).
        throw new SyncError('unavailable', `job ${job.id} (${job.kind}) was started ${lost} times and its worker stopped each time before it finished (node killed or its lease ended): not run again, it may be what kills the node`, {
          hint: 'look at the logs of the nodes that stopped around its start times; replay it once the cause is fixed',
        });
      }
      const handler = this.handlers[job.kind];
      if (!handler) throw new SyncError('config', `no handler for job kind "${job.kind}"`);
      await handler(job, {
        signal: controller.signal,
        complete: async (db) => {
          const ok = await this.queue.complete(job, db);
          entry.completed ||= ok;
          return ok;
        },
      });
      if (!entry.completed && !(await (this.batch ? this.batch.complete(job) : this.queue.complete(job)))) log?.warn('job finished after its lease was lost; another worker may have run it');
      this.opts.breaker?.onSuccess?.();
    } catch (err) {
      const error = toSyncError(err);
      try {
        if (entry.fenced) {
          // not a failure of the job: its node may be declared dead; released unless another node has it already
          await this.queue.release(job);
          log?.warn({ err: error.toJSON() }, 'job released: this node may have been declared dead by the others');
          return;
        }
        if (this.opts.breaker?.onFailure(job, error) === 'defer') {
          await this.queue.release(job);
          log?.info({ err: error.toJSON() }, `job deferred until ${error.system ?? 'the system'} answers again: ${error.describe()}`);
          return;
        }
        const outcome = await this.queue.fail(job, error);
        log?.[outcome === 'dead' ? 'error' : 'warn']({ err: error.toJSON(), outcome }, `job failed: ${error.describe()}`);
      } catch (failErr) {
        log?.error({ err: failErr }, 'could not record the failure of a job');
      }
    }
  }

  private async renewLeases(): Promise<void> {
    const ids = [...this.running.keys()];
    if (ids.length === 0) return;
    const sentAt = Date.now();
    try {
      const renewed = new Set(await this.queue.heartbeat(ids, this.workerId, this.opts.leaseMs));
      for (const id of ids) {
        const entry = this.running.get(id);
        if (entry && renewed.has(id)) entry.safeUntil = sentAt + this.safeLeaseMs();
        if (entry && !renewed.has(id) && !entry.completed) {
          entry.controller.abort(new SyncError('unavailable', `lease of job ${id} lost: another worker may run it`));
        }
      }
    } catch (err) {
      this.opts.log?.warn({ err }, 'renewing job leases failed');
    }
  }
}
