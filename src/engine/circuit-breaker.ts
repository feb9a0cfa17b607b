/**
 * Per-system circuit breakers. Jobs that fail because a system is down — a connection error, a timeout,
 * an HTTP 5xx from that system — OPEN_AFTER times in a row (no job succeeding in between: one flaky call
 * is retried as usual) open the system's breaker: the worker stops claiming, a failing job goes back to
 * the queue without counting the attempt (deferred, at most MAX_DEFERRALS times per job), so an outage
 * burns no attempts and grows no backoff. While open, a probe asks the system every
 * `probeIntervalMs` (an HTTP GET of its URL: any answer below 500 means it is up); when it answers, the
 * breaker closes and the waiting work is claimed at once. Every job of the engine needs both systems (a
 * sync reads one side and writes the other), so one open breaker holds back every job of this process.
 */
import type { SyncError } from '../shared/errors.js';
import type { SystemRole } from '../model/system-role.js';
import type { Job } from '../queue/index.js';
import type { Engine } from './context.js';

export const MAX_DEFERRALS = 20;
/** Outage failures in a row (no job succeeding in between) that open a breaker. */
export const OPEN_AFTER = 3;
export const PROBE_INTERVAL_MS = 1000;
const PROBE_TIMEOUT_MS = 3000;

export type Probe = (role: SystemRole, signal: AbortSignal) => Promise<boolean>;

/** An error that says the system is down (not that a record or a request is wrong). */
export function isOutage(err: SyncError): boolean {
  if (err.kind === 'network') return true;
  return err.kind === 'unavailable' && (err.code === 'timeout' || (err.status !== undefined && err.status >= 500));
}

/** GET of the system's URL: up when it answers below 500 within the timeout. */
export function httpProbe(engine: Engine): Probe {
  return async (role, signal) => {
    const url = (engine.config.systems[engine.names[role]] as { url?: string } | undefined)?.url;
    if (!url) return true;
    try {
      const res = await fetch(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.any([signal, AbortSignal.timeout(PROBE_TIMEOUT_MS)]) });
      await res.arrayBuffer().catch(() => undefined);
      return res.status < 500;
    } catch {
      return false;
    }
  };
}

export class CircuitBreakers {
  private readonly open = new Map<SystemRole, number>();
  private readonly inARow = new Map<SystemRole, number>();
  private readonly deferrals = new Map<string, number>();
  private readonly roleOf = new Map<string, SystemRole>();
  private timer: NodeJS.Timeout | undefined;
  private readonly stopped = new AbortController();

  constructor(
    private readonly engine: Engine,
    private readonly opts: { probe?: Probe; probeIntervalMs?: number; openAfter?: number; onClose?: () => void } = {},
  ) {
    for (const role of ['shop', 'erp'] as const) {
      this.roleOf.set(engine.names[role], role);
      const type = engine.config.systems[engine.names[role]]?.type;
      if (type) this.roleOf.set(type, role);
      engine.metrics.circuitOpen.set({ system: engine.names[role] }, 0);
    }
  }

  isOpen(): boolean {
    return this.open.size > 0;
  }

  openSystems(): SystemRole[] {
    return [...this.open.keys()];
  }

  /** After a job failed: 'defer' (release it, the attempt does not count) when its system is down. */
  onFailure(job: Job, err: SyncError): 'defer' | 'fail' {
    const role = err.system ? this.roleOf.get(err.system) : undefined;
    if (!role || !isOutage(err)) return 'fail';
    const n0 = (this.inARow.get(role) ?? 0) + 1;
    this.inARow.set(role, n0);
    if (!this.open.has(role) && n0 < (this.opts.openAfter ?? OPEN_AFTER)) return 'fail';
    this.trip(role, err);
    const n = (this.deferrals.get(job.id) ?? 0) + 1;
    if (n > MAX_DEFERRALS) {
      this.deferrals.delete(job.id);
      return 'fail';
    }
    if (this.deferrals.size > 10_000) this.deferrals.clear();
    this.deferrals.set(job.id, n);
    return 'defer';
  }

  /** A job succeeded: the systems answer (a single failure earlier was a hiccup, not an outage). */
  onSuccess(): void {
    this.inARow.clear();
  }

  stop(): void {
    this.stopped.abort();
    clearTimeout(this.timer);
  }

  private trip(role: SystemRole, err: SyncError): void {
    if (this.open.has(role)) return;
    this.open.set(role, Date.now());
    this.engine.metrics.circuitOpen.set({ system: this.engine.names[role] }, 1);
    this.engine.log.warn({ system: this.engine.names[role], error: err.message }, `${this.engine.names[role]} looks down: jobs wait (no attempts used) until it answers again`);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.stopped.signal.aborted) return;
    this.timer = setTimeout(() => void this.probeAll(), this.opts.probeIntervalMs ?? PROBE_INTERVAL_MS);
    this.timer.unref();
  }

  private async probeAll(): Promise<void> {
    const probe = this.opts.probe ?? httpProbe(this.engine);
    for (const [role, since] of [...this.open]) {
      if (this.stopped.signal.aborted) return;
      if (!(await probe(role, this.stopped.signal))) continue;
      this.open.delete(role);
      this.inARow.delete(role);
      this.engine.metrics.circuitOpen.set({ system: this.engine.names[role] }, 0);
      this.engine.log.info({ system: this.engine.names[role], downMs: Date.now() - since }, `${this.engine.names[role]} answers again: waiting jobs run now`);
    }
    this.timer = undefined;
    if (this.open.size > 0) this.schedule();
    else {
      this.engine.queue.notify();
      this.opts.onClose?.();
    }
  }
}
