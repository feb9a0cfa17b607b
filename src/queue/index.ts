/** The durable job queue, its worker and the flow scheduler. */
export { Queue } from './queue.js';
export type { EnqueueWrite, FailOutcome } from './queue.js';
export { Worker } from './worker.js';
export type { JobContext, JobHandler, WorkerOptions } from './worker.js';
export type { CompletionBatchOptions } from './completion-batch.js';
export { Scheduler, scheduleKey } from './scheduler.js';
export { retryDelayMs } from './backoff.js';
export type { ClaimOptions } from './claim-jobs.js';
export { DEFAULT_BACKOFF, DEFAULT_MAX_ATTEMPTS } from './types.js';
export type { Backoff, Job, JobFilter, NewJob } from './types.js';
export { Node, NODE_BEAT_MS, NODE_DEAD_AFTER_MS } from './node.js';
export type { NodeOptions } from './node.js';
