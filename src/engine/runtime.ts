/**
 * The long-running part of `tandem serve`: one scheduler timer per flow and a worker pool over the queue,
 * as one node of the store (heartbeat, reaping dead nodes, schedule ticks claimed once across nodes) and,
 * on PostgreSQL, a LISTEN connection that wakes the worker when any node enqueues.
 * Stop is graceful: no new claims, running jobs finish (or are released after the timeout).
 */
import { parseInterval, parseSchedule } from '../config/duration.js';
import { Node, Scheduler, Worker, type NodeOptions } from '../queue/index.js';
import { CircuitBreakers } from './circuit-breaker.js';
import type { Engine } from './context.js';
import { engineHandlers } from './jobs/handlers.js';
import { flowJob, ORDER_PRIORITY, reconcileJob } from './jobs/kinds.js';

export interface Runtime {
  worker: Worker;
  breakers: CircuitBreakers;
  scheduler: Scheduler;
  node: Node;
  stop(opts?: { timeoutMs?: number }): Promise<void>;
}

export function startRuntime(engine: Engine, opts: { schedules?: boolean; concurrency?: number; pollIntervalMs?: number; probeIntervalMs?: number; workerLog?: Engine['log']; node?: Pick<NodeOptions, 'beatMs' | 'deadAfterMs' | 'fenceAfterMs'> } = {}): Runtime {
  const leaseMs = parseInterval(engine.config.workers.leaseTimeout) ?? 300_000;
  const breakers = new CircuitBreakers(engine, { ...(opts.probeIntervalMs !== undefined && { probeIntervalMs: opts.probeIntervalMs }) });
  const worker: Worker = new Worker(engine.queue, engineHandlers(engine), {
    concurrency: opts.concurrency ?? engine.config.workers.concurrency,
    leaseMs,
    pollIntervalMs: opts.pollIntervalMs ?? 250,
    log: opts.workerLog ?? engine.log,
    // while orders are imported and confirmed, the rest (their invoices and payments, catalog work) gets a quarter of the workers
    urgent: { priority: ORDER_PRIORITY, maxShare: 0.25 },
    breaker: breakers,
    // a node that may have been reaped (heartbeat too old) claims nothing and stops its runs before their next write
    fence: { fenced: (): boolean => node.fenced() },
  });
  const node: Node = new Node(engine.store.nodes, { id: worker.workerId, runningJobs: () => worker.runningCount, log: engine.log, ...opts.node });
  const scheduler = new Scheduler(engine.queue, { log: engine.log, ticks: { nodes: engine.store.nodes, nodeId: node.id } });
  for (const flow of engine.config.flows.filter((f) => f.enabled)) {
    const schedule = parseSchedule(flow.schedule);
    if (schedule) scheduler.add(`flow:${flow.entity}`, schedule, flowJob(engine, flow.entity));
  }
  // the verification of both systems, daily (polling and webhooks can both miss things; this cannot)
  const verify = engine.config.reconcile.schedule ? parseSchedule(engine.config.reconcile.schedule) : null;
  if (verify && engine.config.flows.some((f) => f.enabled && f.entity !== 'order')) scheduler.add('reconcile', verify, reconcileJob());
  const listener = engine.store.listenForJobs(() => worker.nudge());
  void node.start();
  worker.start();
  if (opts.schedules !== false) scheduler.start();
  return {
    worker,
    breakers,
    scheduler,
    node,
    async stop(stopOpts = {}) {
      scheduler.stop();
      breakers.stop();
      await worker.stop(stopOpts);
      await listener?.stop();
      await node.stop();
    },
  };
}
