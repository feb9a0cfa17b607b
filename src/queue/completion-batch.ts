/**
 * A worker's completions, batched: a job whose handler returned without completing it in its own
 * transaction waits here up to `maxWaitMs` (or until `maxJobs` wait), then all of them are completed in ONE
 * statement (Queue.completeMany; SQLite: one transaction). The job keeps its worker slot and its lease
 * until its batch is written, so the next job of its key cannot start before it is done.
 * A crash between the handler's end and the flush leaves the job running: its lease expires (or the node
 * reaper frees it) and it runs again — the same at-least-once as a crash inside the handler.
 */
import type { Queue } from './queue.js';
import type { Job } from './types.js';

export interface CompletionBatchOptions {
  /** Write the batch once this many jobs wait (default 100). */
  maxJobs?: number;
  /** Write the batch at the latest this long after its first job (default 5 ms). */
  maxWaitMs?: number;
}

interface Waiting {
  job: Job;
  resolve: (completed: boolean) => void;
  reject: (err: unknown) => void;
}

export class CompletionBatch {
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly maxJobs: number;
  private readonly maxWaitMs: number;

  constructor(private readonly queue: Queue, opts: CompletionBatchOptions = {}) {
    this.maxJobs = Math.max(1, opts.maxJobs ?? 100);
    this.maxWaitMs = Math.max(0, opts.maxWaitMs ?? 5);
  }

  /** Resolves once the job's batch is written: true when completed, false when its claim was lost. */
  complete(job: Job): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.waiting.push({ job, resolve, reject });
      if (this.waiting.length >= this.maxJobs) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.maxWaitMs);
    });
  }

  /** Writes what waits now. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting.splice(0);
    if (batch.length === 0) return;
    try {
      const done = new Set(await this.queue.completeMany(batch.map((w) => w.job)));
      for (const w of batch) w.resolve(done.has(w.job.id));
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }
}
